package dev.loopwire.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.spi.ToolCallRequest;
import java.io.IOException;
import java.util.Map;

/** Turns a model's tool arguments text into a {@link ToolCallRequest}. */
public final class ToolArguments {

    private ToolArguments() {
    }

    /**
     * A JSON object becomes the input; blank arguments mean no input; anything else (not JSON,
     * or JSON that is not an object) gives an empty input and keeps the text as {@code rawInput}.
     */
    public static ToolCallRequest toRequest(String id, String name, String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return new ToolCallRequest(id, name, Map.of(), null);
        }
        try {
            JsonNode node = Json.MAPPER.readTree(arguments);
            if (node != null && node.isObject()) {
                return new ToolCallRequest(id, name, Json.toMap(node), null);
            }
        } catch (IOException e) {
            // not JSON: handed back raw
        }
        return new ToolCallRequest(id, name, Map.of(), arguments);
    }
}
