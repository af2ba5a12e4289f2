package dev.loopwire.engine.spi;

import java.util.Map;

/** A tool offered to the model: name, description and its input's JSON Schema. */
public record ToolSpec(String name, String description, Map<String, Object> inputSchema) {
}
