package dev.loopwire.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An append cut short in this process (a full disk mid-line, an interrupt closing the channel)
 * never glues the next event to the torn one: every whole line parses and no event that was
 * reported written is lost.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalTest {

    private static final String AT = "2026-01-01T00:00:00Z";

    @TempDir
    Path temp;

    private Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null && sh("umount", mounted.toString()) != 0) {
            sh("umount", "-l", mounted.toString());
        }
    }

    /** A journal whose appends go through a {@link FaultyTestChannel} the test controls. */
    private Journal open(Path file, List<FaultyTestChannel> opened) throws IOException {
        return Journal.open(file, f -> {
            FaultyTestChannel c = new FaultyTestChannel(FileChannel.open(f, StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND));
            opened.add(c);
            return c;
        });
    }

    private static void append(Journal journal, String type) throws IOException {
        journal.append(AT, type, Map.of("text", type + " " + "x".repeat(40)));
    }

    @Test
    void aWriteCutShortMidLineIsCutOffBeforeTheNextAppend() throws Exception {
        Path file = temp.resolve("journal.jsonl");
        List<FaultyTestChannel> channels = new ArrayList<>();
        try (Journal journal = open(file, channels)) {
            append(journal, "a");
            append(journal, "b");
            long whole = Files.size(file);
            channels.get(0).writableBytes = 10; // the disk fills up 10 bytes into the next line
            assertThrows(IOException.class, () -> append(journal, "c"));
            assertEquals(whole + 10, Files.size(file), "the failed append left a fragment");
            channels.get(0).writableBytes = -1; // space is freed
            append(journal, "d");
            journal.force();
        }
        assertEveryLineParses(file);
        assertEvents(file, List.of("a", "b", "d"), List.of(1L, 2L, 3L));
        assertFalse(Files.exists(file.resolveSibling("journal.jsonl.torn")), "nothing was torn at rest");
        assertEquals(0, Journal.repair(file));
        try (Journal journal = Journal.open(file)) {
            append(journal, "e");
        }
        assertEvents(file, List.of("a", "b", "d", "e"), List.of(1L, 2L, 3L, 4L));
    }

    @Test
    void appendsFailingAgainAndAgainThenSucceedingLeaveOnlyWholeLines() throws Exception {
        Path file = temp.resolve("journal.jsonl");
        List<FaultyTestChannel> channels = new ArrayList<>();
        try (Journal journal = open(file, channels)) {
            append(journal, "a");
            FaultyTestChannel c = channels.get(0);
            for (long cut : new long[] {0, 7, 3, 25}) {
                c.writableBytes = cut;
                assertThrows(IOException.class, () -> append(journal, "lost"));
            }
            c.writableBytes = -1;
            append(journal, "b");
            c.writableBytes = 5;
            assertThrows(IOException.class, () -> append(journal, "lost"));
            c.writableBytes = -1;
            append(journal, "c");
        }
        assertEveryLineParses(file);
        assertEvents(file, List.of("a", "b", "c"), List.of(1L, 2L, 3L));
    }

    @Test
    void whenTheFragmentCannotBeCutTheNextEventStartsOnALineOfItsOwn() throws Exception {
        Path file = temp.resolve("journal.jsonl");
        List<FaultyTestChannel> channels = new ArrayList<>();
        try (Journal journal = open(file, channels)) {
            append(journal, "a");
            FaultyTestChannel c = channels.get(0);
            c.truncateFails = true;
            c.writableBytes = 12;
            assertThrows(IOException.class, () -> append(journal, "c"));
            c.writableBytes = -1;
            append(journal, "b");
            // truncation works again: a later failure is cut off as usual
            c.truncateFails = false;
            c.writableBytes = 9;
            assertThrows(IOException.class, () -> append(journal, "lost"));
            c.writableBytes = -1;
            append(journal, "d");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertEquals("{\"seq\":2,\"at", lines.get(1), "the fragment is a line of its own");
        for (int i : new int[] {0, 2, 3}) {
            Json.MAPPER.readTree(lines.get(i));
        }
        assertEvents(file, List.of("a", "b", "d"), List.of(1L, 2L, 3L));
    }

    @Test
    void anInterruptClosingTheChannelIsRecoveredByTheNextAppend() throws Exception {
        Path file = temp.resolve("journal.jsonl");
        try (Journal journal = Journal.open(file)) {
            append(journal, "a");
            Thread.currentThread().interrupt();
            try {
                assertThrows(IOException.class, () -> append(journal, "lost"),
                        "an interrupted thread's write closes the channel");
            } finally {
                Thread.interrupted();
            }
            append(journal, "b");
            journal.force();
        }
        assertEveryLineParses(file);
        assertEvents(file, List.of("a", "b"), List.of(1L, 2L));
    }

    /**
     * A real full disk (a small tmpfs filled up): the append that hits it is cut mid-line; once
     * space is freed the same journal appends whole lines again.
     */
    @Test
    void aRealFullDiskCutsALineAndTheNextAppendAfterSpaceIsFreedIsWhole() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("small"));
        Assumptions.assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir.toString()) == 0,
                "skipped: this test mounts a tmpfs (root with CAP_SYS_ADMIN); mounting is not permitted here");
        mounted = dir;
        Path file = dir.resolve("journal.jsonl");
        Path filler = dir.resolve("filler");
        List<String> written = new ArrayList<>();
        try (Journal journal = Journal.open(file)) {
            append(journal, "first");
            written.add("first");
            fill(filler);
            long before = -1;
            IOException full = null;
            for (int i = 0; i < 200 && full == null; i++) {
                before = Files.size(file);
                try {
                    journal.append(AT, "e" + i, Map.of("text", "y".repeat(333)));
                    written.add("e" + i);
                } catch (IOException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "the disk never filled up");
            assertTrue(String.valueOf(full.getMessage()).contains("No space left"), String.valueOf(full));
            assertTrue(Files.size(file) > before, "the append that failed was cut mid-line: "
                    + Files.size(file) + " bytes, last whole line ended at " + before);
            Files.delete(filler);
            journal.append(AT, "after", Map.of("text", "space was freed"));
            written.add("after");
            journal.force();
        }
        assertEveryLineParses(file);
        List<String> types = Journal.read(file).stream().map(e -> e.get("type").asText()).toList();
        assertEquals(written, types);
        for (int i = 0; i < types.size(); i++) {
            assertEquals(i + 1, Journal.read(file).get(i).get("seq").asLong());
        }
    }

    private static void fill(Path filler) {
        byte[] chunk = new byte[1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            // full
        }
    }

    private static void assertEveryLineParses(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length == 0 || bytes[bytes.length - 1] == '\n', "the journal ends with a whole line");
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Json.MAPPER.readTree(line); // throws on a glued or torn line
        }
    }

    private static void assertEvents(Path file, List<String> types, List<Long> seqs) throws IOException {
        List<JsonNode> events = Journal.read(file);
        assertEquals(types, events.stream().map(e -> e.get("type").asText()).toList());
        assertEquals(seqs, events.stream().map(e -> e.get("seq").asLong()).toList());
    }

    private static int sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
