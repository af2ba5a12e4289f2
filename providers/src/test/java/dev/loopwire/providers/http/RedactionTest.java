package dev.loopwire.providers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void removesTheKnownKeyAndKeyShapedTokens() {
        Redaction r = new Redaction(List.of("my-own-secret-value"));
        assertEquals("key [redacted] and [redacted] and [redacted] and [redacted]",
                r.apply("key my-own-secret-value and sk-proj-abc123def456 and sk-ant-api03-xyz and Bearer abcdefgh12345"));
        assertFalse(r.apply("Incorrect API key provided: sk-abc12***************wxyz.").contains("sk-abc12"));
        assertEquals("see the desk-reference", r.apply("see the desk-reference"));
    }

    @Test
    void excerptsAreFlatAndBounded() {
        Redaction r = Redaction.none();
        assertEquals("a b c", r.excerpt("a\n  b\tc", 100));
        assertEquals("abcde...", r.excerpt("abcdefghij", 5));
        assertEquals("", r.excerpt(null, 5));
    }
}
