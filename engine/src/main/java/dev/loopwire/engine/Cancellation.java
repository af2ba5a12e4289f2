package dev.loopwire.engine;

/**
 * A signal that a piece of work should stop. Blocking work registers a hook (abort an HTTP
 * call, kill a process tree) and also reacts to thread interruption.
 */
public interface Cancellation {

    boolean isCancelled();

    /** Runs {@code hook} once when cancelled (at once if already cancelled); close to unregister. */
    AutoCloseable onCancel(Runnable hook);

    /** Throws {@link java.util.concurrent.CancellationException} when cancelled. */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new java.util.concurrent.CancellationException("cancelled");
        }
    }

    /** A signal that never fires. */
    Cancellation NONE = new Cancellation() {
        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public AutoCloseable onCancel(Runnable hook) {
            return () -> { };
        }
    };
}
