package dev.loopwire.providers.testing;

import dev.loopwire.engine.Cancellation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A cancellation signal a test fires by hand. */
public final class TestCancellation implements Cancellation {

    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    public void cancel() {
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
        }
        hooks.forEach(Runnable::run);
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public AutoCloseable onCancel(Runnable hook) {
        synchronized (this) {
            if (!cancelled) {
                hooks.add(hook);
                return () -> hooks.remove(hook);
            }
        }
        hook.run();
        return () -> { };
    }
}
