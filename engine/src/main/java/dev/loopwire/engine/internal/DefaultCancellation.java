package dev.loopwire.engine.internal;

import dev.loopwire.engine.Cancellation;
import java.util.ArrayList;
import java.util.List;

/** A {@link Cancellation} fired once by {@link #cancel()}; hooks run on the cancelling thread. */
public final class DefaultCancellation implements Cancellation {

    private final List<Runnable> hooks = new ArrayList<>();
    private boolean cancelled;

    @Override
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    @Override
    public AutoCloseable onCancel(Runnable hook) {
        synchronized (this) {
            if (!cancelled) {
                hooks.add(hook);
                return () -> {
                    synchronized (this) {
                        hooks.remove(hook);
                    }
                };
            }
        }
        hook.run();
        return () -> { };
    }

    /** Fires the signal: every hook runs once, in registration order. */
    public void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = new ArrayList<>(hooks);
            hooks.clear();
        }
        for (Runnable hook : toRun) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                // One failing hook must not keep the others from stopping their work.
            }
        }
    }
}
