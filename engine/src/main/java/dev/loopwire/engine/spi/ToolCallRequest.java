package dev.loopwire.engine.spi;

import java.util.Map;

/**
 * A tool call the model asked for. {@code input} is the parsed JSON arguments; when the model
 * sent arguments that are not a JSON object, {@code input} is empty and {@code rawInput} holds
 * what it sent (the engine returns a structured error to the model).
 */
public record ToolCallRequest(String id, String name, Map<String, Object> input, String rawInput) {

    public ToolCallRequest(String id, String name, Map<String, Object> input) {
        this(id, name, input, null);
    }
}
