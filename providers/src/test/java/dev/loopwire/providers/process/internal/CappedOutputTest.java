package dev.loopwire.providers.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CappedOutputTest {

    @Test
    void keepsEverythingUpToTheCap() {
        CappedOutput out = new CappedOutput(10);
        out.append("01234");
        out.append("56789");
        assertEquals("0123456789", out.text());
        assertFalse(out.truncated());
    }

    @Test
    void keepsHeadAndTailAndCountsWhatWasCut() {
        CappedOutput out = new CappedOutput(10);
        for (int i = 0; i < 10; i++) {
            out.append("abcdefghij".substring(i, i + 1).repeat(3));
        }
        assertTrue(out.truncated());
        assertEquals(30, out.totalChars());
        assertEquals("aaabb\n[... 20 characters of output truncated ...]\niijjj", out.text());
        assertEquals("iijjj", out.lastChars(5));
    }
}
