package dev.loopwire.providers.http;

import dev.loopwire.engine.spi.ProviderException;
import java.time.Duration;
import java.util.Map;

/**
 * Timeouts and retry settings of one HTTP provider, read from {@code provider.options}.
 *
 * @param connectTimeout    TCP/TLS connect ({@code connectTimeoutSeconds}, default 10)
 * @param readTimeout       longest silence on the socket ({@code readTimeoutSeconds}, default 120)
 * @param writeTimeout      sending the request ({@code writeTimeoutSeconds}, default 30)
 * @param callTimeout       the whole call including the streamed body ({@code callTimeoutSeconds},
 *                          default 1800; 0 disables)
 * @param idleStreamTimeout longest gap between two stream events once the response has started
 *                          ({@code idleStreamTimeoutSeconds}, default 120)
 * @param maxRetries        retries after the first try ({@code maxRetries}, default 4)
 * @param retryBase         first backoff step ({@code retryBaseMillis}, default 500)
 * @param retryMax          longest computed backoff ({@code retryMaxMillis}, default 30000)
 * @param maxRetryWait      longest server-requested wait honoured in-process
 *                          ({@code maxRetryWaitSeconds}, default 60); longer waits fail the turn
 *                          as rate limited, carrying the wait for the engine's cool-down
 */
public record HttpSettings(
        Duration connectTimeout,
        Duration readTimeout,
        Duration writeTimeout,
        Duration callTimeout,
        Duration idleStreamTimeout,
        int maxRetries,
        Duration retryBase,
        Duration retryMax,
        Duration maxRetryWait) {

    /** The defaults, as documented on the components. */
    public static final HttpSettings DEFAULTS = new HttpSettings(Duration.ofSeconds(10), Duration.ofSeconds(120),
            Duration.ofSeconds(30), Duration.ofSeconds(1800), Duration.ofSeconds(120), 4,
            Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(60));

    /** Reads the settings from options; a malformed value is a FATAL error naming the option. */
    public static HttpSettings fromOptions(Map<String, Object> options) throws ProviderException {
        OptionReader o = new OptionReader(options);
        long day = 86_400;
        return new HttpSettings(
                seconds(o, "connectTimeoutSeconds", DEFAULTS.connectTimeout, day),
                seconds(o, "readTimeoutSeconds", DEFAULTS.readTimeout, day),
                seconds(o, "writeTimeoutSeconds", DEFAULTS.writeTimeout, day),
                seconds(o, "callTimeoutSeconds", DEFAULTS.callTimeout, 7 * day),
                seconds(o, "idleStreamTimeoutSeconds", DEFAULTS.idleStreamTimeout, day),
                o.intValue("maxRetries", DEFAULTS.maxRetries, 0, 20),
                Duration.ofMillis(o.longValue("retryBaseMillis", DEFAULTS.retryBase.toMillis(), 0, 600_000)),
                Duration.ofMillis(o.longValue("retryMaxMillis", DEFAULTS.retryMax.toMillis(), 0, 3_600_000)),
                seconds(o, "maxRetryWaitSeconds", DEFAULTS.maxRetryWait, day));
    }

    private static Duration seconds(OptionReader o, String key, Duration fallback, long max) throws ProviderException {
        double value = o.doubleValue(key, fallback.toMillis() / 1000.0, 0, max);
        return Duration.ofMillis(Math.round(value * 1000));
    }
}
