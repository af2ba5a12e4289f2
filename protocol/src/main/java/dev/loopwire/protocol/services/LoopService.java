package dev.loopwire.protocol.services;

import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.ListLoopsParams;
import dev.loopwire.protocol.ListLoopsResult;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.MemoryResult;
import dev.loopwire.protocol.ResumeParams;
import dev.loopwire.protocol.StartLoopParams;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/**
 * Client to server requests about loops. Every request that names a loop fails with
 * {@code UNKNOWN_LOOP} (-32001) when there is no such loop, and a request that fails changes
 * nothing.
 */
@JsonSegment("loop")
public interface LoopService {

    /**
     * Creates a loop in {@code workspace} and, unless {@code autoRun} is false, starts running
     * it. Returns its snapshot. Errors: {@code INVALID_LOOP_CONFIG} (no goal, bad budget,
     * unknown template), {@code PROVIDER_UNAVAILABLE}, {@code PATH_OUTSIDE_WORKSPACE} (a goal
     * file outside the workspace), {@code -32602} for missing fields.
     */
    @JsonRequest
    CompletableFuture<LoopSnapshot> start(StartLoopParams params);

    /**
     * Runs exactly one iteration of a loop that is not running on its own and returns its
     * record. Honours {@code $/cancelRequest} (the iteration is cancelled, the loop pauses).
     * Errors: {@code WRONG_STATE} when the loop is running, awaiting an approval or finished
     * without being resumable.
     */
    @JsonRequest
    CompletableFuture<IterationRecord> step(LoopIdParams params);

    /**
     * Answers a pending approval. Returns the loop's snapshot after the decision is applied.
     * Errors: {@code STALE_APPROVAL} for an unknown, already answered or mismatched id;
     * {@code APPROVAL_EXPIRED}; {@code -32602} for an unknown decision.
     */
    @JsonRequest
    CompletableFuture<LoopSnapshot> approve(ApproveParams params);

    /**
     * Cancels a loop: the provider call, tool processes and waits stop; final status
     * {@code cancelled}. Cancelling a finished loop is an error ({@code WRONG_STATE}).
     */
    @JsonRequest
    CompletableFuture<LoopSnapshot> cancel(LoopIdParams params);

    /** Pauses a loop after its current step; status {@code paused}. */
    @JsonRequest
    CompletableFuture<LoopSnapshot> pause(LoopIdParams params);

    /**
     * Continues a paused, interrupted, budget-exhausted (or otherwise resumable) loop, with an
     * optional larger budget. Errors: {@code WRONG_STATE} when the loop is not resumable or the
     * budget would still be exhausted.
     */
    @JsonRequest
    CompletableFuture<LoopSnapshot> resume(ResumeParams params);

    /** Lists the loops of one workspace, or of every workspace the server knows. */
    @JsonRequest
    CompletableFuture<ListLoopsResult> list(ListLoopsParams params);

    /** Returns one loop with all its completed iterations. */
    @JsonRequest
    CompletableFuture<GetLoopResult> get(LoopIdParams params);

    /** Returns the loop's memory file path and current content. */
    @JsonRequest
    CompletableFuture<MemoryResult> memory(LoopIdParams params);
}
