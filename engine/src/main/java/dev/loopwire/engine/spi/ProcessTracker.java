package dev.loopwire.engine.spi;

/**
 * Records the processes a loop starts (tools, CLI agents), so that cancel and crash recovery can
 * find them. Implementations persist them in the loop's state.
 */
public interface ProcessTracker {

    /** A process was started: its PID and start time (epoch millis, from the OS). */
    void started(long pid, long startEpochMillis, String command);

    /** The process ended. */
    void ended(long pid);

    /** A tracker that records nothing. */
    ProcessTracker NONE = new ProcessTracker() {
        @Override
        public void started(long pid, long startEpochMillis, String command) {
        }

        @Override
        public void ended(long pid) {
        }
    };
}
