package dev.loopwire.engine.internal.stop;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.CommandResult;
import dev.loopwire.engine.spi.CommandRunner;
import dev.loopwire.engine.spi.CommandSpec;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.protocol.CheckConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * The verification gate (ralph's backpressure): {@code check.command} run in the workspace with
 * the scrubbed environment after an iteration that claims done, or after every iteration with
 * {@code check.every = iteration}. Exit 0 confirms {@code succeeded}; anything else rejects the
 * claim and the tail of the output goes into the next prompt.
 */
public final class CheckCommand {

    public static final double DEFAULT_TIMEOUT_SECONDS = 600;
    public static final int MAX_OUTPUT_CHARS = 64_000;
    /** Characters of the output's end that the next prompt shows. */
    public static final int TAIL_CHARS = 3_000;

    private CheckCommand() {
    }

    /** True when the check runs after this iteration. */
    public static boolean due(CheckConfig check, boolean claimsDone) {
        if (check == null || check.command() == null || check.command().isBlank()) {
            return false;
        }
        return claimsDone || "iteration".equals(check.every());
    }

    /** Runs the check and records it in {@code v}. */
    public static void run(CheckConfig check, Path workspace, Map<String, String> environment, CommandRunner runner,
            Cancellation cancel, ProcessTracker tracker, Verification v) throws InterruptedException {
        double timeout = check.timeoutSeconds() == null ? DEFAULT_TIMEOUT_SECONDS : check.timeoutSeconds();
        CommandResult r = runner.run(new CommandSpec(check.command(), workspace, environment, timeout,
                MAX_OUTPUT_CHARS), cancel, tracker);
        v.checkExitCode = r.exitCode();
        v.checkPassed = r.exitCode() == 0 && !r.timedOut() && !r.cancelled();
        String output = r.output() == null ? "" : r.output().strip();
        String tail = output.length() <= TAIL_CHARS ? output
                : "[... " + (output.length() - TAIL_CHARS) + " characters before]\n"
                        + output.substring(output.length() - TAIL_CHARS);
        v.checkTail = (r.timedOut() ? "[timed out after " + timeout + " s]\n" : "") + tail;
    }

    /** The text the next prompt shows after a failed check. */
    public static String rejection(CheckConfig check, Verification v) {
        return "The check `" + check.command() + "` failed (exit " + v.checkExitCode + "), so the goal is not"
                + " reached yet. The end of its output:\n\n" + indent(v.checkTail.isEmpty() ? "(no output)" : v.checkTail);
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }
}
