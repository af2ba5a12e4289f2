package dev.loopwire.protocol;

import java.util.List;

/** One completed iteration. {@code outcome}: {@code continue}, {@code done}, {@code failed}, {@code cancelled}. */
public record IterationRecord(int index, String startedAt, double durationSeconds, String summary, List<ToolCall> toolCalls, Usage usage, String outcome) {
}
