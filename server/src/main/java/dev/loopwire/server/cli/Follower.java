package dev.loopwire.server.cli;

import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.Decision;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.services.LoopService;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows one loop in the foreground until it ends or waits for a decision nobody here can give,
 * and returns the CLI exit code. Approvals are answered with {@code --yes}, by asking on a TTY
 * (y / n / a for always), or left pending: then the command that answers them is printed and the
 * exit code is 3. Ctrl-C cancels the loop cleanly (exit 130).
 */
final class Follower {

    private final LoopService loops;
    private final Renderer renderer;
    private final PrintStream err;
    private final BufferedReader terminal;
    private final boolean yes;
    private final Path workspace;
    private final AtomicBoolean finished = new AtomicBoolean();
    /** The loop has a schedule: a run that ends is followed by a wait and the next run. */
    private boolean scheduled;

    /**
     * @param terminal where y/n answers are read, or null when there is no TTY
     */
    Follower(LoopService loops, Renderer renderer, PrintStream err, BufferedReader terminal, boolean yes, Path workspace) {
        this.loops = loops;
        this.renderer = renderer;
        this.err = err;
        this.terminal = terminal;
        this.yes = yes;
        this.workspace = workspace;
    }

    /** Follows a scheduled loop through its runs (until it is cancelled, paused or stops otherwise). */
    Follower scheduled(boolean value) {
        this.scheduled = value;
        return this;
    }

    /** Runs until the loop rests; the exit code follows {@link ExitCodes#of}. */
    int follow(String loopId) throws CliException, InterruptedException {
        int settle = 0;
        Thread hook = new Thread(() -> cancelOnInterrupt(loopId), "loopwire-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (true) {
                LoopSnapshot loop = Backend.await(loops.get(new LoopIdParams(loopId))).loop();
                LoopStatus status = LoopStatus.fromWire(loop.status()).orElse(LoopStatus.FAILED);
                if (status == LoopStatus.AWAITING_APPROVAL && loop.pendingApproval() != null) {
                    renderer.awaitShown(loop.status(), 2000);
                    if (!answer(loop, loop.pendingApproval())) {
                        return ExitCodes.AWAITING_APPROVAL;
                    }
                    continue;
                }
                if (!status.isActive() && status != LoopStatus.CREATED) {
                    if (scheduled && settle++ < 10 && status != LoopStatus.CANCELLED && status != LoopStatus.PAUSED
                            && status != LoopStatus.INTERRUPTED) {
                        renderer.awaitSignal(200); // a run ended: the engine turns to waiting for the next
                        continue;
                    }
                    renderer.awaitShown(loop.status(), 2000);
                    renderer.pauseStatus();
                    return ExitCodes.of(loop.status());
                }
                settle = 0;
                renderer.awaitSignal(1000);
            }
        } finally {
            finished.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it cancels the loop
            }
        }
    }

    private void cancelOnInterrupt(String loopId) {
        if (finished.get()) {
            return;
        }
        try {
            renderer.pauseStatus();
            err.println("cancelling loop " + loopId + " ...");
            LoopSnapshot s = Backend.await(loops.cancel(new LoopIdParams(loopId)));
            err.println("loop " + loopId + ": " + s.status());
        } catch (CliException e) {
            err.println("could not cancel loop " + loopId + ": " + e.getMessage());
        }
    }

    /** Answers the approval; false when it stays pending for someone else to answer. */
    private boolean answer(LoopSnapshot loop, PendingApproval approval) throws CliException {
        Decision decision;
        String note = null;
        if (yes) {
            decision = Decision.ALLOW_ONCE;
        } else if (terminal != null) {
            renderer.pauseStatus();
            err.println("Loop " + loop.loopId() + " asks: " + approval.title());
            if (approval.reason() != null) {
                err.println("  (" + approval.reason() + ")");
            }
            decision = ask();
            if (decision == null) {
                printPending(loop, approval);
                return false;
            }
        } else {
            printPending(loop, approval);
            return false;
        }
        try {
            Backend.await(loops.approve(new ApproveParams(loop.loopId(), approval.approvalId(), decision.wire(), note)));
        } catch (CliException e) {
            if (e.rpcCode() != dev.loopwire.protocol.ErrorCode.STALE_APPROVAL.code()) {
                throw e;
            }
            // answered meanwhile by another client: look again
        }
        return true;
    }

    private Decision ask() {
        while (true) {
            err.print("Allow? [y]es / [n]o / [a]lways: ");
            err.flush();
            String line;
            try {
                line = terminal.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
            if (line == null) {
                return null;
            }
            switch (line.strip().toLowerCase(Locale.ROOT)) {
                case "y", "yes" -> {
                    return Decision.ALLOW_ONCE;
                }
                case "a", "always" -> {
                    return Decision.ALLOW_ALWAYS;
                }
                case "n", "no" -> {
                    return Decision.REJECT_ONCE;
                }
                default -> err.println("Please answer y, n or a.");
            }
        }
    }

    private void printPending(LoopSnapshot loop, PendingApproval approval) {
        renderer.pauseStatus();
        String ws = workspace.equals(Path.of("").toAbsolutePath()) ? "" : " --workspace " + quote(workspace.toString());
        err.println("Loop " + loop.loopId() + " is waiting for approval " + approval.approvalId() + ": " + approval.title());
        err.println("Answer it with:");
        err.println("  loopwire approve " + loop.loopId() + " " + approval.approvalId() + ws);
        err.println("  loopwire approve " + loop.loopId() + " " + approval.approvalId() + ws + " --deny");
    }

    private static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:@%+=-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
