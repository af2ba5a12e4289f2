package dev.loopwire.engine.spi;

/**
 * Where a provider streams a turn as it happens. Every method does nothing by default. Tool
 * calls and results are reported here by CLI agents, which run their own tools; API providers
 * return their tool calls in the {@link TurnResult} instead.
 */
public interface TurnSink {

    default void text(String delta) {
    }

    default void thought(String delta) {
    }

    default void toolCall(ToolCallRequest call) {
    }

    default void toolResult(String toolCallId, String toolName, String output, boolean isError) {
    }

    /** A line for the journal and {@code loop/output} kind {@code log} (retries, stderr...). */
    default void log(String line) {
    }

    TurnSink NONE = new TurnSink() {
    };
}
