package dev.loopwire.protocol;

import java.util.List;

/**
 * Result of {@code loop/get}: the loop and every completed iteration, oldest first, and per
 * iteration a trace of what it did (prompt size, provider and tool calls with durations, policy
 * decisions), oldest first (an iteration under way has a partial trace at the end), and how the
 * last prompt's context was budgeted ({@link ContextBudget}, null before the first prompt), and
 * for a scheduled loop the history of its finished runs, oldest first (empty otherwise).
 */
public record GetLoopResult(LoopSnapshot loop, List<IterationRecord> iterations, List<IterationTrace> traces,
        ContextBudget contextBudget, List<ScheduledRun> runs) {

    /** Without traces. */
    public GetLoopResult(LoopSnapshot loop, List<IterationRecord> iterations) {
        this(loop, iterations, List.of());
    }

    /** Without a context budget report (none before the first prompt). */
    public GetLoopResult(LoopSnapshot loop, List<IterationRecord> iterations, List<IterationTrace> traces) {
        this(loop, iterations, traces, null);
    }

    /** Without a run history (a loop without schedule). */
    public GetLoopResult(LoopSnapshot loop, List<IterationRecord> iterations, List<IterationTrace> traces,
            ContextBudget contextBudget) {
        this(loop, iterations, traces, contextBudget, List.of());
    }
}
