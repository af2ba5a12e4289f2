package dev.loopwire.intellij.core;

import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import java.util.List;

/**
 * An immutable picture of one loop as the store knows it.
 *
 * @param snapshot   the loop's snapshot, kept current from notifications
 * @param phase      the current iteration phase from {@code loop/progress}, or empty
 * @param message    the last progress message, or empty
 * @param output     streamed output received by this client (not replayed after a reconnect)
 * @param iterations completed iterations
 * @param version    grows with every change, so that views can skip repainting
 */
public record LoopView(LoopSnapshot snapshot, String phase, String message, List<OutputEntry> output,
        List<IterationRecord> iterations, long version) {

    /** The loop id. */
    public String loopId() {
        return snapshot.loopId();
    }
}
