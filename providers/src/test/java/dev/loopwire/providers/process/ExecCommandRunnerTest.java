package dev.loopwire.providers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.CommandResult;
import dev.loopwire.engine.spi.CommandSpec;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.providers.testing.RecordingTracker;
import dev.loopwire.providers.testing.TestCancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class ExecCommandRunnerTest {

    /** A shell that ignores TERM and starts a background child that ignores TERM too. */
    private static final String STUBBORN = "trap '' TERM; sleep 300 & echo $! > child.pid; echo child=$!; wait";

    @TempDir
    Path dir;

    private final ExecCommandRunner runner = new ExecCommandRunner(Duration.ofMillis(300));
    private final Map<String, String> env = Map.of("PATH", "/usr/local/bin:/usr/bin:/bin");

    private CommandSpec spec(String command, double timeoutSeconds) {
        return new CommandSpec(command, dir, env, timeoutSeconds, 10_000);
    }

    @Test
    void reportsExitCodesAndInterleavedOutput() throws Exception {
        CommandResult ok = runner.run(spec("echo out; echo err 1>&2; echo more", 10), Cancellation.NONE,
                ProcessTracker.NONE);
        assertEquals(0, ok.exitCode());
        assertTrue(ok.output().contains("out\n"), ok.output());
        assertTrue(ok.output().contains("err\n"), ok.output());
        assertTrue(ok.output().contains("more\n"), ok.output());
        assertFalse(ok.timedOut() || ok.cancelled() || ok.truncated());

        CommandResult failed = runner.run(spec("echo nope; exit 3", 10), Cancellation.NONE, ProcessTracker.NONE);
        assertEquals(3, failed.exitCode());
        assertEquals("nope\n", failed.output());
    }

    @Test
    void runsInTheWorkingDirectory() throws Exception {
        Files.writeString(dir.resolve("here.txt"), "x");
        CommandResult r = runner.run(spec("ls", 10), Cancellation.NONE, ProcessTracker.NONE);
        assertEquals("here.txt\n", r.output());
    }

    @Test
    void passesExactlyTheGivenEnvironment() throws Exception {
        CommandResult r = runner.run(new CommandSpec("env", dir, Map.of("PATH", "/usr/bin:/bin", "ONLY_ME", "yes"),
                10, 10_000), Cancellation.NONE, ProcessTracker.NONE);
        assertTrue(r.output().contains("ONLY_ME=yes"), r.output());
        for (String inherited : System.getenv().keySet()) {
            if (!inherited.equals("PATH") && !inherited.equals("PWD")) {
                assertFalse(r.output().contains("\n" + inherited + "=") || r.output().startsWith(inherited + "="),
                        "leaked " + inherited);
            }
        }
    }

    @Test
    void capsOutputKeepingHeadAndTail() throws Exception {
        CommandResult r = runner.run(new CommandSpec("echo FIRST; seq 1 20000; echo LAST", dir, env, 10, 1000),
                Cancellation.NONE, ProcessTracker.NONE);
        assertEquals(0, r.exitCode());
        assertTrue(r.truncated());
        assertTrue(r.output().startsWith("FIRST\n1\n2\n"), r.output());
        assertTrue(r.output().endsWith("20000\nLAST\n"), r.output());
        assertTrue(r.output().contains("characters of output truncated"), r.output());
        assertTrue(r.output().length() < 1100, "length " + r.output().length());
    }

    @Test
    void timeoutKillsTheWholeTreeIncludingChildrenThatIgnoreTerm() throws Exception {
        RecordingTracker tracker = new RecordingTracker();
        CommandResult r = runner.run(spec(STUBBORN, 1), Cancellation.NONE, tracker);
        assertTrue(r.timedOut());
        assertEquals(-1, r.exitCode());
        assertTrue(r.output().contains("timed out after 1 s"), r.output());
        long child = childPid(r.output());
        assertGone(child);
        long shell = tracker.started.get(0).pid();
        assertGone(shell);
        assertEquals(STUBBORN, tracker.started.get(0).command());
        assertTrue(tracker.started.get(0).startEpochMillis() > 0);
        assertEquals(java.util.List.of(shell), tracker.ended);
    }

    @Test
    void cancelKillsTheWholeTree() throws Exception {
        TestCancellation cancel = new TestCancellation();
        RecordingTracker tracker = new RecordingTracker();
        CompletableFuture<CommandResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.run(spec(STUBBORN, 0), cancel, tracker);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        long child = awaitChildPidFile();
        assertTrue(ProcessHandle.of(child).map(ProcessTrees::isRunning).orElse(false), "child runs before cancel");
        cancel.cancel();
        CommandResult r = run.get(10, TimeUnit.SECONDS);
        assertTrue(r.cancelled());
        assertEquals(-1, r.exitCode());
        assertGone(child);
        assertGone(tracker.started.get(0).pid());
    }

    @Test
    void interruptKillsTheTreeAndPropagates() throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                outcome.complete(runner.run(spec(STUBBORN, 0), Cancellation.NONE, ProcessTracker.NONE));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        t.start();
        long child = awaitChildPidFile();
        t.interrupt();
        assertInstanceOf(InterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
        assertGone(child);
    }

    @Test
    void aMissingWorkingDirectoryIsReportedNotThrown() throws Exception {
        CommandResult r = runner.run(new CommandSpec("true", dir.resolve("missing"), env, 5, 100),
                Cancellation.NONE, ProcessTracker.NONE);
        assertEquals(-1, r.exitCode());
        assertTrue(r.output().startsWith("could not start the command"), r.output());
    }

    private long awaitChildPidFile() throws Exception {
        Path file = dir.resolve("child.pid");
        while (!Files.exists(file) || Files.readString(file).isBlank()) {
            Thread.sleep(10);
        }
        return Long.parseLong(Files.readString(file).trim());
    }

    private static long childPid(String output) {
        Matcher m = Pattern.compile("child=(\\d+)").matcher(output);
        assertTrue(m.find(), output);
        return Long.parseLong(m.group(1));
    }

    static void assertGone(long pid) {
        assertFalse(ProcessHandle.of(pid).map(ProcessTrees::isRunning).orElse(false), "process " + pid + " still runs");
    }
}
