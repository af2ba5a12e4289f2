package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.LoopRuntime.fields;

import dev.loopwire.engine.internal.schedule.Interval;
import dev.loopwire.engine.internal.schedule.ScheduleState;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.ScheduledRun;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Scheduled loops ({@code schedule: {every: "5m"}}): when a run ends (succeeded, budget
 * exhausted, no progress, failed, approval denied or expired) it is added to the run history
 * and the loop waits ({@code waiting}, the next run's time in the reason) until the next run is
 * due; then a new run begins with a fresh budget, a fresh conversation and the same memory file
 * (a run header in its progress log). The wait is one one-shot task on the engine's scheduler
 * kept in {@link LoopRuntime#task}, so no thread is held and cancel or pause stops it at once.
 * A cancelled run is recorded and ends the schedule.
 */
final class LoopSchedules {

    private static final Logger LOG = Logger.getLogger(LoopSchedules.class.getName());

    private final ScheduledExecutorService scheduler;
    private final LoopDriver driver;

    LoopSchedules(ScheduledExecutorService scheduler, LoopDriver driver) {
        this.scheduler = scheduler;
        this.driver = driver;
    }

    /** The finished runs of a loop, oldest first (empty without a schedule). Lock held. */
    static List<ScheduledRun> history(LoopRuntime rt) {
        ScheduleState s = rt.state.schedule;
        return s == null ? List.of() : List.copyOf(s.runs);
    }

    /** True while a scheduled loop waits for its next run (not a wait inside a run). Lock held. */
    static boolean betweenRuns(LoopRuntime rt) {
        return rt.state.schedule != null && rt.state.schedule.betweenRuns;
    }

    /**
     * Begins a new run when the loop is scheduled and none is under way (before the first run,
     * or between runs: a resume after a pause during the wait starts the next run at once).
     * Lock held.
     */
    void beginRunIfDue(LoopRuntime rt) throws IOException {
        ScheduleState s = rt.state.schedule;
        if (s == null || (s.run > 0 && !s.betweenRuns)) {
            return;
        }
        rt.accrue();
        s.run++;
        s.runStartedAt = rt.now();
        s.betweenRuns = false;
        s.nextRunAt = null;
        s.baseIterations = rt.state.iteration;
        s.baseInputTokens = rt.state.inputTokens;
        s.baseOutputTokens = rt.state.outputTokens;
        s.baseCostUsd = rt.state.costUsd;
        s.baseElapsedSeconds = rt.state.elapsedSeconds;
        if (s.run > 1) {
            rt.state.history.clear(); // a fresh conversation; the memory file carries on
            rt.state.policy.resetStreaks();
        }
        rt.persist();
        rt.journal("run_started", fields("run", s.run, "every", rt.config.schedule().every()));
        new LoopMemory(rt).insert(MemoryText.PROGRESS, "Run " + s.run + " (started " + s.runStartedAt
                + ", schedule every " + rt.config.schedule().every() + "):", "memory_progress");
    }

    /**
     * Called when the loop rests: records a run that ended and, unless it was cancelled, waits
     * for the next one. Returns true when the loop waits (it keeps its owner lock). Lock held.
     */
    boolean afterRun(LoopRuntime rt) {
        ScheduleState s = rt.state.schedule;
        if (s == null || rt.config.schedule() == null || s.run == 0 || s.betweenRuns) {
            return false;
        }
        LoopStatus status = rt.status();
        switch (status) {
            case SUCCEEDED, BUDGET_EXHAUSTED, NO_PROGRESS, FAILED, APPROVAL_DENIED, APPROVAL_EXPIRED, CANCELLED -> {
            }
            default -> {
                return false; // paused, interrupted: the run goes on when resumed
            }
        }
        try {
            rt.accrue();
            ScheduledRun run = new ScheduledRun(s.run, status.wire(), rt.state.reason, s.runStartedAt, rt.now(),
                    rt.state.iteration - s.baseIterations, rt.state.inputTokens - s.baseInputTokens,
                    rt.state.outputTokens - s.baseOutputTokens, ScheduleState.costSince(rt.state.costUsd,
                            s.baseCostUsd));
            s.runs.add(run);
            s.betweenRuns = true;
            if (status == LoopStatus.CANCELLED) {
                rt.persist();
                rt.journal("run_ended", fields("run", run, "schedule", "stopped"));
                rt.commit();
                return false;
            }
            Duration every = Interval.parse(rt.config.schedule().every());
            Instant next = Instant.ofEpochMilli(rt.clock.millis()).plus(every);
            s.nextRunAt = next.toString();
            rt.persist();
            rt.journal("run_ended", fields("run", run, "nextRunAt", s.nextRunAt));
            rt.setStatus(LoopStatus.WAITING, "run " + run.run() + " ended " + status.wire()
                    + (run.reason() == null ? "" : " (" + run.reason() + ")") + "; next run " + (run.run() + 1)
                    + " at " + s.nextRunAt + " (schedule every " + rt.config.schedule().every() + ")");
            arm(rt);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not schedule the next run of " + rt.loopId(), e);
            return false;
        }
    }

    /**
     * Arms the timer of the next run (at once when it is already due, e.g. missed while the
     * engine was stopped). Lock held; the loop is {@code waiting} between runs.
     */
    void arm(LoopRuntime rt) {
        int gen = rt.generation;
        long due = Instant.parse(rt.state.schedule.nextRunAt).toEpochMilli();
        long delay = Math.max(0, due - rt.clock.millis());
        rt.task = scheduler.schedule(() -> fire(rt, gen), delay, TimeUnit.MILLISECONDS);
    }

    private void fire(LoopRuntime rt, int gen) {
        synchronized (rt) {
            if (gen != rt.generation || rt.status() != LoopStatus.WAITING || !betweenRuns(rt)) {
                return;
            }
            try {
                beginRunIfDue(rt);
                rt.setStatus(LoopStatus.RUNNING, null);
                driver.submit(rt);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not begin the next run of " + rt.loopId(), e);
                try {
                    rt.setStatus(LoopStatus.FAILED, "could not begin run " + rt.state.schedule.run + ": " + e);
                } catch (IOException again) {
                    rt.state.status = LoopStatus.FAILED.wire();
                }
                rt.state.schedule.betweenRuns = true; // not re-armed in a tight circle
                driver.rest(rt);
            }
        }
    }
}
