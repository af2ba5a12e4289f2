package dev.loopwire.providers.http;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * When to retry an HTTP call and how long to wait: exponential backoff with jitter, unless the
 * server says how long (Retry-After in seconds or as an HTTP date, {@code retry-after-ms}, or the
 * OpenAI / Anthropic rate-limit reset headers).
 */
public final class RetryPolicy {

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private final HttpSettings settings;
    private final Supplier<Instant> clock;

    public RetryPolicy(HttpSettings settings) {
        this(settings, Instant::now);
    }

    RetryPolicy(HttpSettings settings, Supplier<Instant> clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** 408, 409, 425, 429 and every 5xx are worth another try. */
    public static boolean retryableStatus(int code) {
        return code == 408 || code == 409 || code == 425 || code == 429 || code >= 500;
    }

    /**
     * Whether the server's {@code x-should-retry} header overrides the status: {@code TRUE},
     * {@code FALSE}, or null when absent.
     */
    public static Boolean shouldRetryHeader(Headers headers) {
        String value = headers == null ? null : headers.get("x-should-retry");
        if (value == null) {
            return null;
        }
        return value.trim().equalsIgnoreCase("true");
    }

    /** The backoff before retry number {@code retry} (1-based): base * 2^(retry-1), jittered, capped. */
    public Duration backoff(int retry) {
        long base = settings.retryBase().toMillis();
        long max = Math.max(base, settings.retryMax().toMillis());
        double exp = base * Math.pow(2, Math.min(30, retry - 1));
        double capped = Math.min(exp, max);
        double jittered = capped * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5);
        return Duration.ofMillis(Math.round(jittered));
    }

    /** The wait the server asked for, or null when it said nothing usable. */
    public Duration serverHint(Headers headers) {
        if (headers == null) {
            return null;
        }
        String ms = headers.get("retry-after-ms");
        if (ms != null) {
            try {
                double value = Double.parseDouble(ms.trim());
                if (value >= 0) {
                    return Duration.ofMillis(Math.round(value));
                }
            } catch (NumberFormatException ignored) {
                // fall through to the other headers
            }
        }
        Duration retryAfter = parseRetryAfter(headers.get("retry-after"));
        if (retryAfter != null) {
            return retryAfter;
        }
        return rateLimitReset(headers);
    }

    Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            double seconds = Double.parseDouble(v);
            return seconds < 0 ? null : Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException ignored) {
            // an HTTP date
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(clock.get(), at);
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The reset time of the limit that ran out: OpenAI's {@code x-ratelimit-reset-requests|tokens}
     * (Go durations such as {@code 1s}, {@code 6m0s}, {@code 20ms}) and Anthropic's
     * {@code anthropic-ratelimit-*-reset} (RFC 3339 instants). A limit whose {@code remaining} is
     * 0 wins; without that information the soonest reset is used.
     */
    Duration rateLimitReset(Headers headers) {
        Duration exhausted = null;
        Duration soonest = null;
        for (String kind : new String[] {"requests", "tokens", "input-tokens", "output-tokens"}) {
            Duration reset = parseGoDuration(headers.get("x-ratelimit-reset-" + kind));
            String remaining = headers.get("x-ratelimit-remaining-" + kind);
            if (reset == null) {
                reset = parseInstant(headers.get("anthropic-ratelimit-" + kind + "-reset"));
                remaining = headers.get("anthropic-ratelimit-" + kind + "-remaining");
            }
            if (reset == null) {
                continue;
            }
            if ("0".equals(remaining == null ? null : remaining.trim())) {
                exhausted = exhausted == null || reset.compareTo(exhausted) > 0 ? reset : exhausted;
            }
            soonest = soonest == null || reset.compareTo(soonest) < 0 ? reset : soonest;
        }
        return exhausted != null ? exhausted : soonest;
    }

    static Duration parseGoDuration(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher m = GO_DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        double millis = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            end = m.end();
            double n = Double.parseDouble(m.group(1));
            millis += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
        }
        return end == value.trim().length() && end > 0 ? Duration.ofMillis(Math.round(millis)) : null;
    }

    private Duration parseInstant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Duration d = Duration.between(clock.get(), OffsetDateTime.parse(value.trim()).toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
