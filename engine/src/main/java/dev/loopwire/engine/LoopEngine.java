package dev.loopwire.engine;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.MemoryResult;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.TemplateInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's plain API: everything a server, a CLI or a test does with loops. One instance
 * owns the loops of every workspace it has opened; it is thread-safe.
 *
 * <p>Every method that names a loop throws {@link LoopException} with
 * {@link dev.loopwire.protocol.ErrorCode#UNKNOWN_LOOP} when there is no such loop, and a method
 * that throws changes nothing.
 */
public interface LoopEngine extends AutoCloseable {

    /** Creates the engine; see {@link EngineOptions} for its collaborators. */
    static LoopEngine create(EngineOptions options) {
        return new dev.loopwire.engine.internal.DefaultLoopEngine(options);
    }

    /**
     * Loads every loop of a workspace from {@code <workspace>/.loopwire/loops/} (idempotent).
     * Loops found mid-iteration become {@code interrupted}; pending approvals stay pending with
     * the same id.
     */
    void openWorkspace(Path workspace) throws LoopException;

    /** Creates a loop and, unless {@code autoRun} is false, starts its runner. */
    LoopSnapshot start(StartLoopParams params) throws LoopException;

    /**
     * Runs one iteration of a loop that has no runner of its own ({@code created}, {@code paused},
     * {@code interrupted}, or another resumable status). The future completes with the
     * iteration's record when the iteration is complete, which may be after a pending approval
     * was answered; afterwards the loop rests in {@code paused} unless the iteration ended it
     * (succeeded, budget exhausted...). Cancelling the future cancels the iteration (the loop
     * then rests in {@code paused}).
     */
    CompletableFuture<IterationRecord> step(String loopId) throws LoopException;

    /** Applies a person's decision to a pending approval. */
    LoopSnapshot approve(ApproveParams params) throws LoopException;

    /** Stops the loop: provider call, tool processes and waits; returns once it is {@code cancelled}. */
    LoopSnapshot cancel(String loopId) throws LoopException;

    /** Pauses the loop after its current step. */
    LoopSnapshot pause(String loopId) throws LoopException;

    /** Continues a resumable loop, with an optional new budget (null fields keep their value). */
    LoopSnapshot resume(String loopId, Budget budget) throws LoopException;

    /** The loops of one workspace (opening it first), or of every opened workspace when null. */
    List<LoopSnapshot> list(Path workspace) throws LoopException;

    /** One loop with all its completed iterations. */
    GetLoopResult get(String loopId) throws LoopException;

    /** The loop's memory file. */
    MemoryResult memory(String loopId) throws LoopException;

    /** Every approval pending now, across loops: re-announced to clients that connect. */
    List<ApprovalRequestedParams> pendingApprovals();

    /** Every provider, with availability. */
    List<ProviderInfo> providers();

    /** Every template visible from this workspace (null: user and built-in ones only). */
    List<TemplateInfo> templates(Path workspace);

    /** Registers a listener for every loop's events; close the result to unregister. */
    AutoCloseable subscribe(LoopEvents listener);

    /**
     * Stops every runner and leaves its loop resumable on disk ({@code interrupted}); pending
     * approvals stay pending. Used by {@code shutdown}.
     */
    void checkpoint();

    /** {@link #checkpoint()} and release threads. */
    @Override
    void close();
}
