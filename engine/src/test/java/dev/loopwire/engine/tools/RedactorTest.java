package dev.loopwire.engine.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactorTest {

    private static final String PLANTED = "planted-Secret-Value-9f8e7d";

    @Test
    void redactsValuesOfSecretVariables() {
        Redactor redactor = Redactor.fromEnvironment(Map.of("MY_SERVICE_TOKEN", PLANTED, "HOME", "/home/someone"));
        assertEquals("token=[REDACTED]; again [REDACTED]!", redactor.redact("token=" + PLANTED + "; again " + PLANTED + "!"));
        assertEquals("home is /home/someone", redactor.redact("home is /home/someone"));
    }

    @Test
    void shortValuesAreNotRedacted() {
        Redactor redactor = Redactor.fromEnvironment(Map.of("A_KEY", "short", "B_KEY", "12345678"));
        assertEquals("short and [REDACTED]", redactor.redact("short and 12345678"));
    }

    @Test
    void redactsJsonEscapedValues() {
        String value = "pa\"ss\\word-123";
        Redactor redactor = Redactor.fromEnvironment(Map.of("DB_PASSWORD", value));
        assertEquals("{\"p\":\"[REDACTED]\"}", redactor.redact("{\"p\":\"pa\\\"ss\\\\word-123\"}"));
        assertEquals("[REDACTED]", redactor.redact(value));
    }

    @Test
    void redactsKnownKeyFormats() {
        Redactor redactor = Redactor.knownFormats();
        Map<String, String> samples = Map.of(
                "openai", "sk-proj-Ab3dEfGhIjKlMnOpQrStUvWx1234",
                "legacy openai", "sk-" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8S9t0U1v2W3x4",
                "anthropic", "sk-ant-api03-AbCdEfGhIjKlMnOpQrSt-uvwxyz_0123",
                "github", "ghp_" + "a".repeat(18) + "0123456789AB",
                "github pat", "github_pat_11ABCDEFG0123456789_abcdefghijklmnop",
                "slack", "xoxb-123456789012-abcdefghijkl",
                "aws", "AKIAIOSFODNN7EXAMPLE",
                "google", "AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q");
        samples.forEach((kind, key) -> {
            String text = "the " + kind + " key is " + key + ".";
            assertEquals("the " + kind + " key is [REDACTED].", redactor.redact(text), kind);
            assertTrue(redactor.containsSecret(text), kind);
        });
    }

    @Test
    void keepsTheBearerWordAndRedactsTheToken() {
        assertEquals("Authorization: Bearer [REDACTED]",
                Redactor.knownFormats().redact("Authorization: Bearer eyJhbGciOi.JIUzI1NiJ9-xyz"));
        assertEquals("authorization: bearer [REDACTED]\n",
                Redactor.knownFormats().redact("authorization: bearer abcdefgh12345\n"));
    }

    @Test
    void leavesOrdinaryTextAlone() {
        Redactor redactor = Redactor.knownFormats();
        for (String text : List.of("task-list-items-and-more-words-here", "risk-assessment-document-v2",
                "sk-learn-is-a-python-library", "the AKIA prefix", "Bearer of bad news", "use Bearer authentication.", "ghp_short",
                "mask-0123456789abcdefghijklmnop")) {
            assertEquals(text, redactor.redact(text), text);
            assertFalse(redactor.containsSecret(text), text);
        }
    }

    @Test
    void nullAndEmptyStayAsTheyAre() {
        assertNull(Redactor.knownFormats().redact(null));
        assertEquals("", Redactor.knownFormats().redact(""));
        String text = "nothing to hide";
        assertSame(text, Redactor.knownFormats().redact(text));
    }

    @Test
    void extraSecretsAreRedactedLongestFirst() {
        Redactor redactor = Redactor.withSecrets(Map.of(), List.of("abcdefgh", "abcdefgh-longer"));
        assertEquals("[REDACTED] [REDACTED]", redactor.redact("abcdefgh-longer abcdefgh"));
    }

    @Test
    void overlappingSecretsBecomeOneReplacement() {
        Redactor redactor = Redactor.withSecrets(Map.of("APP_TOKEN", "tok-0123456789"), List.of("0123456789-tail"));
        assertEquals("a [REDACTED] b", redactor.redact("a tok-0123456789-tail b"));
        assertEquals("Authorization: Bearer [REDACTED]", redactor.redact("Authorization: Bearer tok-0123456789"));
    }

    @Test
    void findsSecretsAtTheEdgesAndSideBySide() {
        Redactor redactor = Redactor.fromEnvironment(Map.of("X_SECRET", PLANTED));
        assertEquals("[REDACTED]", redactor.redact(PLANTED));
        assertEquals("[REDACTED][REDACTED]", redactor.redact(PLANTED + PLANTED));
        assertEquals("x[REDACTED]", redactor.redact("x" + PLANTED));
        assertEquals("(\"[REDACTED]\")", redactor.redact("(\"" + PLANTED + "\")"));
        assertTrue(redactor.containsSecret("..." + PLANTED));
        assertFalse(redactor.containsSecret(PLANTED.substring(1)));
    }

    @Test
    void manySecretsInALongTextAreAllReplaced() {
        Redactor redactor = Redactor.fromEnvironment(Map.of("X_SECRET", PLANTED));
        String line = "key " + PLANTED + " and sk-proj-abc123def456ghi789jkl0 end\n";
        String out = redactor.redact(line.repeat(5000));
        assertEquals("key [REDACTED] and [REDACTED] end\n".repeat(5000), out);
    }

    @Test
    void heldTailIsWhatMayBeginASecretAtTheEndOfAStream() {
        Redactor r = Redactor.withSecrets(java.util.Map.of("DEPLOY_TOKEN", "plantedDeployTokenQz4Kw9"), java.util.List.of());
        // a prefix of a secret value
        org.junit.jupiter.api.Assertions.assertEquals(4, r.heldTail("The token is plan"));
        org.junit.jupiter.api.Assertions.assertEquals(9, r.heldTail("is plantedDe"));
        // a word a key format could still match, and Bearer with its (partial) token
        org.junit.jupiter.api.Assertions.assertEquals(6, r.heldTail("key sk-abc"));
        org.junit.jupiter.api.Assertions.assertEquals(2, r.heldTail("see sk"));
        org.junit.jupiter.api.Assertions.assertEquals("Bearer ab1".length(), r.heldTail("Authorization: Bearer ab1"));
        org.junit.jupiter.api.Assertions.assertEquals("Bearer ".length(), r.heldTail("Authorization: Bearer "));
        org.junit.jupiter.api.Assertions.assertEquals("ghp_abc".length(), r.heldTail("push with ghp_abc"));
        // ordinary text, and a key that is complete (a space follows): nothing to hold
        org.junit.jupiter.api.Assertions.assertEquals(0, r.heldTail("Hello wor"));
        org.junit.jupiter.api.Assertions.assertEquals(0, r.heldTail("Hello world\n"));
        org.junit.jupiter.api.Assertions.assertEquals(0, r.heldTail("use sk-proj-abcdefghijklmnop1234567890 then"));
        org.junit.jupiter.api.Assertions.assertEquals(0, r.heldTail(""));
    }
}
