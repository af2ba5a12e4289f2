package dev.loopwire.engine.internal.waits;

import dev.loopwire.engine.spi.ProcessProbe;
import java.util.ArrayList;
import java.util.List;

/**
 * Polls the PIDs of a {@link WaitPlan} until they exit or the wait reaches its limit. A PID whose
 * start time changed belongs to another process now and counts as exited. Not thread-safe: one
 * poll at a time (the loop's lock).
 */
public final class PidWatch {

    /** What one poll found. */
    public enum Outcome { EXITED, RUNNING, GAVE_UP }

    private final ProcessProbe probe;
    private final List<Long> pids;
    private final List<Long> starts;
    private final long startedMillis;
    private final long limitMillis;
    private List<Long> alive;

    public PidWatch(WaitPlan plan, ProcessProbe probe, long nowMillis) {
        this.probe = probe;
        this.pids = new ArrayList<>(plan.pids());
        this.starts = new ArrayList<>(plan.starts());
        this.startedMillis = nowMillis;
        this.limitMillis = Math.round(plan.maxSeconds() * 1000);
        this.alive = List.copyOf(pids);
    }

    public Outcome poll(long nowMillis) {
        List<Long> still = new ArrayList<>();
        for (int i = 0; i < pids.size(); i++) {
            long pid = pids.get(i);
            long start = starts.get(i);
            if (probe.isAlive(pid) && (start == 0 || probe.startEpochMillis(pid).orElse(start) == start)) {
                still.add(pid);
            }
        }
        alive = List.copyOf(still);
        if (alive.isEmpty()) {
            return Outcome.EXITED;
        }
        return nowMillis - startedMillis >= limitMillis ? Outcome.GAVE_UP : Outcome.RUNNING;
    }

    /** PIDs still running at the last poll. */
    public List<Long> alive() {
        return alive;
    }

    public double elapsedSeconds(long nowMillis) {
        return Math.max(0, nowMillis - startedMillis) / 1000.0;
    }

    /** Millis until the limit (never negative). */
    public long remainingMillis(long nowMillis) {
        return Math.max(0, limitMillis - (nowMillis - startedMillis));
    }
}
