package dev.loopwire.engine.spi;

import java.util.List;

/**
 * A finished turn.
 *
 * @param text       the assistant's whole text
 * @param toolCalls  tool calls for the engine to execute (API providers; empty for CLI agents)
 * @param usage      tokens and cost
 * @param stopReason the provider's reason, e.g. {@code end_turn}, {@code tool_use}, {@code stop},
 *                   {@code length}, {@code exit:0}
 */
public record TurnResult(String text, List<ToolCallRequest> toolCalls, TurnUsage usage, String stopReason) {

    public TurnResult {
        text = text == null ? "" : text;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        usage = usage == null ? TurnUsage.ZERO : usage;
    }
}
