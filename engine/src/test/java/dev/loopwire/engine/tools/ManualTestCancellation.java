package dev.loopwire.engine.tools;

import dev.loopwire.engine.Cancellation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test double for {@link Cancellation} that fires when a test calls {@link #cancel()}. */
final class ManualTestCancellation implements Cancellation {

    private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;

    void cancel() {
        cancelled = true;
        hooks.forEach(Runnable::run);
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public AutoCloseable onCancel(Runnable hook) {
        if (cancelled) {
            hook.run();
            return () -> { };
        }
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }
}
