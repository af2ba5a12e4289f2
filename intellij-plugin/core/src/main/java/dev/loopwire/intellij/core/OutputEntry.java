package dev.loopwire.intellij.core;

import dev.loopwire.protocol.ToolCall;

/**
 * One piece of a loop's streamed output as the detail pane shows it. Consecutive text (or
 * thought) deltas of one iteration are joined into one entry.
 *
 * @param iteration the iteration it belongs to
 * @param kind      {@code text}, {@code thought}, {@code tool_call}, {@code tool_result} or {@code log}
 * @param text      the text, possibly empty
 * @param toolCall  the tool call for {@code tool_call}/{@code tool_result}, else {@code null}
 */
public record OutputEntry(int iteration, String kind, String text, ToolCall toolCall) {
}
