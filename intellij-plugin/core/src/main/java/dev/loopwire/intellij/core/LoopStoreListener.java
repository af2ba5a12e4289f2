package dev.loopwire.intellij.core;

import dev.loopwire.protocol.PendingApproval;

/**
 * Hears about changes in a {@link LoopStore}. Called on the thread that changed the store (the
 * connection's listener thread or an RPC completion thread), never on the UI thread: a Swing
 * view must hop to the event dispatch thread itself. Methods do nothing by default.
 */
public interface LoopStoreListener {

    /** A loop changed, appeared or disappeared; {@code loopId} is {@code null} when many did. */
    default void loopChanged(String loopId) {
    }

    /** A loop asks for a decision (also after a reconnect, for approvals still pending). */
    default void approvalRequested(String loopId, PendingApproval approval) {
    }

    /** A pending approval was answered by any client, or withdrawn. */
    default void approvalResolved(String loopId, String approvalId) {
    }

    /** The loop's memory file changed. */
    default void memoryChanged(String loopId, String path) {
    }
}
