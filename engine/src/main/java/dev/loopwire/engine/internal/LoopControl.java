package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.LoopRuntime.fields;

import dev.loopwire.engine.LoopException;
import dev.loopwire.engine.internal.stop.StopContext;
import dev.loopwire.engine.internal.stop.StopDecision;
import dev.loopwire.engine.internal.stop.StopPolicies;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.Decision;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.Usage;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The requests that change a loop's run: run, step, approve, cancel, pause, resume. Each checks
 * everything under the loop's lock before it changes anything.
 */
final class LoopControl {

    private static final long CANCEL_WAIT_MILLIS = 900;

    private final LoopDriver driver;
    private final StopPolicies policies = StopPolicies.defaults();

    LoopControl(LoopDriver driver) {
        this.driver = driver;
    }

    /** Takes the owner lock and starts the run. Lock held. */
    void run(LoopRuntime rt, String why) throws LoopException {
        takeOwnerLock(rt);
        rt.pauseRequested = false;
        try {
            driver.schedules().beginRunIfDue(rt);
            rt.setStatus(LoopStatus.RUNNING, null);
        } catch (IOException e) {
            rt.dir.unlock();
            throw storage(rt, e);
        }
        driver.submit(rt);
    }

    CompletableFuture<IterationRecord> step(LoopRuntime rt, Function<LoopRuntime, StopContext> stopContext)
            throws LoopException {
        synchronized (rt) {
            checkOwned(rt);
            LoopStatus status = rt.status();
            if (status == LoopStatus.AWAITING_APPROVAL) {
                throw wrongState("loop " + rt.loopId() + " is waiting for approval "
                        + rt.state.pendingApproval.approvalId() + ": answer it first");
            }
            if (status.isActive()) {
                throw wrongState("loop " + rt.loopId() + " is running on its own; pause it before stepping");
            }
            if (!rt.resumable()) {
                throw wrongState("loop " + rt.loopId() + " is " + status.wire() + " and cannot run again");
            }
            checkBudgetLeft(rt, stopContext.apply(rt));
            CompletableFuture<IterationRecord> future = new CompletableFuture<>();
            rt.stepFuture = future;
            rt.stepBaseline = rt.state.iteration;
            future.whenComplete((record, error) -> {
                if (future.isCancelled()) {
                    cancelStep(rt, future);
                }
            });
            try {
                run(rt, "step");
            } catch (LoopException e) {
                rt.stepFuture = null;
                throw e;
            }
            return future;
        }
    }

    private void cancelStep(LoopRuntime rt, CompletableFuture<IterationRecord> future) {
        synchronized (rt) {
            if (rt.stepFuture != future) {
                return;
            }
            rt.stepFuture = null;
            driver.abandon(rt);
            try {
                driver.withdrawApproval(rt, "withdrawn");
                rt.setStatus(LoopStatus.PAUSED, "the step was cancelled");
            } catch (IOException e) {
                rt.state.status = LoopStatus.PAUSED.wire();
            }
            driver.rest(rt);
        }
    }

