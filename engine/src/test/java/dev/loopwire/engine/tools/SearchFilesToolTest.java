package dev.loopwire.engine.tools;

import static dev.loopwire.engine.tools.ToolTestSupport.assertContains;
import static dev.loopwire.engine.tools.ToolTestSupport.lines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class SearchFilesToolTest {

    @TempDir
    Path root;
    ToolTestSupport t;

    @BeforeEach
    void setUp() throws Exception {
        t = new ToolTestSupport(root);
        Files.createDirectories(root.resolve("src/util"));
        Files.writeString(root.resolve("src/Main.java"), "class Main {\n  // TODO: start\n}\n");
        Files.writeString(root.resolve("src/util/Io.java"), "// fixme later\r\nclass Io { /* TODO close */ }");
        Files.writeString(root.resolve("notes.md"), "nothing here\n");
        Files.createDirectories(root.resolve(".git"));
        Files.writeString(root.resolve(".git/TODO"), "TODO in git\n");
    }

    @Test
    void findsMatchingLinesAsPathLineText() throws Exception {
        assertEquals(List.of("src/Main.java:2: // TODO: start", "src/util/Io.java:2: class Io { /* TODO close */ }"),
                lines(t.ok("search_files", "pattern", "TODO").output()));
    }

    @Test
    void supportsRegexFlagsAndAPath() throws Exception {
        assertEquals(List.of("src/util/Io.java:1: // fixme later"),
                lines(t.ok("search_files", "pattern", "(?i)FIXME|nothing\\s+else", "path", "src").output()));
        assertEquals(List.of("notes.md:1: nothing here"),
                lines(t.ok("search_files", "pattern", "^nothing", "path", "notes.md").output()));
    }

    @Test
    void saysWhenNothingMatches() throws Exception {
        assertContains(t.ok("search_files", "pattern", "absent").output(), "no matches for /absent/ in '.'",
                "3 files searched");
    }

    @Test
    void skipsBinaryFiles() throws Exception {
        Files.write(root.resolve("blob.bin"), new byte[] {'T', 'O', 'D', 'O', 0, 1, 2});
        String out = t.ok("search_files", "pattern", "TODO").output();
        assertFalse(out.contains("blob.bin:"), out);
        assertContains(out, "skipped 1 binary");
    }

    @Test
    void invalidRegexIsAnError() throws Exception {
        assertContains(t.error("search_files", "pattern", "(unclosed").output(),
                "field 'pattern': expected a valid regular expression", "Unclosed group");
    }

    @Test
    void resultsAreCapped() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            text.append("hit ").append(i).append('\n');
        }
        Files.writeString(root.resolve("many.txt"), text);
        List<String> lines = lines(t.ok("search_files", "pattern", "hit").output());
        assertEquals(201, lines.size());
        assertEquals("many.txt:1: hit 0", lines.get(0));
        assertContains(lines.get(200), "showing the first 200 matching lines");
    }

    @Test
    void longLinesAreCut() throws Exception {
        Files.writeString(root.resolve("long.txt"), "x".repeat(1000) + " needle\n");
        String out = t.ok("search_files", "pattern", "needle").output();
        assertTrue(out.length() < 400, out);
        assertContains(out, "long.txt:1: xxx", "line cut, 1007 characters");
    }

    @Test
    void interruptedSearchStopsWithInterruptedException() throws Exception {
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedException.class, () -> t.call("search_files", "pattern", "TODO"));
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void catastrophicRegexStopsWhenInterruptedWhileMatching() throws Exception {
        Files.writeString(root.resolve("evil.txt"), "a".repeat(40) + "!\n");
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread searcher = new Thread(() -> {
            try {
                outcome.complete(t.call("search_files", "pattern", "(.*a){25}$", "path", "evil.txt"));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        searcher.start();
        // No latch can tell that the matcher runs: watch the thread's stack until it is inside java.util.regex.
        while (!outcome.isDone() && Arrays.stream(searcher.getStackTrace())
                .noneMatch(frame -> frame.getClassName().startsWith("java.util.regex"))) {
            Thread.onSpinWait();
        }
        searcher.interrupt();
        assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof InterruptedException, () -> outcome.join().toString());
    }
}
