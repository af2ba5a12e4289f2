package dev.loopwire.providers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant NOW = Instant.parse("2025-11-22T02:00:00Z");

    private final RetryPolicy policy = new RetryPolicy(HttpSettings.DEFAULTS, () -> NOW);

    private static Headers headers(String... pairs) {
        return Headers.of(pairs);
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        assertEquals(Duration.ofSeconds(20), policy.serverHint(headers("Retry-After", "20")));
        assertEquals(Duration.ofMillis(1500), policy.serverHint(headers("Retry-After", "1.5")));
        assertEquals(Duration.ofSeconds(30), policy.serverHint(headers("Retry-After", "Sat, 22 Nov 2025 02:00:30 GMT")));
        assertEquals(Duration.ZERO, policy.serverHint(headers("Retry-After", "Sat, 22 Nov 2025 01:00:00 GMT")));
        assertNull(policy.serverHint(headers("Retry-After", "soon")));
    }

    @Test
    void retryAfterMsWinsOverRetryAfter() {
        assertEquals(Duration.ofMillis(250), policy.serverHint(headers("retry-after-ms", "250", "Retry-After", "3")));
    }

    @Test
    void openAiResetHeadersUseTheExhaustedLimit() {
        Headers h = headers("x-ratelimit-remaining-requests", "59", "x-ratelimit-reset-requests", "1s",
                "x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "6m0s");
        assertEquals(Duration.ofMinutes(6), policy.serverHint(h));
        assertEquals(Duration.ofMillis(20), policy.serverHint(headers("x-ratelimit-reset-requests", "20ms")));
        assertEquals(Duration.ofMillis(90_500), RetryPolicy.parseGoDuration("1m30.5s"));
        assertNull(RetryPolicy.parseGoDuration("1 minute"));
    }

    @Test
    void anthropicResetHeadersAreInstants() {
        Headers h = headers("anthropic-ratelimit-requests-remaining", "0",
                "anthropic-ratelimit-requests-reset", "2025-11-22T02:00:12Z",
                "anthropic-ratelimit-tokens-remaining", "1000",
                "anthropic-ratelimit-tokens-reset", "2025-11-22T02:00:40Z");
        assertEquals(Duration.ofSeconds(12), policy.serverHint(h));
    }

    @Test
    void withoutHeadersThereIsNoHint() {
        assertNull(policy.serverHint(headers()));
    }

    @Test
    void backoffGrowsWithJitterAndStaysUnderTheCap() {
        HttpSettings s = new HttpSettings(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 4, Duration.ofMillis(100), Duration.ofMillis(1000),
                Duration.ofSeconds(60));
        RetryPolicy p = new RetryPolicy(s);
        for (int i = 0; i < 50; i++) {
            long first = p.backoff(1).toMillis();
            long third = p.backoff(3).toMillis();
            long tenth = p.backoff(10).toMillis();
            assertTrue(first >= 50 && first <= 100, "first " + first);
            assertTrue(third >= 200 && third <= 400, "third " + third);
            assertTrue(tenth >= 500 && tenth <= 1000, "tenth " + tenth);
        }
    }

    @Test
    void retryableStatusesAndTheServersOverride() {
        for (int code : new int[] {408, 409, 429, 500, 502, 503, 504, 529}) {
            assertTrue(RetryPolicy.retryableStatus(code), String.valueOf(code));
        }
        for (int code : new int[] {400, 401, 403, 404, 413, 422}) {
            assertFalse(RetryPolicy.retryableStatus(code), String.valueOf(code));
        }
        assertEquals(Boolean.FALSE, RetryPolicy.shouldRetryHeader(headers("x-should-retry", "false")));
        assertEquals(Boolean.TRUE, RetryPolicy.shouldRetryHeader(headers("x-should-retry", "true")));
        assertNull(RetryPolicy.shouldRetryHeader(headers()));
    }

    @Test
    void settingsAcceptNumbersAndNumericStringsAndRejectTheRest() throws Exception {
        HttpSettings s = HttpSettings.fromOptions(Map.of("connectTimeoutSeconds", 3, "readTimeoutSeconds", "7.5",
                "callTimeoutSeconds", 0, "maxRetries", "2", "retryBaseMillis", 10.0));
        assertEquals(Duration.ofSeconds(3), s.connectTimeout());
        assertEquals(Duration.ofMillis(7500), s.readTimeout());
        assertEquals(Duration.ZERO, s.callTimeout());
        assertEquals(2, s.maxRetries());
        assertEquals(Duration.ofMillis(10), s.retryBase());
        assertEquals(HttpSettings.DEFAULTS.idleStreamTimeout(), s.idleStreamTimeout());
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.loopwire.engine.spi.ProviderException.class,
                () -> HttpSettings.fromOptions(Map.of("maxRetries", 2.5)));
        assertEquals("option maxRetries must be a whole number between 0 and 20, got '2.5'", e.getMessage());
    }
}
