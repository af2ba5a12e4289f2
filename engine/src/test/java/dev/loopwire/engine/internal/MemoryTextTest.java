package dev.loopwire.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryTextTest {

    @Test
    void insertsAtTheEndOfTheSectionKeepingEverythingElse() {
        String text = MemoryText.initial("demo", "Ship it");
        text = MemoryText.insert(text, MemoryText.PROGRESS, MemoryText.progressLine(1, "did a\nthing"));
        text = MemoryText.insert(text, MemoryText.NOTES, "- a note");
        text = text.replace("## Notes", "Person: try the fast path first.\n\n## Notes");
        text = MemoryText.insert(text, MemoryText.PROGRESS, MemoryText.progressLine(2, "more"));
        assertEquals("# Loop memory: demo\n\n## Goal\n\nShip it\n\n## Progress log\n\n- #1: did a thing\n\n"
                + "Person: try the fast path first.\n- #2: more\n\n## Notes\n\n- a note\n", text);
        assertTrue(MemoryText.hasProgressLine(text, 2));
    }

    @Test
    void aMissingSectionIsAppended() {
        String text = MemoryText.insert("# mine\n\nfree text", MemoryText.NOTES, "- n");
        assertEquals("# mine\n\nfree text\n\n## Notes\n\n- n\n", text);
    }
}
