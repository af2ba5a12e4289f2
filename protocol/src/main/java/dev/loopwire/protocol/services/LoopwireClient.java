package dev.loopwire.protocol.services;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.MemoryChangedParams;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * Server to client notifications. For one loop they arrive in the order they happened; a
 * client that is slow to read never stalls a loop. Default methods do nothing, so a client
 * implements only what it shows.
 */
@JsonSegment("loop")
public interface LoopwireClient {

    /** Every status change of a loop. */
    @JsonNotification
    default void status(LoopStatusParams params) {
    }

    /** The current phase of an iteration; also a heartbeat during long silent phases. */
    @JsonNotification
    default void progress(LoopProgressParams params) {
    }

    /** Streamed text, thoughts, tool calls, tool results and log lines. */
    @JsonNotification
    default void output(LoopOutputParams params) {
    }

    /** An iteration completed. */
    @JsonNotification
    default void iteration(LoopIterationParams params) {
    }

    /** A loop waits for a decision; re-sent to a client that connects while it is pending. */
    @JsonNotification
    default void approvalRequested(ApprovalRequestedParams params) {
    }

    /** An approval was answered, by whichever client, or withdrawn. */
    @JsonNotification
    default void approvalResolved(ApprovalResolvedParams params) {
    }

    /** The memory file changed, whoever changed it. */
    @JsonNotification
    default void memoryChanged(MemoryChangedParams params) {
    }
}
