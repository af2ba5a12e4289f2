package dev.loopwire.providers.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void removesSecretEnvironmentValuesAndKnownKeyFormats() {
        Redactor r = new Redactor(Map.of("MY_SERVICE_TOKEN", "tok-1234567890", "HOME", "/home/someone",
                "SHORT_KEY", "abc"));
        assertEquals("token [redacted] in /home/someone, abc", r.apply("token tok-1234567890 in /home/someone, abc"));
        assertEquals("key [redacted] and Bearer [redacted]",
                r.apply("key sk-proj-abcdefghijklmnop1234 and Bearer eyJhbGciOiJIUzI1NiJ9.x"));
        assertEquals("aws [redacted]", r.apply("aws AKIAABCDEFGHIJKLMNOP"));
    }
}
