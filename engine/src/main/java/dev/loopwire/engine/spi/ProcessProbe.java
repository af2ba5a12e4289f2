package dev.loopwire.engine.spi;

import java.util.OptionalLong;

/**
 * Looks at processes the engine did not start itself, such as a detached job whose PID an agent
 * reported with {@code <pid_number>N</pid_number>}. The engine never touches processes directly;
 * the server passes an implementation (the providers module's process-tree code).
 */
public interface ProcessProbe {

    /** True while the process runs (a zombie counts as gone). */
    boolean isAlive(long pid);

    /** When the process started (epoch millis), to tell a reused PID apart; empty when unknown or gone. */
    OptionalLong startEpochMillis(long pid);

    /**
     * Stops the process tree of {@code pid} (descendants first; TERM, then KILL after a grace
     * period) if it is still the process that started at {@code startEpochMillis}: a PID that now
     * belongs to another program is never touched. Returns whether it was found and stopped. The
     * default can stop nothing.
     */
    default boolean killTree(long pid, long startEpochMillis) {
        return false;
    }

    /** A probe that knows no process: every PID counts as gone. */
    ProcessProbe NONE = new ProcessProbe() {
        @Override
        public boolean isAlive(long pid) {
            return false;
        }

        @Override
        public OptionalLong startEpochMillis(long pid) {
            return OptionalLong.empty();
        }
    };
}