    LoopSnapshot approve(LoopRuntime rt, ApproveParams params) throws LoopException {
        Decision decision = Decision.fromWire(params.decision()).orElseThrow(() -> new LoopException(
                ErrorCode.INVALID_PARAMS, "decision must be one of " + Arrays.stream(Decision.values())
                        .map(Decision::wire).collect(Collectors.joining(", ")) + ", got '" + params.decision() + "'"));
        if (params.scope() != null && !params.scope().equals("loop") && !params.scope().equals("workspace")) {
            throw new LoopException(ErrorCode.INVALID_PARAMS, "scope must be loop or workspace, got '"
                    + params.scope() + "'");
        }
        synchronized (rt) {
            checkOwned(rt);
            PendingApproval pending = rt.state.pendingApproval;
            if (pending == null || !pending.approvalId().equals(params.approvalId())) {
                throw new LoopException(ErrorCode.STALE_APPROVAL, "approval " + params.approvalId()
                        + " is unknown or already answered; loop " + rt.loopId() + (pending == null
                        ? " has no pending approval" : " waits for approval " + pending.approvalId()));
            }
            if (pending.expiresAt() != null && Instant.parse(pending.expiresAt()).toEpochMilli() <= rt.clock.millis()) {
                driver.expire(rt, pending.approvalId());
                throw new LoopException(ErrorCode.APPROVAL_EXPIRED, "approval " + pending.approvalId()
                        + " expired at " + pending.expiresAt() + "; resume the loop to be asked again");
            }
            LoopState.InFlight f = rt.state.inFlight;
            if (f == null || f.approvalCallId == null) {
                throw new LoopException(ErrorCode.STALE_APPROVAL, "approval " + pending.approvalId()
                        + " no longer matches a waiting tool call of loop " + rt.loopId());
            }
            if (f.approvalStateVersion != null && f.approvalStateVersion != rt.state.stateVersion) {
                throw new LoopException(ErrorCode.STALE_APPROVAL, "approval " + pending.approvalId()
                        + " was asked at state version " + f.approvalStateVersion + " of loop " + rt.loopId()
                        + ", which is now at version " + rt.state.stateVersion + "; it no longer applies");
            }
            takeOwnerLock(rt);
            try {
                if (driver.toolCalls().supersedeIfStale(rt, f)) {
                    rt.dir.unlock();
                    driver.scheduleExpiry(rt);
                    return rt.snapshot();
                }
            } catch (IOException e) {
                throw storage(rt, e);
            }
            // Kept so that an answer that cannot be recorded changes nothing: the approval stays
            // pending and answerable (e.g. once a full disk has room again).
            String oldDecision = f.decision;
            String oldNote = f.decisionNote;
            String oldScope = f.decisionScope;
            String oldStatus = rt.state.status;
            String oldReason = rt.state.reason;
            long oldVersion = rt.state.stateVersion;
            f.decision = decision.wire();
            f.decisionNote = params.note();
            f.decisionScope = params.scope();
            rt.state.pendingApproval = null;
            rt.state.stateVersion++;
            if (rt.expiry != null) {
                rt.expiry.cancel(false);
                rt.expiry = null;
            }
            try {
                rt.state.status = LoopStatus.RUNNING.wire();
                rt.state.reason = null;
                rt.persist();
                rt.journal("approval_resolved", fields("approvalId", pending.approvalId(), "decision",
                        decision.wire(), "note", params.note()));
                rt.journal("status", fields("status", LoopStatus.RUNNING.wire()));
                rt.commit();
            } catch (IOException e) {
                f.decision = oldDecision;
                f.decisionNote = oldNote;
                f.decisionScope = oldScope;
                rt.state.pendingApproval = pending;
                rt.state.stateVersion = oldVersion;
                rt.state.status = oldStatus;
                rt.state.reason = oldReason;
                rt.dir.unlock();
                driver.scheduleExpiry(rt);
                throw storage(rt, e);
            }
            ApprovalResolvedParams resolved = new ApprovalResolvedParams(rt.loopId(), pending.approvalId(),
                    decision.wire());
            rt.emit(l -> l.onApprovalResolved(resolved));
            rt.emitStatus();
            driver.submit(rt);
            return rt.snapshot();
        }
    }

    LoopSnapshot cancel(LoopRuntime rt) throws LoopException {
        Future<?> task;
        synchronized (rt) {
            checkOwned(rt);
            LoopStatus status = rt.status();
            if (status == LoopStatus.SUCCEEDED || status == LoopStatus.CANCELLED) {
                throw wrongState("loop " + rt.loopId() + " already ended " + status.wire());
            }
            task = driver.abandon(rt);
        }
        LoopDriver.awaitQuietly(task, CANCEL_WAIT_MILLIS);
        synchronized (rt) {
            try {
                driver.withdrawApproval(rt, "withdrawn");
                recordCancelledIteration(rt);
                rt.setStatus(LoopStatus.CANCELLED, "cancelled by request");
            } catch (IOException e) {
                throw storage(rt, e);
            } finally {
                driver.rest(rt);
            }
            return rt.snapshot();
        }
    }

    /** Keeps what the cancelled iteration did (its turn and tool results) in the journal. */
    private static void recordCancelledIteration(LoopRuntime rt) throws IOException {
        LoopState.InFlight f = rt.state.inFlight;
        if (f == null) {
            return;
        }
        rt.accrue();
        LoopState.Turn turn = f.turn;
        String summary = turn == null ? "cancelled before the provider answered"
                : Summaries.of(turn.text, f.results, rt.config.doneToken());
        IterationRecord record = new IterationRecord(f.index, f.startedAt, f.activeSeconds, summary,
                List.copyOf(f.results), new Usage(1, turn == null ? 0 : turn.inputTokens,
                        turn == null ? 0 : turn.outputTokens, turn == null ? null : turn.costUsd, f.activeSeconds),
                "cancelled");
        rt.state.inFlight = null;
        rt.state.iteration = f.index;
        rt.state.lastRecord = record;
        rt.persist();
        rt.journal("iteration", fields("record", record));
        rt.iterations.add(record);
        new LoopMemory(rt).ensureProgressLine(f.index, "(cancelled) " + summary);
    }

