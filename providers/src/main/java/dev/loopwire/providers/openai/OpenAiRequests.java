package dev.loopwire.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwire.engine.spi.ChatMessage;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.ToolSpec;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.providers.http.Json;
import java.util.List;
import java.util.Map;

/** Builds {@code POST /chat/completions} bodies from a {@link TurnRequest}. */
final class OpenAiRequests {

    private OpenAiRequests() {
    }

    /**
     * The request body.
     *
     * @param extra          messages appended after the prompt (continuation of a truncated answer)
     * @param maxTokens      the output cap for this call, or null
     * @param maxTokensParam {@code max_tokens} or {@code max_completion_tokens}
     * @param settings       temperature, reasoning effort and extra body fields, or null
     */
    static ObjectNode body(TurnRequest request, String model, List<ObjectNode> extra, Long maxTokens,
            String maxTokensParam, boolean includeUsage, RequestExtras settings) throws ProviderException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("model", model);
        body.put("stream", true);
        if (includeUsage) {
            body.putObject("stream_options").put("include_usage", true);
        }
        ArrayNode messages = body.putArray("messages");
        if (request.system() != null && !request.system().isBlank()) {
            messages.addObject().put("role", "system").put("content", request.system());
        }
        for (ChatMessage message : request.history() == null ? List.<ChatMessage>of() : request.history()) {
            messages.add(message(message));
        }
        if (request.prompt() != null && !request.prompt().isBlank()) {
            messages.addObject().put("role", "user").put("content", request.prompt());
        }
        extra.forEach(messages::add);
        if (request.tools() != null && !request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name());
                if (tool.description() != null) {
                    function.put("description", tool.description());
                }
                function.set("parameters", schema(tool.inputSchema()));
            }
        }
        if (maxTokens != null) {
            body.put(maxTokensParam, maxTokens);
        }
        if (settings != null) {
            settings.applyTo(body);
        }
        return body;
    }

    static ObjectNode assistantText(String text) {
        return Json.MAPPER.createObjectNode().put("role", "assistant").put("content", text);
    }

    static ObjectNode userText(String text) {
        return Json.MAPPER.createObjectNode().put("role", "user").put("content", text);
    }

    static JsonNode schema(Map<String, Object> schema) {
        if (schema == null || schema.isEmpty()) {
            ObjectNode empty = Json.MAPPER.createObjectNode().put("type", "object");
            empty.putObject("properties");
            return empty;
        }
        return Json.MAPPER.valueToTree(schema);
    }

    private static ObjectNode message(ChatMessage m) throws ProviderException {
        ObjectNode node = Json.MAPPER.createObjectNode();
        String text = m.text() == null ? "" : m.text();
        switch (m.role()) {
            case "user" -> node.put("role", "user").put("content", text);
            case "assistant" -> {
                node.put("role", "assistant");
                List<ToolCallRequest> calls = m.toolCalls() == null ? List.of() : m.toolCalls();
                if (calls.isEmpty()) {
                    node.put("content", text);
                } else {
                    if (text.isEmpty()) {
                        node.putNull("content");
                    } else {
                        node.put("content", text);
                    }
                    ArrayNode toolCalls = node.putArray("tool_calls");
                    for (ToolCallRequest call : calls) {
                        ObjectNode tc = toolCalls.addObject().put("id", call.id()).put("type", "function");
                        tc.putObject("function").put("name", call.name()).put("arguments", arguments(call));
                    }
                }
            }
            case "tool" -> node.put("role", "tool").put("tool_call_id", m.toolCallId())
                    .put("content", m.isError() && !text.regionMatches(true, 0, "error", 0, 5) ? "Error: " + text : text);
            default -> throw new ProviderException(ProviderException.Kind.FATAL,
                    "cannot send a message with role '" + m.role() + "' to an OpenAI-compatible API");
        }
        return node;
    }

    /** What the model sent: its raw text when that was not an object, else the input as JSON. */
    private static String arguments(ToolCallRequest call) {
        if (call.rawInput() != null) {
            return call.rawInput();
        }
        try {
            return Json.MAPPER.writeValueAsString(call.input() == null ? Map.of() : call.input());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("tool input is not serialisable", e);
        }
    }

    /** Optional request fields from the provider options. */
    record RequestExtras(Double temperature, String reasoningEffort, ObjectNode extraBody) {

        void applyTo(ObjectNode body) {
            if (temperature != null) {
                body.put("temperature", temperature);
            }
            if (reasoningEffort != null) {
                body.put("reasoning_effort", reasoningEffort);
            }
            if (extraBody != null) {
                for (Map.Entry<String, JsonNode> e : extraBody.properties()) {
                    body.set(e.getKey(), e.getValue());
                }
            }
        }
    }
}
