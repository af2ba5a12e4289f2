package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.EngineOptions;
import dev.loopwire.engine.spi.ProcessProbe;
import dev.loopwire.engine.tools.BuiltinTools;
import dev.loopwire.protocol.ApprovalConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real orphan: a {@code sleep} started through run_command whose recorded PID survives a
 * simulated crash (the loop directory copied while it runs) is stopped when the copy is opened,
 * and left alone and reported when the PID's start time says it is another program.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OrphanProcessesTest {

    @TempDir
    Path temp;

    /** Test double for the server's process control: {@link ProcessHandle}, killing only a matching start time. */
    static final class ProcessHandleKillTestProbe implements ProcessProbe {
        @Override
        public boolean isAlive(long pid) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }

        @Override
        public OptionalLong startEpochMillis(long pid) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant())
                    .map(i -> OptionalLong.of(i.toEpochMilli())).orElse(OptionalLong.empty());
        }

        @Override
        public boolean killTree(long pid, long startEpochMillis) {
            OptionalLong start = startEpochMillis(pid);
            if (start.isEmpty() || Math.abs(start.getAsLong() - startEpochMillis) > 1000) {
                return false;
            }
            ProcessHandle handle = ProcessHandle.of(pid).orElseThrow();
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
            return true;
        }
    }

    @Test
    void anOrphanOfACrashedServerIsStoppedAndAReusedPidIsOnlyReported() throws Exception {
        EngineFixture fx = new EngineFixture(temp.resolve("crashed"));
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("sleeping", call("s", "run_command", Map.of("command", "exec sleep 30"))),
                text("done\n<promise>DONE</promise>")));
        CountDownLatch recorded = new CountDownLatch(1);
        StoreObserver onStart = (dir, what) -> {
            if (what.equals(LoopDir.JOURNAL + ":process_started")) {
                recorded.countDown();
            }
        };
        EngineOptions base = fx.options(new TestProviderRegistry().with("scripted", provider));
        try (DefaultLoopEngine crashed = new DefaultLoopEngine(base, BuiltinTools.all(), onStart)) {
            String loopId = crashed.start(fx.params("sleeper", null, new ApprovalConfig("auto", null, null, null, null),
                    true)).loopId();
            assertTrue(recorded.await(20, TimeUnit.SECONDS), "run_command recorded its process");
            Path dir = fx.workspace.resolve(".loopwire/loops").resolve(loopId);
            LoopState state = Json.MAPPER.readValue(dir.resolve(LoopDir.STATE_JSON).toFile(), LoopState.class);
            assertEquals(1, state.processes.size());
            long pid = state.processes.get(0).pid;
            ProcessHandle sleeper = ProcessHandle.of(pid).orElseThrow();

            // what a crash right now leaves, but the PID's start time says another program has it now
            Path reused = temp.resolve("reused/.loopwire/loops").resolve(loopId);
            RecoveryTest.copyLoopDir(dir, reused);
            LoopState edited = Json.MAPPER.readValue(reused.resolve(LoopDir.STATE_JSON).toFile(), LoopState.class);
            edited.processes.get(0).startEpochMillis -= 3_600_000;
            Files.write(reused.resolve(LoopDir.STATE_JSON), Json.pretty(edited));
            try (DefaultLoopEngine second = engine(fx, provider)) {
                second.openWorkspace(temp.resolve("reused"));
                assertTrue(sleeper.isAlive(), "a PID that is not ours is never killed");
                JsonNode event = orphanEvent(reused);
                assertEquals("not_ours", event.path("outcome").asText());
                assertTrue(event.path("line").asText().contains("belongs to another program"), event.toString());
                assertTrue(readState(reused).processes.isEmpty());
                assertEquals("interrupted", second.get(loopId).loop().status());
            }

            // the crash as it is: the recorded process is ours and is stopped
            Path copy = temp.resolve("copy/.loopwire/loops").resolve(loopId);
            RecoveryTest.copyLoopDir(dir, copy);
            try (DefaultLoopEngine second = engine(fx, provider)) {
                second.openWorkspace(temp.resolve("copy"));
                sleeper.onExit().get(10, TimeUnit.SECONDS);
                assertFalse(sleeper.isAlive());
                assertEquals("stopped", orphanEvent(copy).path("outcome").asText());
                assertTrue(readState(copy).processes.isEmpty());
            }
        }
    }

    private static DefaultLoopEngine engine(EngineFixture fx, ScriptedTestProvider provider) {
        EngineOptions options = fx.options(new TestProviderRegistry().with("scripted", provider))
                .withProcessProbe(new ProcessHandleKillTestProbe());
        return new DefaultLoopEngine(options, BuiltinTools.all(), StoreObserver.NONE);
    }

    private static LoopState readState(Path dir) throws Exception {
        return Json.MAPPER.readValue(dir.resolve(LoopDir.STATE_JSON).toFile(), LoopState.class);
    }

    private static JsonNode orphanEvent(Path dir) throws Exception {
        JsonNode found = null;
        for (JsonNode event : Journal.read(dir.resolve(LoopDir.JOURNAL))) {
            if (event.path("type").asText().equals("orphan_process")) {
                found = event;
            }
        }
        assertTrue(found != null, "an orphan_process event in " + dir);
        return found;
    }
}