    LoopSnapshot pause(LoopRuntime rt) throws LoopException {
        synchronized (rt) {
            checkOwned(rt);
            LoopStatus status = rt.status();
            try {
                switch (status) {
                    case RUNNING, AWAITING_APPROVAL -> {
                        rt.pauseRequested = true;
                        rt.journal("pause_requested", fields("iteration", rt.currentIteration()));
                    }
                    case WAITING -> {
                        driver.abandon(rt);
                        rt.setStatus(LoopStatus.PAUSED, "paused by request");
                        driver.rest(rt);
                    }
                    case CREATED -> rt.setStatus(LoopStatus.PAUSED, "paused by request");
                    case PAUSED -> {
                        // already paused
                    }
                    default -> throw wrongState("loop " + rt.loopId() + " is " + status.wire()
                            + ": only a running, waiting or new loop can be paused");
                }
            } catch (IOException e) {
                throw storage(rt, e);
            }
            return rt.snapshot();
        }
    }

    LoopSnapshot resume(LoopRuntime rt, Budget extra, Function<LoopRuntime, StopContext> stopContext)
            throws LoopException {
        synchronized (rt) {
            checkOwned(rt);
            LoopStatus status = rt.status();
            if (status.isActive()) {
                if (rt.pauseRequested) {
                    rt.pauseRequested = false;
                    return rt.snapshot();
                }
                throw wrongState("loop " + rt.loopId() + " is already " + status.wire());
            }
            if (!rt.resumable()) {
                throw wrongState("loop " + rt.loopId() + " is " + status.wire() + " and cannot be resumed; "
                        + "start a new loop instead");
            }
            Budget merged = merge(rt.config.budget(), extra);
            StartValidator.checkBudget(merged);
            StopContext now = stopContext.apply(rt);
            checkBudgetLeft(rt, new StopContext(merged, now.iterations(), now.tokens(), now.costUsd(),
                    now.elapsedSeconds(), null, now.doneToken()));
            takeOwnerLock(rt);
            try {
                if (!merged.equals(rt.config.budget())) {
                    LoopConfig updated = rt.config.withBudget(merged);
                    rt.dir.writeConfig(updated);
                    rt.config = updated;
                    rt.journal("budget_changed", fields("budget", merged));
                }
            } catch (IOException e) {
                rt.dir.unlock();
                throw storage(rt, e);
            }
            rt.state.policy.resetStreaks(); // a person chose to go on: every streak starts again
            run(rt, "resumed");
            return rt.snapshot();
        }
    }

    static Budget merge(Budget base, Budget extra) {
        Budget b = base == null ? new Budget(null, null, null, null) : base;
        if (extra == null) {
            return b;
        }
        return new Budget(extra.maxIterations() != null ? extra.maxIterations() : b.maxIterations(),
                extra.maxTokens() != null ? extra.maxTokens() : b.maxTokens(),
                extra.maxWallSeconds() != null ? extra.maxWallSeconds() : b.maxWallSeconds(),
                extra.maxCostUsd() != null ? extra.maxCostUsd() : b.maxCostUsd());
    }

    private void checkBudgetLeft(LoopRuntime rt, StopContext context) throws LoopException {
        if (rt.state.inFlight != null) {
            return;
        }
        Optional<StopDecision> stop = policies.check(context);
        if (stop.isPresent()) {
            throw wrongState("loop " + rt.loopId() + " has no budget left (" + stop.get().reason()
                    + "); resume it with a larger budget");
        }
    }

    private static void checkOwned(LoopRuntime rt) throws LoopException {
        if (rt.foreignOwner != null) {
            throw wrongState("loop " + rt.loopId() + " is being run by " + rt.foreignOwner);
        }
    }

    private static void takeOwnerLock(LoopRuntime rt) throws LoopException {
        try {
            String holder = rt.dir.tryLock();
            if (holder != null) {
                throw wrongState("loop " + rt.loopId() + " is being run by " + holder);
            }
        } catch (IOException e) {
            throw storage(rt, e);
        }
    }

    private static LoopException wrongState(String message) {
        return new LoopException(ErrorCode.WRONG_STATE, message);
    }

    private static LoopException storage(LoopRuntime rt, IOException e) {
        return new LoopException(ErrorCode.STORAGE_ERROR, "cannot write loop " + rt.loopId() + " in "
                + rt.dir.dir() + ": " + e.getMessage(), e);
    }
}
