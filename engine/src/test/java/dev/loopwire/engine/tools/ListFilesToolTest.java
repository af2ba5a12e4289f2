package dev.loopwire.engine.tools;

import static dev.loopwire.engine.tools.ToolTestSupport.assertContains;
import static dev.loopwire.engine.tools.ToolTestSupport.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class ListFilesToolTest {

    @TempDir
    Path root;
    ToolTestSupport t;

    @BeforeEach
    void setUp() throws Exception {
        t = new ToolTestSupport(root);
        for (String path : List.of("b.txt", "a/z.java", "a/b/c.java", "a.txt", ".git/config", "sub/.git/HEAD",
                ".loopwire/loops/x/state.json", "docs/readme.md")) {
            Files.createDirectories(root.resolve(path).getParent());
            Files.writeString(root.resolve(path), path);
        }
    }

    @Test
    void listsRecursivelySortedSkippingGitAndLoopwire() throws Exception {
        assertEquals(List.of("a.txt", "a/b/c.java", "a/z.java", "b.txt", "docs/readme.md"),
                lines(t.ok("list_files").output()));
    }

    @Test
    void listsASubdirectory() throws Exception {
        assertEquals(List.of("a/b/c.java", "a/z.java"), lines(t.ok("list_files", "path", "a").output()));
        assertEquals(List.of("a/b/c.java"), lines(t.ok("list_files", "path", "./a/b/").output()));
    }

    @Test
    void globWithoutSlashMatchesNamesAtAnyDepth() throws Exception {
        assertEquals(List.of("a/b/c.java", "a/z.java"), lines(t.ok("list_files", "glob", "*.java").output()));
    }

    @Test
    void globWithSlashMatchesRelativePaths() throws Exception {
        assertEquals(List.of("a/b/c.java"), lines(t.ok("list_files", "glob", "a/b/*.java").output()));
        assertEquals(List.of("a/b/c.java", "a/z.java"), lines(t.ok("list_files", "glob", "**/*.java").output()));
        assertEquals(List.of("b/c.java"), lines(t.ok("list_files", "path", "a", "glob", "b/*").output())
                .stream().map(s -> s.substring(2)).toList());
    }

    @Test
    void nullOptionalFieldsMeanNotGiven() throws Exception {
        assertEquals(5, lines(t.ok("list_files", "path", null, "glob", null).output()).size());
    }

    @Test
    void saysWhenNothingMatches() throws Exception {
        assertContains(t.ok("list_files", "glob", "*.rs").output(), "no files under '.' match the glob '*.rs'");
    }

    @Test
    void invalidGlobIsAValidationError() {
        assertContains(String.join("\n", ToolTestSupport.tool("list_files").validate(
                ToolTestSupport.input("glob", "a[b"))), "field 'glob': expected a valid glob pattern");
    }

    @Test
    void showsSymlinksWithoutFollowingThem(@TempDir Path outside) throws Exception {
        Files.writeString(outside.resolve("hidden.txt"), "x");
        Files.createSymbolicLink(root.resolve("out"), outside);
        String out = t.ok("list_files").output();
        assertContains(out, "out -> " + outside);
        assertEquals(false, out.contains("hidden.txt"));
    }

    @Test
    void missingDirectoryIsAnError() throws Exception {
        assertContains(t.error("list_files", "path", "nope").output(), "not found: 'nope'");
    }

    @Test
    void listingIsCapped() throws Exception {
        Path many = Files.createDirectories(root.resolve("many"));
        for (int i = 0; i < 1100; i++) {
            Files.createFile(many.resolve(String.format("f%04d", i)));
        }
        String out = t.ok("list_files", "path", "many").output();
        List<String> lines = lines(out);
        assertEquals(1001, lines.size());
        assertEquals("many/f0000", lines.get(0));
        assertContains(lines.get(1000), "showing the first 1000 of 1100 files");
    }

    @Test
    void aFileListsItself() throws Exception {
        assertEquals("b.txt", t.ok("list_files", "path", "b.txt").output());
    }

    @Test
    void cancelledLoopStopsTheWalk() {
        ManualTestCancellation cancel = new ManualTestCancellation();
        cancel.cancel();
        t.cancel = cancel;
        org.junit.jupiter.api.Assertions.assertThrows(InterruptedException.class, () -> t.call("list_files"));
        org.junit.jupiter.api.Assertions.assertThrows(InterruptedException.class,
                () -> t.call("search_files", "pattern", "x"));
    }
}
