package dev.loopwire.engine.tools;

import static dev.loopwire.engine.tools.ToolTestSupport.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ReadFileToolTest {

    @TempDir
    Path root;
    ToolTestSupport t;

    @BeforeEach
    void setUp() {
        t = new ToolTestSupport(root);
    }

    @Test
    void readsTextFileExactly() throws Exception {
        Files.createDirectories(root.resolve("src"));
        Files.writeString(root.resolve("src/main.py"), "print('héllo')\r\n  indented\n");
        ToolResult result = t.ok("read_file", "path", "src/main.py");
        assertEquals("print('héllo')\r\n  indented\n", result.output());
        assertTrue(result.changedPaths().isEmpty());
    }

    @Test
    void readsThroughSymlinkInside() throws Exception {
        Files.writeString(root.resolve("real.txt"), "content");
        Files.createSymbolicLink(root.resolve("alias.txt"), Path.of("real.txt"));
        assertEquals("content", t.ok("read_file", "path", "alias.txt").output());
    }

    @Test
    void saysWhenFileIsEmpty() throws Exception {
        Files.writeString(root.resolve("empty.txt"), "");
        assertContains(t.ok("read_file", "path", "empty.txt").output(), "is empty");
    }

    @Test
    void missingFileIsAnError() throws Exception {
        assertContains(t.error("read_file", "path", "nope/missing.txt").output(),
                "file not found: 'nope/missing.txt'");
    }

    @Test
    void directoryIsAnError() throws Exception {
        Files.createDirectories(root.resolve("dir"));
        assertContains(t.error("read_file", "path", "dir").output(), "'dir' is a directory", "list_files");
    }

    @Test
    void longFileIsTruncatedWithNote() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 20_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(root.resolve("long.txt"), text);
        String out = t.ok("read_file", "path", "long.txt").output();
        assertTrue(out.length() < 50_500, "capped: " + out.length());
        assertTrue(out.startsWith("line 1\nline 2\n"));
        assertContains(out, "[truncated: showing the first", "of " + text.length() + " characters",
                "of 20000)", "sed -n");
    }

    @Test
    void truncationNoteQuotesPathsForTheShell() throws Exception {
        Files.writeString(root.resolve("it's long.txt"), "word\n".repeat(20_000));
        assertContains(t.ok("read_file", "path", "it's long.txt").output(), "p' 'it'\\''s long.txt'");
    }

    @Test
    void binaryFileIsRefused() throws Exception {
        Files.write(root.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13});
        assertContains(t.error("read_file", "path", "image.png").output(), "looks binary");
    }

    @Test
    void nonUtf8FileIsRefused() throws Exception {
        Files.write(root.resolve("latin1.txt"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertContains(t.error("read_file", "path", "latin1.txt").output(), "not valid UTF-8");
    }

    @Test
    void hugeFileIsRefused() throws Exception {
        try (RandomAccessFile file = new RandomAccessFile(root.resolve("huge.log").toFile(), "rw")) {
            file.setLength(11L * 1024 * 1024); // sparse: no real disk use
        }
        assertContains(t.error("read_file", "path", "huge.log").output(), "over the", "byte limit", "head");
    }

    @Test
    void subjectAndTouchedPathsAreWorkspaceRelative() throws Exception {
        Tool tool = ToolTestSupport.tool("read_file");
        var absolute = ToolTestSupport.input("path", root.toRealPath().resolve("src/../a.txt").toString());
        assertEquals("a.txt", tool.subject(absolute, t.workspace));
        assertEquals("a.txt", tool.subject(ToolTestSupport.input("path", "./src/../a.txt")));
        assertEquals(java.util.List.of("a.txt"), tool.touchedPaths(absolute, t.workspace));
        assertEquals(false, tool.asksByDefault(absolute));
    }
}
