package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.crash;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.ToolCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery at every point of an iteration: the loop directory is copied after every
 * durable write (what a crash right after that write leaves), and each copy is opened by a
 * fresh engine and driven to the end.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RecoveryTest {

    @TempDir
    Path temp;

    private static List<ScriptedTestProvider.Turn> script() {
        return List.of(
                tools("first", call("e1", "echo", Map.of("text", "a")), call("g1", "guarded", Map.of("cmd", "make"))),
                tools("second", call("n1", "note", Map.of("text", "remember this"))),
                text("third\n<promise>DONE</promise>"));
    }

    @Test
    void everyCrashPointRecoversAndFinishes() throws Exception {
        EngineFixture fx = new EngineFixture(temp.resolve("original"));
        Path snapshots = temp.resolve("snapshots");
        List<Path> copies = new ArrayList<>();
        StoreObserver copier = (dir, what) -> {
            Path target = snapshots.resolve(String.format("%03d-%s", copies.size(), what.replace(':', '_')));
            copyLoopDir(dir, target.resolve(dir.getFileName().toString()));
            copies.add(target);
        };
        String loopId;
        try (DefaultLoopEngine engine = fx.engine(new ScriptedTestProvider(script()), copier)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            loopId = engine.start(fx.params("recover", null, null, true)).loopId();
            String approvalId;
            try {
                approvalId = events.awaitApproval();
            } catch (AssertionError e) {
                throw new AssertionError("no approval; loop: " + engine.get(loopId).loop(), e);
            }
            engine.approve(new ApproveParams(loopId, approvalId, "allow_once", null));
            events.awaitStatus("succeeded");
        }
        assertTrue(copies.size() > 30, "writes observed: " + copies.size());
        for (Path copy : copies) {
            recoverAndFinish(copy, loopId);
        }
    }

    private void recoverAndFinish(Path snapshot, String loopId) throws Exception {
        Path ws = temp.resolve("recover").resolve(snapshot.getFileName());
        copyLoopDir(snapshot.resolve(loopId), ws.resolve(".loopwire/loops").resolve(loopId));
        LoopState before = Files.exists(ws.resolve(".loopwire/loops/" + loopId + "/state.json"))
                ? Json.MAPPER.readValue(ws.resolve(".loopwire/loops/" + loopId + "/state.json").toFile(), LoopState.class)
                : null;
        boolean complete = Files.exists(ws.resolve(".loopwire/loops/" + loopId + "/loop.json"));
        ScriptedTestProvider provider = new ScriptedTestProvider(script());
        EngineFixture fx = new EngineFixture(ws.getParent().resolve(ws.getFileName() + "-fx"));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            List<LoopSnapshot> loops = engine.list(ws);
            if (!complete) {
                assertTrue(loops.isEmpty(), snapshot + ": a loop without loop.json is not a loop yet");
                return;
            }
            assertEquals(1, loops.size(), snapshot.toString());
            for (int guard = 0; guard < 10; guard++) {
                LoopSnapshot s = engine.get(loopId).loop();
                String status = s.status();
                assertFalse(status.equals("running") || status.equals("waiting"),
                        snapshot + ": a loop caught mid-run must not look running: " + status);
                if (status.equals("succeeded")) {
                    break;
                }
                RecordingEvents events = RecordingEvents.lifecycle();
                AutoCloseable subscription = engine.subscribe(events);
                if (status.equals("awaiting_approval")) {
                    engine.approve(new ApproveParams(loopId, s.pendingApproval().approvalId(), "allow_once", null));
                } else {
                    assertTrue(s.resumable(), snapshot + ": " + status);
                    engine.resume(loopId, null);
                }
                String end = awaitRest(events);
                subscription.close();
                if (end.equals("failed")) {
                    fail(snapshot + ": failed: " + engine.get(loopId).loop().reason());
                }
            }
            assertEquals("succeeded", engine.get(loopId).loop().status(), snapshot.toString());
            checkRecords(snapshot, engine.get(loopId).iterations());
            checkJournal(snapshot, ws.resolve(".loopwire/loops/" + loopId + "/journal.jsonl"));
            String memory = engine.memory(loopId).content();
            for (int i = 1; i <= 3; i++) {
                int index = i;
                assertEquals(1, memory.lines().filter(l -> l.startsWith("- #" + index + ":")).count(),
                        snapshot + ": progress line " + i + " once\n" + memory);
            }
            // a call the crash caught while it ran is reported as unknown, never run twice
            String noteStatus = engine.get(loopId).iterations().get(1).toolCalls().get(0).status();
            long notes = memory.lines().filter(l -> l.equals("- remember this")).count();
            if (noteStatus.equals("ok")) {
                assertEquals(1, notes, snapshot + "\n" + memory);
            } else {
                assertTrue(notes <= 1, snapshot + "\n" + memory);
            }
            // a turn that was received before the crash is never requested again
            int firstCall = before == null ? 0 : before.providerCalls;
            List<Integer> calls = provider.requests.stream().map(r -> r.callIndex()).toList();
            assertEquals(IntStream.range(firstCall, 3).boxed().toList(), calls, snapshot.toString());
        }
    }

    private static String awaitRest(RecordingEvents events) {
        while (true) {
            Object e = events.next();
            if (e instanceof dev.loopwire.protocol.LoopStatusParams s && !s.status().equals("running")
                    && !s.status().equals("waiting")) {
                return s.status();
            }
        }
    }

    private static void checkRecords(Path snapshot, List<IterationRecord> records) {
        assertEquals(List.of(1, 2, 3), records.stream().map(IterationRecord::index).toList(), snapshot.toString());
        for (IterationRecord r : records) {
            for (ToolCall c : r.toolCalls()) {
                assertTrue(List.of("ok", "error").contains(c.status()), snapshot + ": " + c);
            }
        }
        assertEquals(2, records.get(0).toolCalls().size(), snapshot.toString());
    }

    private static void checkJournal(Path snapshot, Path journal) throws IOException {
        List<Integer> indices = new ArrayList<>();
        for (JsonNode event : Journal.read(journal)) {
            if (event.path("type").asText().equals("iteration")) {
                indices.add(event.path("record").path("index").asInt());
            }
        }
        assertEquals(List.of(1, 2, 3), indices, snapshot + ": each iteration journaled exactly once");
        List<String> lines = Files.readAllLines(journal);
        for (String line : lines) {
            Json.MAPPER.readTree(line);
        }
    }

    @Test
    void aCrashInTheProviderLeavesAResumableLoopThatRetriesTheSameCall() throws Exception {
        EngineFixture fx = new EngineFixture(temp.resolve("crash"));
        ScriptedTestProvider crashing = new ScriptedTestProvider(List.of(text("one"), crash()));
        String loopId;
        Path dir;
        try (DefaultLoopEngine engine = fx.engine(crashing)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            loopId = engine.start(fx.params("crash")).loopId();
            events.assertNextStatus("created");
            events.assertNextStatus("running");
            events.assertNextIterationWithMemory(1);
            // the provider's Error killed the run without a trace on disk: what a process crash leaves
            dir = fx.workspace.resolve(".loopwire/loops").resolve(loopId);
            while (crashing.requests.size() < 2) {
                Thread.sleep(10);
            }
            Path copy = temp.resolve("after-crash/.loopwire/loops").resolve(loopId);
            Thread.sleep(100);
            copyLoopDir(dir, copy);
            ScriptedTestProvider healthy = new ScriptedTestProvider(List.of(text("one"), text("two\n<promise>DONE</promise>")));
            EngineFixture fx2 = new EngineFixture(temp.resolve("fx2"));
            try (DefaultLoopEngine second = fx2.engine(healthy)) {
                RecordingEvents events2 = RecordingEvents.lifecycle();
                second.subscribe(events2);
                LoopSnapshot s = second.list(temp.resolve("after-crash")).get(0);
                assertEquals("interrupted", s.status());
                assertTrue(s.resumable());
                assertEquals("Resume with loopwire resume " + loopId, s.recommendedAction());
                assertTrue(s.reason().contains("during iteration 2"), s.reason());
                second.resume(loopId, null);
                events2.awaitStatus("succeeded");
                assertEquals(List.of(1), healthy.requests.stream().map(r -> r.callIndex()).toList());
            }
        }
    }

    @Test
    void aTornLastJournalLineIsRepairedOnOpen() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        String loopId;
        try (DefaultLoopEngine engine = fx.engine(new ScriptedTestProvider(List.of(text("x\n<promise>DONE</promise>"))))) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            loopId = engine.start(fx.params("torn")).loopId();
            events.awaitStatus("succeeded");
        }
        Path journal = fx.workspace.resolve(".loopwire/loops").resolve(loopId).resolve("journal.jsonl");
        Files.writeString(journal, "{\"seq\":99,\"type\":\"stat", java.nio.file.StandardOpenOption.APPEND);
        try (DefaultLoopEngine engine = fx.engine(new ScriptedTestProvider(List.of()))) {
            engine.openWorkspace(fx.workspace);
            assertEquals("succeeded", engine.get(loopId).loop().status());
            assertEquals(1, engine.get(loopId).iterations().size());
            List<String> lines = Files.readAllLines(journal);
            for (String line : lines) {
                Json.MAPPER.readTree(line);
            }
            assertTrue(lines.get(lines.size() - 1).contains("journal_repaired"), String.join("\n", lines));
            assertEquals("{\"seq\":99,\"type\":\"stat",
                    Files.readString(journal.resolveSibling("journal.jsonl.torn")));
        }
    }

    @Test
    void aSecondEngineCannotRunALoopThisOneRuns() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(ScriptedTestProvider.block()));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            String loopId = engine.start(fx.params("owned")).loopId();
            assertTrue(provider.blocked.await(10, TimeUnit.SECONDS));
            try (DefaultLoopEngine other = fx.engine(new ScriptedTestProvider(List.of()))) {
                LoopSnapshot seen = other.list(fx.workspace).get(0);
                assertEquals("running", seen.status());
                assertFalse(seen.resumable());
                assertTrue(seen.reason().contains("being run by process"), seen.reason());
                var e = org.junit.jupiter.api.Assertions.assertThrows(dev.loopwire.engine.LoopException.class,
                        () -> other.cancel(loopId));
                assertEquals(dev.loopwire.protocol.ErrorCode.WRONG_STATE, e.code());
                assertTrue(e.getMessage().contains("being run by process"), e.getMessage());
                assertEquals("cancelled", engine.cancel(loopId).status());
                // once the first engine let go, a fresh look sees the loop as it is now
                LoopSnapshot now = other.list(fx.workspace).get(0);
                assertEquals("cancelled", now.status());
                assertEquals("cancelled by request", now.reason());
            }
        }
    }

    static void copyLoopDir(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (Stream<Path> files = Files.list(from)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.equals(LoopDir.OWNER_LOCK) || name.endsWith(".tmp") || Files.isDirectory(f)) {
                        continue;
                    }
                    Files.copy(f, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
