package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.EngineOptions;
import dev.loopwire.engine.spi.CommandResult;
import dev.loopwire.engine.spi.CommandRunner;
import dev.loopwire.engine.spi.CommandSpec;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.engine.tools.BuiltinTools;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.ToolCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The engine with the real built-in tools and real processes (through a test command runner). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BuiltinToolsLoopTest {

    @TempDir
    Path temp;

    /** Test double around the ProcessBuilder runner that tells the test when a process started. */
    static final class LatchingRunner implements CommandRunner {
        final CommandRunner delegate = new ProcessBuilderTestCommandRunner();
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicLong pid = new AtomicLong();

        @Override
        public CommandResult run(CommandSpec spec, Cancellation cancel, ProcessTracker tracker)
                throws InterruptedException {
            return delegate.run(spec, cancel, new ProcessTracker() {
                @Override
                public void started(long p, long startEpochMillis, String command) {
                    tracker.started(p, startEpochMillis, command);
                    pid.set(p);
                    started.countDown();
                }

                @Override
                public void ended(long p) {
                    tracker.ended(p);
                }
            });
        }
    }

    private DefaultLoopEngine engine(EngineFixture fx, ScriptedTestProvider provider, CommandRunner runner) {
        EngineOptions base = fx.options(new TestProviderRegistry().with("scripted", provider));
        EngineOptions options = new EngineOptions(base.providers(), runner, base.clock(), base.userConfigDir(),
                base.environment(), base.maxRunningLoops());
        return new DefaultLoopEngine(options, BuiltinTools.all(), StoreObserver.NONE);
    }

    @Test
    void helloLoopWritesAFileRunsAnApprovedCommandAndUpdatesItsMemory() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("Writing hello.", call("w", "write_file", Map.of("path", "hello.txt", "content", "Hello, loop!\n"))),
                tools("Checking it.", call("r", "run_command", Map.of("command", "cat hello.txt; echo \"[$SECRET_TOKEN]\""))),
                tools("Remembering.", call("m", "update_memory", Map.of("text", "hello.txt is written"))),
                text("Done.\n<promise>DONE</promise>")));
        try (DefaultLoopEngine engine = engine(fx, provider, new ProcessBuilderTestCommandRunner())) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("say hello")).loopId();
            String approvalId = events.awaitApproval();
            assertEquals("Hello, loop!\n", Files.readString(fx.workspace.resolve("hello.txt")));
            engine.approve(new ApproveParams(id, approvalId, "allow_once", null));
            events.awaitStatus("succeeded");
            List<ToolCall> run = engine.get(id).iterations().get(1).toolCalls();
            assertEquals("ok", run.get(0).status(), run.get(0).output());
            assertTrue(run.get(0).output().contains("Hello, loop!"), run.get(0).output());
            assertTrue(run.get(0).output().contains("[]"), "secrets are scrubbed: " + run.get(0).output());
            assertTrue(engine.memory(id).content().contains("hello.txt is written"));
            assertEquals(List.of("read_file", "write_file", "edit_file", "list_files", "search_files", "run_command",
                    "update_memory"), provider.requests.get(0).tools().stream().map(t -> t.name()).toList());
        }
    }

    @Test
    void cancelDuringARunningCommandKillsItAndEndsCancelled() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("sleeping", call("s", "run_command", Map.of("command", "sleep 30")))));
        LatchingRunner runner = new LatchingRunner();
        try (DefaultLoopEngine engine = engine(fx, provider, runner)) {
            String id = engine.start(fx.params("sleep", null, EngineFixture.approval("auto", null), true)).loopId();
            assertTrue(runner.started.await(10, TimeUnit.SECONDS));
            Path state = fx.workspace.resolve(".loopwire/loops/" + id + "/state.json");
            assertTrue(Files.readString(state).contains("\"pid\" : " + runner.pid.get()), "tracked in state.json");
            assertEquals("cancelled", engine.cancel(id).status());
            assertFalse(ProcessHandle.of(runner.pid.get()).map(ProcessHandle::isAlive).orElse(false),
                    "the command was killed");
            assertFalse(Files.readString(state).contains("\"pid\""), "no process left in state.json");
        }
    }
}
