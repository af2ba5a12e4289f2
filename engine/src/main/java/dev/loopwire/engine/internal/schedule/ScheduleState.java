package dev.loopwire.engine.internal.schedule;

import dev.loopwire.protocol.ScheduledRun;
import java.util.ArrayList;
import java.util.List;

/**
 * The schedule part of a scheduled loop's {@code state.json}: the run under way (or the last
 * one), what the loop had used when it began (so each run has a fresh budget), whether the loop
 * is between runs and when the next one is due, and the history of finished runs. Plain fields
 * for Jackson.
 */
public final class ScheduleState {

    /** The current (or last) run's number; 0 before the first run began. */
    public int run;
    public String runStartedAt;
    /** True from the end of a run until the next one begins. */
    public boolean betweenRuns;
    /** When the next run is due (ISO-8601), while between runs. */
    public String nextRunAt;
    /** What the loop had used when the current run began. */
    public int baseIterations;
    public long baseInputTokens;
    public long baseOutputTokens;
    public Double baseCostUsd;
    public double baseElapsedSeconds;
    /** Finished runs, oldest first. */
    public List<ScheduledRun> runs = new ArrayList<>();

    /** {@code total - base} for a cost that may be unknown. */
    public static Double costSince(Double total, Double base) {
        if (total == null) {
            return null;
        }
        return base == null ? total : total - base;
    }
}
