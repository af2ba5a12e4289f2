package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.LoopRuntime.fields;

import dev.loopwire.engine.internal.waits.PidWatch;
import dev.loopwire.engine.internal.waits.WaitPlan;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.OutputKind;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Waits between iterations (status {@code waiting}): the interval, the agent's
 * {@code <wait_seconds>} hint and its {@code <pid_number>} jobs. Every wait is a chain of
 * one-shot tasks on the engine's scheduler kept in {@link LoopRuntime#task}, so no thread is held
 * and cancel or pause ({@link LoopDriver#abandon}) stops it at once.
 */
final class LoopWaits {

    private static final Logger LOG = Logger.getLogger(LoopWaits.class.getName());

    /**
     * Millis between {@code loop/progress} heartbeats during a PID wait: 10 s, or the system
     * property {@code loopwire.waits.heartbeatMillis} (tests).
     */
    static long heartbeatMillis() {
        return Long.getLong("loopwire.waits.heartbeatMillis", IterationRunner.HEARTBEAT_SECONDS * 1000);
    }

    private final EngineContext ctx;
    private final ScheduledExecutorService scheduler;
    private final LoopDriver driver;

    LoopWaits(EngineContext ctx, ScheduledExecutorService scheduler, LoopDriver driver) {
        this.ctx = ctx;
        this.scheduler = scheduler;
        this.driver = driver;
    }

    /**
     * Plans the wait after a completed iteration that ended with {@code text}; warns (journal and
     * {@code loop/output} log) about reported PIDs that were already gone. Lock held.
     */
    static WaitPlan plan(EngineContext ctx, LoopRuntime rt, int iteration, String text) throws IOException {
        WaitPlan plan = WaitPlan.of(rt.config.waits(), text, ctx.options.processProbe());
        if (!plan.gone().isEmpty()) {
            String warning = "PID(s) " + WaitPlan.join(plan.gone()) + " reported with <pid_number> had already "
                    + "exited or were not found; report the PID of the detached job itself, not of a wrapper "
                    + "shell that has ended";
            rt.journal("wait_warning", fields("iteration", iteration, "pids", plan.gone(), "message", warning));
            LoopOutputParams params = new LoopOutputParams(rt.loopId(), iteration, OutputKind.LOG.wire(), warning, null);
            rt.emit(l -> l.onOutput(params));
        }
        return plan.waits() ? plan : null;
    }

    /** Starts the planned wait of a loop whose status is {@code waiting}. Lock held. */
    void start(LoopRuntime rt, int gen) {
        WaitPlan plan = rt.waitPlan;
        rt.waitPlan = null;
        if (plan == null) {
            plan = WaitPlan.of(rt.config.waits(), null, ctx.options.processProbe());
        }
        int iteration = rt.state.iteration;
        long startMillis = nowMillis();
        try {
            rt.journal("wait", fields("iteration", iteration, "seconds", plan.seconds(), "pids",
                    plan.pids().isEmpty() ? null : plan.pids(), "reason", plan.reason()));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not journal the wait of " + rt.loopId(), e);
        }
        IterationRunner.progress(rt, iteration, "wait", plan.reason());
        if (plan.pids().isEmpty()) {
            after(rt, gen, Math.round(plan.seconds() * 1000));
            return;
        }
        PidWatch watch = new PidWatch(plan, ctx.options.processProbe(), startMillis);
        long poll = Math.max(10, Math.round(plan.pollSeconds() * 1000));
        schedulePoll(rt, gen, plan, watch, startMillis, startMillis, Math.min(poll, watch.remainingMillis(startMillis)));
    }

    private void schedulePoll(LoopRuntime rt, int gen, WaitPlan plan, PidWatch watch, long waitStart, long lastBeat,
            long delay) {
        rt.task = scheduler.schedule(() -> poll(rt, gen, plan, watch, waitStart, lastBeat), delay,
                TimeUnit.MILLISECONDS);
    }

    private void poll(LoopRuntime rt, int gen, WaitPlan plan, PidWatch watch, long waitStart, long lastBeat) {
        synchronized (rt) {
            if (gen != rt.generation || rt.status() != LoopStatus.WAITING) {
                return;
            }
            long now = nowMillis();
            int iteration = rt.state.iteration;
            try {
                switch (watch.poll(now)) {
                    case EXITED -> {
                        String done = "PID(s) " + WaitPlan.join(plan.pids()) + " exited after "
                                + WaitPlan.seconds(Math.round(watch.elapsedSeconds(now) * 10) / 10.0);
                        rt.journal("wait_done", fields("iteration", iteration, "pids", plan.pids(), "message", done));
                        IterationRunner.progress(rt, iteration, "wait", done);
                        long rest = Math.round(plan.seconds() * 1000) - (now - waitStart);
                        after(rt, gen, Math.max(0, rest));
                    }
                    case GAVE_UP -> {
                        String reason = "gave up waiting for PID(s) " + WaitPlan.join(watch.alive()) + " after "
                                + WaitPlan.seconds(plan.maxSeconds()) + " (waits.maxWaitSeconds); they are still "
                                + "running. Check them, then resume the loop or raise waits.maxWaitSeconds";
                        rt.setStatus(LoopStatus.FAILED, reason);
                        driver.rest(rt);
                    }
                    case RUNNING -> {
                        long beat = lastBeat;
                        if (now - lastBeat >= heartbeatMillis()) {
                            IterationRunner.progress(rt, iteration, "wait", "still waiting for PID(s) "
                                    + WaitPlan.join(watch.alive()) + " ("
                                    + WaitPlan.seconds(Math.round(watch.elapsedSeconds(now))) + ")");
                            beat = now;
                        }
                        long poll = Math.max(10, Math.round(plan.pollSeconds() * 1000));
                        schedulePoll(rt, gen, plan, watch, waitStart, beat,
                                Math.max(1, Math.min(poll, watch.remainingMillis(now))));
                    }
                }
            } catch (IOException e) {
                fail(rt, "storage error: " + e.getMessage());
            }
        }
    }

    /** Runs the next iteration after {@code millis}, unless the run was abandoned. Lock held. */
    private void after(LoopRuntime rt, int gen, long millis) {
        rt.task = scheduler.schedule(() -> {
            synchronized (rt) {
                if (gen != rt.generation || rt.status() != LoopStatus.WAITING) {
                    return;
                }
                try {
                    rt.setStatus(LoopStatus.RUNNING, null);
                } catch (IOException e) {
                    fail(rt, "storage error: " + e.getMessage());
                    return;
                }
                driver.submit(rt);
            }
        }, Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    private void fail(LoopRuntime rt, String reason) {
        try {
            rt.setStatus(LoopStatus.FAILED, ctx.redactor.redact(reason));
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "could not record the failure of " + rt.loopId() + ": " + reason, e);
        }
        driver.rest(rt);
    }

    private static long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }
}
