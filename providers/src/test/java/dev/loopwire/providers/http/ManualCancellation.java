package dev.loopwire.providers.http;

import dev.loopwire.engine.Cancellation;
import java.util.ArrayList;
import java.util.List;

/** A test {@link Cancellation} fired by hand with {@link #cancel()}. */
public final class ManualCancellation implements Cancellation {

    private final List<Runnable> hooks = new ArrayList<>();
    private boolean cancelled;

    public void cancel() {
        List<Runnable> run;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            run = new ArrayList<>(hooks);
            hooks.clear();
        }
        run.forEach(Runnable::run);
    }

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
}
