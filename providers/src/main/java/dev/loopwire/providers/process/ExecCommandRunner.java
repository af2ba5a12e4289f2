package dev.loopwire.providers.process;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.CommandResult;
import dev.loopwire.engine.spi.CommandRunner;
import dev.loopwire.engine.spi.CommandSpec;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.providers.process.internal.CappedOutput;
import dev.loopwire.providers.process.internal.ManagedProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@link CommandRunner} for {@code run_command} and check commands: {@code /bin/sh -c
 * command} in the given directory with exactly the given environment, stdin closed, stdout and
 * stderr interleaved into one buffer capped at {@code maxOutputChars} (head and tail kept, with a
 * note where the middle was cut). On timeout, cancellation or interrupt the whole process tree
 * is killed: descendants first, SIGTERM, then SIGKILL after the grace period. Every process is
 * reported to the {@link ProcessTracker}.
 *
 * <p>A command that exits normally while leaving background processes behind returns when it
 * exits (after at most two seconds waiting for their output); those processes are not killed.
 */
public final class ExecCommandRunner implements CommandRunner {

    /** The cap used when a spec gives none. */
    public static final int DEFAULT_MAX_OUTPUT_CHARS = 100_000;

    private static final List<String> SHELL = List.of("/bin/sh", "-c");

    private final Duration killGrace;

    /** A runner with the default grace period ({@link ProcessTrees#DEFAULT_GRACE}). */
    public ExecCommandRunner() {
        this(ProcessTrees.DEFAULT_GRACE);
    }

    /** A runner that waits {@code killGrace} between SIGTERM and SIGKILL. */
    public ExecCommandRunner(Duration killGrace) {
        this.killGrace = Objects.requireNonNull(killGrace, "killGrace");
    }

    @Override
    public CommandResult run(CommandSpec spec, Cancellation cancel, ProcessTracker tracker)
            throws InterruptedException {
        long t0 = System.nanoTime();
        Cancellation c = cancel == null ? Cancellation.NONE : cancel;
        if (spec.command() == null || spec.command().isBlank()) {
            return new CommandResult(-1, "no command given", false, false, false, 0);
        }
        if (c.isCancelled()) {
            return new CommandResult(-1, "[cancelled before the command started]", false, false, true, 0);
        }
        int cap = spec.maxOutputChars() > 0 ? spec.maxOutputChars() : DEFAULT_MAX_OUTPUT_CHARS;
        CappedOutput output = new CappedOutput(cap);
        ManagedProcess process;
        try {
            process = ManagedProcess.start(new ManagedProcess.Launch(
                    List.of(SHELL.get(0), SHELL.get(1), spec.command()),
                    spec.workingDir(),
                    spec.environment(),
                    null,
                    output,
                    output,
                    tracker,
                    spec.command(),
                    killGrace));
        } catch (IOException e) {
            return new CommandResult(-1, "could not start the command in " + spec.workingDir() + ": "
                    + e.getMessage(), false, false, false, millisSince(t0));
        }
        Duration timeout = spec.timeoutSeconds() > 0
                ? Duration.ofMillis(Math.max(1, Math.round(spec.timeoutSeconds() * 1000)))
                : null;
        ManagedProcess.Outcome outcome = process.await(timeout, c);
        if (outcome.timedOut()) {
            output.append("\n[timed out after " + formatSeconds(spec.timeoutSeconds())
                    + " s; the command and all its child processes were killed]");
        } else if (outcome.cancelled()) {
            output.append("\n[cancelled; the command and all its child processes were killed]");
        }
        return new CommandResult(outcome.exitCode(), output.text(), output.truncated(),
                outcome.timedOut(), outcome.cancelled(), millisSince(t0));
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static String formatSeconds(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    }
}
