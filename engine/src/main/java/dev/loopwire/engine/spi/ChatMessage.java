package dev.loopwire.engine.spi;

import java.util.List;

/**
 * One message of a conversation replayed to an API provider.
 *
 * @param role       {@code user}, {@code assistant} or {@code tool}
 * @param text       the text (for {@code tool}: the tool's output)
 * @param toolCalls  an assistant message's tool calls (empty otherwise)
 * @param toolCallId for {@code tool}: the call this answers
 * @param toolName   for {@code tool}: the tool's name
 * @param isError    for {@code tool}: the result is an error
 */
public record ChatMessage(
        String role,
        String text,
        List<ToolCallRequest> toolCalls,
        String toolCallId,
        String toolName,
        boolean isError) {

    public static ChatMessage user(String text) {
        return new ChatMessage("user", text, List.of(), null, null, false);
    }

    public static ChatMessage assistant(String text, List<ToolCallRequest> toolCalls) {
        return new ChatMessage("assistant", text, toolCalls == null ? List.of() : List.copyOf(toolCalls),
                null, null, false);
    }

    public static ChatMessage toolResult(String toolCallId, String toolName, String output, boolean isError) {
        return new ChatMessage("tool", output, List.of(), toolCallId, toolName, isError);
    }
}
