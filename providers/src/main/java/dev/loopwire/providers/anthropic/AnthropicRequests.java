package dev.loopwire.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwire.engine.spi.ChatMessage;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.ToolSpec;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.providers.http.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds {@code POST /v1/messages} bodies: the system prompt apart, history as content blocks
 * (assistant {@code text} + {@code tool_use}, tool results as {@code tool_result} blocks in a user
 * message), consecutive messages of one role merged into one message.
 */
final class AnthropicRequests {

    private AnthropicRequests() {
    }

    /** One message under construction. */
    record Turn(String role, ArrayNode content) {
    }

    static ObjectNode body(TurnRequest request, String model, List<Turn> extra, long maxTokens, Double temperature,
            ObjectNode extraBody) throws ProviderException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", model);
        body.put("max_tokens", maxTokens);
        body.put("stream", true);
        if (request.system() != null && !request.system().isBlank()) {
            body.put("system", request.system());
        }
        List<Turn> turns = new ArrayList<>();
        for (ChatMessage m : request.history() == null ? List.<ChatMessage>of() : request.history()) {
            append(turns, convert(m));
        }
        if (request.prompt() != null && !request.prompt().isBlank()) {
            append(turns, userText(request.prompt()));
        }
        for (Turn t : extra) {
            append(turns, t);
        }
        ArrayNode messages = body.putArray("messages");
        for (Turn t : turns) {
            if (!t.content().isEmpty()) {
                ObjectNode message = messages.addObject().put("role", t.role());
                message.set("content", t.content());
            }
        }
        if (request.tools() != null && !request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                ObjectNode node = tools.addObject().put("name", tool.name());
                if (tool.description() != null) {
                    node.put("description", tool.description());
                }
                node.set("input_schema", schema(tool.inputSchema()));
            }
        }
        if (temperature != null) {
            body.put("temperature", temperature);
        }
        if (extraBody != null) {
            for (Map.Entry<String, JsonNode> e : extraBody.properties()) {
                body.set(e.getKey(), e.getValue());
            }
        }
        return body;
    }

    static Turn assistantText(String text) {
        Turn t = new Turn("assistant", Json.MAPPER.createArrayNode());
        addText(t.content(), stripTrailing(text));
        return t;
    }

    static Turn userText(String text) {
        Turn t = new Turn("user", Json.MAPPER.createArrayNode());
        addText(t.content(), text);
        return t;
    }

    private static void append(List<Turn> turns, Turn next) {
        Turn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
        if (last != null && last.role().equals(next.role())) {
            last.content().addAll(next.content());
        } else {
            turns.add(next);
        }
    }

    private static Turn convert(ChatMessage m) throws ProviderException {
        String text = m.text() == null ? "" : m.text();
        switch (m.role()) {
            case "user" -> {
                return userText(text);
            }
            case "assistant" -> {
                Turn t = new Turn("assistant", Json.MAPPER.createArrayNode());
                addText(t.content(), text);
                for (ToolCallRequest call : m.toolCalls() == null ? List.<ToolCallRequest>of() : m.toolCalls()) {
                    ObjectNode use = t.content().addObject().put("type", "tool_use").put("id", call.id())
                            .put("name", call.name());
                    use.set("input", Json.MAPPER.valueToTree(call.input() == null ? Map.of() : call.input()));
                }
                return t;
            }
            case "tool" -> {
                Turn t = new Turn("user", Json.MAPPER.createArrayNode());
                ObjectNode result = t.content().addObject().put("type", "tool_result")
                        .put("tool_use_id", m.toolCallId()).put("content", text);
                if (m.isError()) {
                    result.put("is_error", true);
                }
                return t;
            }
            default -> throw new ProviderException(ProviderException.Kind.FATAL,
                    "cannot send a message with role '" + m.role() + "' to the Anthropic API");
        }
    }

    private static void addText(ArrayNode content, String text) {
        if (text != null && !text.isBlank()) {
            content.addObject().put("type", "text").put("text", text);
        }
    }

    private static String stripTrailing(String text) {
        return text == null ? null : text.stripTrailing();
    }

    private static JsonNode schema(Map<String, Object> schema) {
        if (schema == null || schema.isEmpty()) {
            ObjectNode empty = Json.MAPPER.createObjectNode().put("type", "object");
            empty.putObject("properties");
            return empty;
        }
        return Json.MAPPER.valueToTree(schema);
    }
}
