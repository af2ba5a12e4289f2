package dev.loopwire.protocol;

import java.util.List;

/**
 * Result of {@code loop/get}: the loop and every completed iteration, oldest first, and per
 * iteration a trace of what it did (prompt size, provider and tool calls with durations, policy
 * decisions), oldest first (an iteration under way has a partial trace at the end).
 */
public record GetLoopResult(LoopSnapshot loop, List<IterationRecord> iterations, List<IterationTrace> traces) {

    /** Without traces. */
    public GetLoopResult(LoopSnapshot loop, List<IterationRecord> iterations) {
        this(loop, iterations, List.of());
    }
}
