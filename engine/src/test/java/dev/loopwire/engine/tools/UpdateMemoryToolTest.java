package dev.loopwire.engine.tools;

import static dev.loopwire.engine.tools.ToolTestSupport.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class UpdateMemoryToolTest {

    @TempDir
    Path root;
    ToolTestSupport t;

    @BeforeEach
    void setUp() {
        t = new ToolTestSupport(root);
    }

    @Test
    void appendsTheNoteThroughMemoryNotes() throws Exception {
        assertContains(t.ok("update_memory", "text", "  tests pass; next: docs \n").output(), "noted in memory");
        t.ok("update_memory", "text", "second");
        assertEquals(List.of("tests pass; next: docs", "second"), t.memory.notes);
    }

    @Test
    void failureToWriteIsAnError() throws Exception {
        t.memory.failWith = new IOException("No space left on device");
        assertContains(t.error("update_memory", "text", "note").output(), "could not update the memory file",
                "No space left on device");
    }

    @Test
    void blankTextIsInvalid() throws Exception {
        assertContains(t.error("update_memory", "text", "   ").output(), "field 'text'", "only whitespace");
        assertEquals(List.of(), t.memory.notes);
    }

    @Test
    void neverAsksAndHasNoSubject() {
        Tool tool = ToolTestSupport.tool("update_memory");
        assertFalse(tool.asksByDefault(ToolTestSupport.input("text", "x")));
        assertEquals("", tool.subject(ToolTestSupport.input("text", "x")));
    }
}
