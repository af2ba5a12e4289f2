package dev.loopwire.engine.internal;

import dev.loopwire.engine.LoopEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The engine's listeners. A loop emits through its own lock, so each loop's events keep their order. */
public final class EventHub {

    private static final Logger LOG = Logger.getLogger(EventHub.class.getName());

    private final List<LoopEvents> listeners = new CopyOnWriteArrayList<>();

    public AutoCloseable subscribe(LoopEvents listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Calls {@code event} on every listener; a listener that throws is logged and skipped. */
    public void emit(Object loopOrderLock, Consumer<LoopEvents> event) {
        synchronized (loopOrderLock) {
            for (LoopEvents listener : listeners) {
                try {
                    event.accept(listener);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a loop event listener failed", e);
                }
            }
        }
    }
}
