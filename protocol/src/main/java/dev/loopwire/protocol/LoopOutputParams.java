package dev.loopwire.protocol;


/** {@code loop/output}: streamed output; {@code kind} is one of {@link OutputKind}'s wire names. */
public record LoopOutputParams(String loopId, int iteration, String kind, String text, ToolCall toolCall) {
}
