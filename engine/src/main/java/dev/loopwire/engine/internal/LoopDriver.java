package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.LoopRuntime.fields;

import dev.loopwire.engine.LoopException;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs loops on the engine's pool: one task per iteration, the next one submitted (or scheduled
 * after the interval) when it ends. No thread is held while a loop waits for a person or for
 * its interval. Also the ways a run ends early: cancel, step cancel, checkpoint, storage failure.
 */
final class LoopDriver {

    private static final Logger LOG = Logger.getLogger(LoopDriver.class.getName());

    private final EngineContext ctx;
    private final IterationRunner runner;
    private final LoopWaits waits;
    private final LoopSchedules schedules;
    private final ExecutorService pool;
    private final ScheduledExecutorService scheduler;

    LoopDriver(EngineContext ctx, ExecutorService pool, ScheduledExecutorService scheduler) {
        this.ctx = ctx;
        this.runner = new IterationRunner(ctx, scheduler);
        this.waits = new LoopWaits(ctx, scheduler, this);
        this.schedules = new LoopSchedules(scheduler, this);
        this.pool = pool;
        this.scheduler = scheduler;
    }

    IterationRunner runner() {
        return runner;
    }

    LoopSchedules schedules() {
        return schedules;
    }

    /** Starts a task for the loop's current run. Call with the loop's lock held. */
    void submit(LoopRuntime rt) {
        int gen = rt.generation;
        if (rt.cancel.isCancelled()) {
            rt.cancel = new DefaultCancellation();
        }
        rt.artifacts.running();
        rt.task = pool.submit(() -> runTask(rt, gen));
    }

