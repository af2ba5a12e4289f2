package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.context.ArtifactWatch;
import dev.loopwire.engine.context.internal.WatchState;
import dev.loopwire.engine.tools.BuiltinTools;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.StopConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real loop scans its workspace with a file watch (directories without events are not even
 * stat'ed, as the journal's {@code artifactScan} figures show), reports the same changes as the
 * stat-based scan would, and closes the watch when it rests.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArtifactWatchLoopTest {

    private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));
    /** Root, d0..d19 and their sub/ directories. */
    private static final int DIRECTORIES = 41;

    @TempDir
    Path temp;
    EngineFixture fx;

    @BeforeEach
    void setUp() throws IOException {
        try (ArtifactWatch probe = ArtifactWatch.start(temp).orElse(null)) {
            assumeTrue(probe != null, "no event-based WatchService on this platform");
        }
        fx = new EngineFixture(temp);
        for (int d = 0; d < 20; d++) {
            Path dir = Files.createDirectories(fx.workspace.resolve("d" + d + "/sub"));
            for (int f = 0; f < 5; f++) {
                Files.writeString(dir.resolveSibling("f" + f + ".txt"), "file " + d + "." + f);
            }
            Files.writeString(dir.resolve("g.txt"), "deep " + d);
        }
        try (Stream<Path> s = Files.walk(fx.workspace)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.setLastModifiedTime(p, AN_HOUR_AGO); // a workspace at rest: nothing is "racy"
            }
        }
    }

    private StartLoopParams params(int iterations, boolean autoRun) {
        StartLoopParams p = fx.params("watch", EngineFixture.iterations(iterations),
                EngineFixture.approval("auto", null), autoRun);
        return new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(), p.provider(),
                p.budget(), p.approval(), p.autoRun(), p.name(), p.check(), p.judge(), new StopConfig(0, 0, null),
                p.waits(), p.schedule(), p.doneToken());
    }

    private DefaultLoopEngine engine(ScriptedTestProvider provider) {
        return new DefaultLoopEngine(fx.options(new TestProviderRegistry().with("scripted", provider)),
                BuiltinTools.all(), StoreObserver.NONE);
    }

    /** The {@code artifactScan} figures of each iteration's verification, in order. */
    private List<JsonNode> scans(String loopId) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(fx.workspace.resolve(".loopwire/loops/" + loopId + "/journal.jsonl"))) {
            JsonNode e = Json.MAPPER.readTree(line);
            if ("verification".equals(e.path("type").asText())) {
                out.add(e.path("artifactScan"));
            }
        }
        return out;
    }

    private static int watchServiceThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("FileSystemWatchService")).count();
    }

    /** Waits (bounded) until {@code value} is {@code expected}; a closed watch's thread ends shortly after. */
    private static void eventually(int expected, IntSupplier value, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (value.getAsInt() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, value.getAsInt(), what);
    }

    @Test
    void aRunningLoopScansWithItsWatchAndClosesItWhenItEnds() throws Exception {
        int watchesBefore = WatchState.openWatches();
        int threadsBefore = watchServiceThreads();
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("one new file", call("w", "write_file", Map.of("path", "d1/new.txt", "content", "fresh"))),
                tools("a directory made, one removed", call("c", "run_command",
                        Map.of("command", "mkdir -p made/deep && echo x > made/deep/a.txt && rm -r d2"))),
                tools("ignore d3", call("g", "write_file", Map.of("path", ".gitignore", "content", "d3/\n"))),
                tools("change in the new directory", call("m", "run_command",
                        Map.of("command", "echo more >> made/deep/a.txt"))),
                text("nothing changed"),
                text("<promise>DONE</promise>")));
        String id;
        try (DefaultLoopEngine engine = engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            id = engine.start(params(10, true)).loopId();
            while (!(events.next() instanceof LoopStatusParams s && StopPoliciesLoopTest.TERMINAL.contains(s.status()))) {
                // until the loop ends
            }
            assertEquals("succeeded", engine.get(id).loop().status());
            eventually(watchesBefore, WatchState::openWatches, "the loop's watch is closed when it ends");
        }
        eventually(threadsBefore, ArtifactWatchLoopTest::watchServiceThreads, "no WatchService thread is left");

        List<String> prompts = provider.requests.stream().map(r -> r.prompt()).toList();
        assertTrue(prompts.get(1).contains("(1: 1 new):\n- d1/new.txt | new | 5 bytes"), prompts.get(1));
        assertTrue(prompts.get(2).contains("(7: 1 new, 6 deleted):"), prompts.get(2));
        assertTrue(prompts.get(2).contains("- d2/f0.txt | deleted") && prompts.get(2).contains("- d2/sub/g.txt | deleted")
                && prompts.get(2).contains("- made/deep/a.txt | new | 2 bytes"), prompts.get(2));
        assertTrue(prompts.get(3).contains("(1: 1 new):\n- .gitignore | new | 4 bytes"),
                "d3's files became ignored, which is no deletion: " + prompts.get(3));
        assertTrue(prompts.get(4).contains("(1: 1 modified):\n- made/deep/a.txt | modified | 7 bytes"), prompts.get(4));
        assertTrue(prompts.get(5).contains("Artifacts new, modified or deleted since the last iteration: none."),
                prompts.get(5));

        List<JsonNode> scans = scans(id);
        assertEquals(6, scans.size(), scans.toString());
        JsonNode ignoreEdit = scans.get(2);
        assertEquals(DIRECTORIES - 2 + 2 - 2, ignoreEdit.path("directoriesListed").asInt(),
                "a root .gitignore edit makes the scan look at every directory again: " + ignoreEdit);
        for (JsonNode scan : List.of(scans.get(0), scans.get(1), scans.get(3), scans.get(4), scans.get(5))) {
            assertTrue(scan.path("watched").asBoolean(), scan.toString());
            assertTrue(scan.path("directoriesTrusted").asInt() > 0, "directories skipped thanks to the watch: " + scan);
            assertTrue(scan.path("entriesStatted").asInt() < 30, "far fewer lstats than the 160 entries: " + scan);
            assertEquals(0, scan.path("directoriesReused").asInt(), "no directory re-stat'ed: " + scan);
        }
        JsonNode quiet = scans.get(4); // "nothing changed"
        assertEquals(0, quiet.path("entriesStatted").asInt(), quiet.toString());
        assertEquals(0, quiet.path("directoriesListed").asInt(), quiet.toString());
        assertEquals(DIRECTORIES - 2 + 2 - 2, quiet.path("directoriesTrusted").asInt(),
                "d2/ and d2/sub/ gone, made/ and made/deep/ new, d3/ and d3/sub/ ignored: " + quiet);
    }

    @Test
    void eachRunOpensItsOwnWatchAndARestingLoopHoldsNone() throws Exception {
        int watchesBefore = WatchState.openWatches();
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("first", call("a", "write_file", Map.of("path", "d5/a.txt", "content", "a"))),
                tools("second", call("b", "write_file", Map.of("path", "d6/b.txt", "content", "b"))),
                text("third")));
        try (DefaultLoopEngine engine = engine(provider)) {
            String id = engine.start(params(10, false)).loopId();
            engine.step(id).get(20, TimeUnit.SECONDS);
            eventually(watchesBefore, WatchState::openWatches, "a paused loop holds no watch");
            engine.step(id).get(20, TimeUnit.SECONDS);
            eventually(watchesBefore, WatchState::openWatches, "a paused loop holds no watch");
            engine.step(id).get(20, TimeUnit.SECONDS);
            List<JsonNode> scans = scans(id);
            assertEquals(3, scans.size(), scans.toString());
            assertTrue(scans.get(0).path("directoriesTrusted").asInt() > 0,
                    "the first run's watch was opened by its baseline scan: " + scans.get(0));
            for (JsonNode later : scans.subList(1, 3)) {
                assertTrue(later.path("watched").asBoolean(), later.toString());
                assertEquals(0, later.path("directoriesTrusted").asInt(),
                        "a new run's new watch stats everything once: " + later);
            }
            assertTrue(provider.requests.get(1).prompt().contains("- d5/a.txt | new"));
            assertTrue(provider.requests.get(2).prompt().contains("- d6/b.txt | new"));
        }
        eventually(watchesBefore, WatchState::openWatches, "none left after the engine closed");
    }

    @Test
    void afterARestartTheFirstScanStartsFromTheFileAndTheNextOnesAreWatched() throws Exception {
        int watchesBefore = WatchState.openWatches();
        List<ScriptedTestProvider.Turn> script = List.of(
                tools("first", call("a", "write_file", Map.of("path", "d5/a.txt", "content", "a"))),
                tools("second", call("b", "write_file", Map.of("path", "d6/b.txt", "content", "b"))),
                text("quiet"),
                text("<promise>DONE</promise>"));
        String id;
        try (DefaultLoopEngine engine = engine(new ScriptedTestProvider(script))) {
            id = engine.start(params(10, false)).loopId();
            engine.step(id).get(20, TimeUnit.SECONDS);
        }
        Files.writeString(fx.workspace.resolve("d7/while-down.txt"), "written while no engine ran");
        ScriptedTestProvider provider = new ScriptedTestProvider(script);
        try (DefaultLoopEngine engine = engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            engine.list(fx.workspace);
            engine.resume(id, null);
            while (!(events.next() instanceof LoopStatusParams s && StopPoliciesLoopTest.TERMINAL.contains(s.status()))) {
                // until the loop ends
            }
            assertEquals("succeeded", engine.get(id).loop().status());
        }
        eventually(watchesBefore, WatchState::openWatches, "no watch left after the engines closed");
        String third = provider.requests.get(1).prompt();
        assertTrue(third.contains("(2: 2 new):\n- d6/b.txt | new | 1 bytes"), third);
        assertTrue(third.contains("- d7/while-down.txt | new"), "changed while no engine ran: " + third);
        List<JsonNode> scans = scans(id);
        assertEquals(4, scans.size(), scans.toString());
        assertTrue(scans.get(0).path("directoriesTrusted").asInt() > 0, scans.get(0).toString());
        JsonNode afterRestart = scans.get(1);
        assertTrue(afterRestart.path("watched").asBoolean(), afterRestart.toString());
        assertEquals(0, afterRestart.path("directoriesTrusted").asInt(), "from the file, stat-based: " + afterRestart);
        assertTrue(afterRestart.path("entriesStatted").asInt() > 100, afterRestart.toString());
        for (JsonNode later : scans.subList(2, 4)) {
            assertEquals(DIRECTORIES, later.path("directoriesTrusted").asInt(), "then watched: " + later);
            assertEquals(0, later.path("entriesStatted").asInt(), later.toString());
        }
    }

    @Test
    void theWatchStaysOpenThroughTheIntervalBetweenIterations() throws Exception {
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("first", call("a", "write_file", Map.of("path", "d8/a.txt", "content", "a"))),
                tools("second", call("b", "write_file", Map.of("path", "d9/b.txt", "content", "b"))),
                text("<promise>DONE</promise>")));
        try (DefaultLoopEngine engine = engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.withInterval(params(10, true), 0.2)).loopId();
            boolean waited = false;
            while (!(events.next() instanceof LoopStatusParams s && StopPoliciesLoopTest.TERMINAL.contains(s.status()))) {
                waited |= engine.get(id).loop().status().equals("waiting");
            }
            List<JsonNode> scans = scans(id);
            assertEquals(3, scans.size(), scans.toString());
            for (JsonNode scan : scans) {
                assertTrue(scan.path("directoriesTrusted").asInt() > 0, "one watch for the whole run: " + scan);
            }
            assertTrue(provider.requests.get(2).prompt().contains("- d9/b.txt | new"));
            assertTrue(waited || Files.readString(fx.workspace.resolve(".loopwire/loops/" + id + "/journal.jsonl"))
                    .contains("\"status\":\"waiting\""), "the loop waited between iterations");
        }
    }
}
