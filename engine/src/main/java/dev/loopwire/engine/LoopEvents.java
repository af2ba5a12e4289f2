package dev.loopwire.engine;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.MemoryChangedParams;

/**
 * What a loop tells the world, in the order it happened for that loop. Methods are called on
 * the loop's runner thread and must return quickly (a server hands them to a per-client queue).
 * Every method does nothing by default. After a terminal {@code onStatus} the loop's run sends
 * nothing more until it is resumed.
 */
public interface LoopEvents {

    default void onStatus(LoopStatusParams params) {
    }

    default void onProgress(LoopProgressParams params) {
    }

    default void onOutput(LoopOutputParams params) {
    }

    default void onIteration(LoopIterationParams params) {
    }

    default void onApprovalRequested(ApprovalRequestedParams params) {
    }

    default void onApprovalResolved(ApprovalResolvedParams params) {
    }

    default void onMemoryChanged(MemoryChangedParams params) {
    }
}