    private void runTask(LoopRuntime rt, int gen) {
        Thread self = Thread.currentThread();
        AutoCloseable hook = null;
        try {
            synchronized (rt) {
                if (gen != rt.generation) {
                    return;
                }
                rt.runnerThread = self;
                hook = rt.cancel.onCancel(self::interrupt);
            }
            ensureProvider(rt);
            IterationRunner.End end = runner.run(rt, gen);
            synchronized (rt) {
                rt.checkGeneration(gen);
                switch (end) {
                    case NEXT -> {
                        if (rt.status() == LoopStatus.WAITING) {
                            waits.start(rt, gen);
                        } else {
                            submit(rt);
                        }
                    }
                    case AWAITING -> scheduleExpiry(rt);
                    case REST -> rest(rt);
                }
            }
        } catch (LoopRuntime.StaleRunException e) {
            // abandoned by cancel or checkpoint: whoever abandoned it has written the outcome
        } catch (InterruptedException | CancellationException e) {
            abandonedUnexpectedly(rt, gen, "the run was interrupted");
        } catch (ProviderException e) {
            failRun(rt, gen, "provider " + rt.config.provider().id() + " cannot be used: " + e.getMessage());
        } catch (dev.loopwire.engine.internal.approval.PolicyFiles.PolicyException e) {
            failRun(rt, gen, e.getMessage() + "; fix the file and resume the loop");
        } catch (IOException e) {
            failRun(rt, gen, "storage error: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "loop " + rt.loopId() + " failed", e);
            failRun(rt, gen, "internal error: " + e);
        } finally {
            if (hook != null) {
                try {
                    hook.close();
                } catch (Exception e) {
                    // unregistering a hook cannot fail
                }
            }
            synchronized (rt) {
                if (rt.runnerThread == self) {
                    rt.runnerThread = null;
                }
            }
            Thread.interrupted();
        }
    }

    private void ensureProvider(LoopRuntime rt) throws ProviderException {
        synchronized (rt) {
            if (rt.provider != null) {
                return;
            }
        }
        var provider = ctx.options.providers().create(rt.config.provider(), providerContext(rt));
        ctx.declareSecrets(provider.secrets());
        synchronized (rt) {
            if (rt.provider == null) {
                rt.provider = provider;
            }
        }
    }

    ProviderContext providerContext(LoopRuntime rt) {
        return new ProviderContext(rt.workspace, ctx.options.environment(), ctx.options.userConfigDir(),
                new StateProcessTracker(rt));
    }

    /** The loop rests or ended: release the owner lock and complete a step. Lock held. */
    void rest(LoopRuntime rt) {
        rt.endSegment();
        rt.pauseRequested = false;
        rt.artifacts.rest();
        if (!schedules.afterRun(rt)) {
            rt.dir.unlock();
        }
        CompletableFuture<IterationRecord> step = rt.stepFuture;
        rt.stepFuture = null;
        if (step != null) {
            IterationRecord last = rt.state.lastRecord;
            if (last != null && last.index() > rt.stepBaseline) {
                step.complete(last);
            } else {
                step.completeExceptionally(new LoopException(ErrorCode.WRONG_STATE,
                        "the step did not complete an iteration: the loop is " + rt.status().wire()
                                + (rt.state.reason == null ? "" : " (" + rt.state.reason + ")")));
            }
        }
    }

    ToolCalls toolCalls() {
        return runner.toolCalls();
    }

    dev.loopwire.engine.spi.ProcessProbe processProbe() {
        return ctx.options.processProbe();
    }

    /** Schedules the pending approval's expiry, if it has one. Lock held. */
    void scheduleExpiry(LoopRuntime rt) {
        if (rt.expiry != null) {
            rt.expiry.cancel(false);
            rt.expiry = null;
        }
        if (rt.state.pendingApproval == null || rt.state.pendingApproval.expiresAt() == null) {
            return;
        }
        String id = rt.state.pendingApproval.approvalId();
        long delay = Instant.parse(rt.state.pendingApproval.expiresAt()).toEpochMilli() - rt.clock.millis();
        rt.expiry = scheduler.schedule(() -> expire(rt, id), Math.max(0, delay), TimeUnit.MILLISECONDS);
    }

    /** Ends a pending approval that was not answered in time. */
    void expire(LoopRuntime rt, String approvalId) {
        synchronized (rt) {
            if (rt.state.pendingApproval == null || !rt.state.pendingApproval.approvalId().equals(approvalId)) {
                return;
            }
            try {
                withdrawApproval(rt, "expired");
                rt.setStatus(LoopStatus.APPROVAL_EXPIRED, "approval " + approvalId + " was not answered before "
                        + "it expired");
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not record the expiry of " + approvalId, e);
            }
            rest(rt);
        }
    }

    /** Drops the pending approval (its call will be asked again on resume). Lock held. */
    void withdrawApproval(LoopRuntime rt, String why) throws IOException {
        var approval = rt.state.pendingApproval;
        if (approval == null) {
            return;
        }
        rt.state.pendingApproval = null;
        rt.state.stateVersion++;
        if (rt.state.inFlight != null) {
            rt.state.inFlight.approvalCallId = null;
            rt.state.inFlight.approvalDigest = null;
            rt.state.inFlight.approvalStateVersion = null;
        }
        if (rt.expiry != null) {
            rt.expiry.cancel(false);
            rt.expiry = null;
        }
        rt.persist();
        rt.journal("approval_resolved", fields("approvalId", approval.approvalId(), "decision", why));
        rt.commit();
        ApprovalResolvedParams params = new ApprovalResolvedParams(rt.loopId(), approval.approvalId(), why);
        rt.emit(l -> l.onApprovalResolved(params));
    }

    /**
     * Abandons the current run: no write of it lands after this; its provider call, tool
     * processes and waits are told to stop. Returns the task to wait for. Lock held.
     */
    Future<?> abandon(LoopRuntime rt) {
        rt.generation++;
        rt.cancel.cancel();
        Future<?> task = rt.task;
        rt.task = null;
        if (rt.runnerThread == null) {
            if (task != null) {
                task.cancel(false);
            }
            return null;
        }
        return task;
    }

    /** Waits (bounded) for an abandoned task to unwind. Lock NOT held. */
    static void awaitQuietly(Future<?> task, long millis) {
        if (task == null) {
            return;
        }
        try {
            task.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | CancellationException | TimeoutException e) {
            // it ended one way or another, or it keeps unwinding: its writes are fenced off
        }
    }

    private void abandonedUnexpectedly(LoopRuntime rt, int gen, String why) {
        synchronized (rt) {
            if (gen != rt.generation) {
                return;
            }
            try {
                rt.setStatus(LoopStatus.INTERRUPTED, why);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not record the interruption of " + rt.loopId(), e);
            }
            rest(rt);
        }
    }

    private void failRun(LoopRuntime rt, int gen, String unredacted) {
        String reason = ctx.redactor.redact(unredacted);
        synchronized (rt) {
            if (gen != rt.generation) {
                return;
            }
            try {
                rt.setStatus(LoopStatus.FAILED, reason);
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "could not record the failure of " + rt.loopId() + ": " + reason, e);
                rt.state.status = LoopStatus.FAILED.wire();
                rt.state.reason = reason;
                rt.emitStatus();
            }
            rest(rt);
        }
    }
}
