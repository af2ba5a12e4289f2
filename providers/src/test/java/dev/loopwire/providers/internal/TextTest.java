package dev.loopwire.providers.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.loopwire.engine.tools.Redactor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The providers' secret handling: the engine's {@link Redactor} as the CLI agents and the HTTP
 * providers build it (these cases were the tests of the providers' former own redactors), and
 * {@link Text}'s excerpts.
 */
class TextTest {

    @Test
    void cliAgentsRemoveSecretEnvironmentValuesAndKnownKeyFormats() {
        Redactor r = Redactor.fromEnvironment(Map.of("MY_SERVICE_TOKEN", "tok-1234567890", "HOME", "/home/someone",
                "SHORT_KEY", "abc"));
        assertEquals("token [REDACTED] in /home/someone, abc", r.redact("token tok-1234567890 in /home/someone, abc"));
        assertEquals("key [REDACTED] and Bearer [REDACTED]",
                r.redact("key sk-proj-abcdefghijklmnop1234 and Bearer eyJhbGciOiJIUzI1NiJ9.x"));
        assertEquals("aws [REDACTED]", r.redact("aws AKIAABCDEFGHIJKLMNOP"));
    }

    @Test
    void httpProvidersRemoveTheirKeyAndKeyShapedTokens() {
        Redactor r = Redactor.withSecrets(Map.of(), List.of("my-own-secret-value"));
        assertEquals("key [REDACTED] and [REDACTED] and [REDACTED] and Bearer [REDACTED]",
                r.redact("key my-own-secret-value and sk-proj-abc123def456ghi789jkl and sk-ant-api03-xyzXYZ0123456789"
                        + " and Bearer abcdefgh12345"));
        assertFalse(Text.excerpt(r, "Incorrect API key provided: sk-abc12***************wxyz.", 200).contains("sk-abc12"));
        assertEquals("Incorrect API key provided: [REDACTED].",
                Text.excerpt(r, "Incorrect API key provided: sk-abc12***************wxyz.", 200));
        assertEquals("see the desk-reference", r.redact("see the desk-reference"));
    }

    @Test
    void excerptsAreFlatAndBounded() {
        Redactor r = Redactor.knownFormats();
        assertEquals("a b c", Text.excerpt(r, "a\n  b\tc", 100));
        assertEquals("abcde...", Text.excerpt(r, "abcdefghij", 5));
        assertEquals("", Text.excerpt(r, null, 5));
        assertEquals("abc…", Text.abbreviate("abcdef", 3));
        assertEquals("", Text.abbreviate(null, 3));
    }
}
