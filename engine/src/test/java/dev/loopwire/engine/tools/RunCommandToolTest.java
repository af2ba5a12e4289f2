package dev.loopwire.engine.tools;

import static dev.loopwire.engine.tools.ToolTestSupport.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.spi.CommandSpec;
import dev.loopwire.engine.spi.ProcessTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class RunCommandToolTest {

    @TempDir
    Path root;
    ToolTestSupport t;

    @BeforeEach
    void setUp() {
        t = new ToolTestSupport(root);
    }

    @Test
    void runsInTheWorkspaceWithTheContextEnvironment() throws Exception {
        t.environment.put("GREETING", "hi there");
        ToolResult result = t.ok("run_command", "command", "pwd; echo \"$GREETING\"; echo oops >&2");
        assertContains(result.output(), "exit code 0", root.toRealPath().toString(), "hi there", "oops");
        CommandSpec spec = t.commands.specs.get(0);
        assertEquals(root.toRealPath(), spec.workingDir());
        assertEquals(120.0, spec.timeoutSeconds());
        assertEquals(30_000, spec.maxOutputChars());
        assertEquals(t.environment, spec.environment());
    }

    @Test
    void passesTheTimeout() throws Exception {
        t.ok("run_command", "command", "true", "timeoutSeconds", 5);
        t.ok("run_command", "command", "true", "timeoutSeconds", 7.0);
        assertEquals(5.0, t.commands.specs.get(0).timeoutSeconds());
        assertEquals(7.0, t.commands.specs.get(1).timeoutSeconds());
    }

    @Test
    void nonZeroExitIsAnErrorWithTheOutput() throws Exception {
        Files.writeString(root.resolve("x.txt"), "content");
        ToolResult result = t.error("run_command", "command", "cat x.txt; exit 3");
        assertContains(result.output(), "exit code 3", "content");
    }

    @Test
    void emptyOutputIsSaid() throws Exception {
        assertContains(t.ok("run_command", "command", "true").output(), "(no output)");
    }

    @Test
    void timeoutKillsAndSaysSo() throws Exception {
        ToolResult result = t.error("run_command", "command", "sleep 30", "timeoutSeconds", 1);
        assertContains(result.output(), "timed out after 1 s", "killed", "timeoutSeconds");
    }

    @Test
    void cancelKillsTheCommand() throws Exception {
        ManualTestCancellation cancel = new ManualTestCancellation();
        CountDownLatch started = new CountDownLatch(1);
        AtomicLong pid = new AtomicLong();
        List<Long> ended = new CopyOnWriteArrayList<>();
        t.cancel = cancel;
        t.processes = new ProcessTracker() {
            @Override
            public void started(long processId, long startEpochMillis, String command) {
                pid.set(processId);
                started.countDown();
            }

            @Override
            public void ended(long processId) {
                ended.add(processId);
            }
        };
        CompletableFuture<ToolResult> call = CompletableFuture.supplyAsync(() -> {
            try {
                return t.call("run_command", "command", "sleep 60");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        cancel.cancel();
        ToolResult result = call.get(10, TimeUnit.SECONDS);
        assertFalse(result.ok());
        assertContains(result.output(), "cancelled", "killed");
        assertEquals(List.of(pid.get()), ended);
        assertFalse(ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void truncatedOutputIsSaid() throws Exception {
        ToolResult result = t.ok("run_command", "command", "seq 1 20000");
        assertContains(result.output(), "[output truncated to 30000 characters", "\n1\n", "20000");
        assertTrue(result.output().length() < 31_000);
    }

    @Test
    void asksByDefaultWithTheCommandAsSubject() {
        Tool tool = ToolTestSupport.tool("run_command");
        var input = ToolTestSupport.input("command", "rm -rf build");
        assertTrue(tool.asksByDefault(input));
        assertEquals("rm -rf build", tool.subject(input));
        assertEquals(List.of(), tool.touchedPaths(input));
    }

    @Test
    void scrubbedEnvironmentKeepsKeysFromTheCommand() throws Exception {
        t.environment.put("OPENAI_API_KEY", "sk-test-1234567890abcdefghij");
        t.environment.put("MY_SERVICE_TOKEN", "tok-123456789");
        t.environment.put("HOME_DIR", "/home/x");
        var scrubbed = Environments.scrub(t.environment);
        t.environment.clear();
        t.environment.putAll(scrubbed);
        String out = t.ok("run_command", "command", "env").output();
        assertFalse(out.contains("sk-test"), out);
        assertFalse(out.contains("tok-123"), out);
        assertContains(out, "HOME_DIR=/home/x");
    }
}
