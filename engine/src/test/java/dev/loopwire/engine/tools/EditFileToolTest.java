package dev.loopwire.engine.tools;

import static dev.loopwire.engine.tools.ToolTestSupport.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class EditFileToolTest {

    @TempDir
    Path root;
    ToolTestSupport t;
    Path file;

    @BeforeEach
    void setUp() throws Exception {
        t = new ToolTestSupport(root);
        file = Files.writeString(root.resolve("app.py"), "def a():\n    return 1\n\ndef b():\n    return 1\n");
    }

    @Test
    void replacesTheUniqueOccurrence() throws Exception {
        ToolResult result = t.ok("edit_file", "path", "app.py",
                "oldText", "def b():\n    return 1", "newText", "def b():\n    return 2");
        assertEquals("def a():\n    return 1\n\ndef b():\n    return 2\n", Files.readString(file));
        assertEquals(List.of("app.py"), result.changedPaths());
        assertContains(result.output(), "edited 'app.py' at line 4");
    }

    @Test
    void deletesWithEmptyNewText() throws Exception {
        t.ok("edit_file", "path", "app.py", "oldText", "\ndef b():\n    return 1\n", "newText", "");
        assertEquals("def a():\n    return 1\n", Files.readString(file));
    }

    @Test
    void notFoundIsAnErrorThatChangesNothing() throws Exception {
        String before = Files.readString(file);
        assertContains(t.error("edit_file", "path", "app.py", "oldText", "return 3", "newText", "x").output(),
                "oldText was not found in 'app.py'", "read_file");
        assertEquals(before, Files.readString(file));
    }

    @Test
    void severalOccurrencesIsAnErrorNamingTheLines() throws Exception {
        String before = Files.readString(file);
        assertContains(t.error("edit_file", "path", "app.py", "oldText", "return 1", "newText", "return 2").output(),
                "oldText occurs 2 times in 'app.py'", "at lines 2, 5", "more surrounding text");
        assertEquals(before, Files.readString(file));
    }

    @Test
    void overlappingOccurrencesCountAsAmbiguous() throws Exception {
        Files.writeString(file, "aaa");
        assertContains(t.error("edit_file", "path", "app.py", "oldText", "aa", "newText", "b").output(),
                "occurs 2 times");
    }

    @Test
    void hintsAtCrlfLineEndings() throws Exception {
        Files.writeString(file, "one\r\ntwo\r\n");
        assertContains(t.error("edit_file", "path", "app.py", "oldText", "one\ntwo", "newText", "x").output(),
                "CRLF");
        t.ok("edit_file", "path", "app.py", "oldText", "one\r\ntwo", "newText", "1\r\n2");
        assertEquals("1\r\n2\r\n", Files.readString(file));
    }

    @Test
    void emptyOrUnchangedTextIsInvalid() throws Exception {
        assertContains(t.error("edit_file", "path", "app.py", "oldText", "", "newText", "x").output(),
                "field 'oldText': expected a non-empty string");
        assertContains(t.error("edit_file", "path", "app.py", "oldText", "def", "newText", "def").output(),
                "field 'newText'", "identical");
    }

    @Test
    void missingFileIsAnError() throws Exception {
        assertContains(t.error("edit_file", "path", "nope.py", "oldText", "a", "newText", "b").output(),
                "file not found: 'nope.py'");
    }
}
