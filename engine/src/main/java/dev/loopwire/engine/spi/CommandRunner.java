package dev.loopwire.engine.spi;

import dev.loopwire.engine.Cancellation;

/**
 * Runs shell commands for the engine ({@code run_command}, check commands). Implementations live
 * outside the engine; they kill the whole process tree on timeout or cancel (TERM, then KILL
 * after a grace period) and report each process to the {@link ProcessTracker}.
 */
public interface CommandRunner {

    /**
     * Runs {@code spec} to completion, its timeout, or cancellation. Never throws for a failing
     * command: the exit code and output say what happened.
     *
     * @throws InterruptedException when the thread is interrupted (the tree is killed first)
     */
    CommandResult run(CommandSpec spec, Cancellation cancel, ProcessTracker tracker)
            throws InterruptedException;
}
