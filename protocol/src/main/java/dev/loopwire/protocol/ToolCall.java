package dev.loopwire.protocol;

import java.util.Map;

/** One tool call: {@code status} is one of {@code pending}, {@code awaiting_approval}, {@code ok}, {@code error}, {@code rejected}, {@code denied}, {@code cancelled}. */
public record ToolCall(String id, String name, Map<String, Object> input, String status, String output) {
}
