package dev.loopwire.providers.anthropic;

import dev.loopwire.providers.internal.Text;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProviderException.Kind;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.providers.http.Json;
import dev.loopwire.engine.tools.Redactor;
import dev.loopwire.providers.http.SseStreamer;
import dev.loopwire.providers.http.ToolArguments;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one Messages API event stream: {@code message_start} (usage), content blocks
 * ({@code text_delta} -> text, {@code thinking_delta} -> thought, {@code tool_use} blocks with
 * their {@code input_json_delta} pieces -> tool calls), {@code message_delta} (stop reason,
 * usage), {@code ping}, {@code error}. Complete at {@code message_stop}.
 */
final class AnthropicStreamHandler implements SseStreamer.Handler {

    private enum BlockType { TEXT, THINKING, TOOL, OTHER }

    private static final class Block {
        final BlockType type;
        String id;
        String name;
        JsonNode initialInput;
        final StringBuilder json = new StringBuilder();

        Block(BlockType type) {
            this.type = type;
        }
    }

    private final TurnSink sink;
    private final Redactor redaction;
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, Block> blocks = new HashMap<>();
    private final List<Block> order = new ArrayList<>();
    private boolean emitted;
    private boolean started;
    private String stopReason;
    private String responseModel;
    private long inputTokens;
    private long outputTokens;
    private long cacheRead;
    private long cacheWrite;
    private boolean usageSeen;

    AnthropicStreamHandler(TurnSink sink, Redactor redaction) {
        this.sink = sink;
        this.redaction = redaction;
    }

    @Override
    public boolean onEvent(String sseType, String data) throws ProviderException {
        FastDelta.Text fast = FastDelta.read(data);
        if (fast != null) {
            if (!blocks.containsKey(fast.index())) {
                throw malformed(data);
            }
            emitText(fast.text());
            return false;
        }
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(data);
        } catch (IOException e) {
            throw malformed(data);
        }
        if (event == null || !event.isObject()) {
            throw malformed(data);
        }
        String type = Json.text(event, "type");
        if (type == null) {
            type = sseType;
        }
        if (type == null) {
            throw malformed(data);
        }
        switch (type) {
            case "message_start" -> {
                started = true;
                JsonNode message = event.path("message");
                responseModel = Json.text(message, "model");
                usage(message.path("usage"));
            }
            case "content_block_start" -> blockStart(event, data);
            case "content_block_delta" -> blockDelta(event, data);
            case "content_block_stop", "ping" -> {
                // nothing to do: blocks are assembled as their deltas arrive
            }
            case "message_delta" -> {
                String reason = Json.text(event.path("delta"), "stop_reason");
                if (reason != null) {
                    stopReason = reason;
                }
                usage(event.path("usage"));
            }
            case "message_stop" -> {
                if (!started) {
                    throw new ProviderException(Kind.PROTOCOL, "anthropic stream ended without message_start");
                }
                return true;
            }
            case "error" -> throw streamError(event.path("error"));
            default -> {
                // new event types may appear; the API documentation asks clients to ignore them
            }
        }
        return false;
    }

    private void blockStart(JsonNode event, String data) throws ProviderException {
        JsonNode index = event.get("index");
        JsonNode content = event.get("content_block");
        if (index == null || !index.isInt() || content == null || !content.isObject()) {
            throw malformed(data);
        }
        String kind = Json.text(content, "type");
        Block block;
        if ("text".equals(kind)) {
            block = new Block(BlockType.TEXT);
            emitText(Json.text(content, "text"));
        } else if ("thinking".equals(kind)) {
            block = new Block(BlockType.THINKING);
            emitThought(Json.text(content, "thinking"));
        } else if ("tool_use".equals(kind)) {
            block = new Block(BlockType.TOOL);
            block.id = Json.text(content, "id");
            block.name = Json.text(content, "name");
            block.initialInput = content.get("input");
        } else {
            block = new Block(BlockType.OTHER);
        }
        blocks.put(index.asInt(), block);
        order.add(block);
    }

    private void blockDelta(JsonNode event, String data) throws ProviderException {
        Block block = blocks.get(event.path("index").asInt(-1));
        JsonNode delta = event.get("delta");
        if (block == null || delta == null || !delta.isObject()) {
            throw malformed(data);
        }
        String kind = Json.text(delta, "type");
        if ("text_delta".equals(kind)) {
            emitText(Json.text(delta, "text"));
        } else if ("thinking_delta".equals(kind)) {
            emitThought(Json.text(delta, "thinking"));
        } else if ("input_json_delta".equals(kind)) {
            String part = Json.text(delta, "partial_json");
            if (part != null) {
                block.json.append(part);
            }
        }
        // signature_delta, citations_delta and future delta types carry nothing for the loop
    }

    private void emitText(String delta) {
        if (delta != null && !delta.isEmpty()) {
            emitted = true;
            text.append(delta);
            sink.text(delta);
        }
    }

    private void emitThought(String delta) {
        if (delta != null && !delta.isEmpty()) {
            emitted = true;
            sink.thought(delta);
        }
    }

    /** Usage fields are cumulative: a later event's value replaces an earlier one. */
    private void usage(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return;
        }
        usageSeen = true;
        inputTokens = Json.number(usage, "input_tokens", inputTokens);
        outputTokens = Json.number(usage, "output_tokens", outputTokens);
        cacheRead = Json.number(usage, "cache_read_input_tokens", cacheRead);
        cacheWrite = Json.number(usage, "cache_creation_input_tokens", cacheWrite);
    }

    @Override
    public boolean emitted() {
        return emitted;
    }

    String text() {
        return text.toString();
    }

    String stopReason() {
        return stopReason;
    }

    String responseModel() {
        return responseModel;
    }

    boolean usageSeen() {
        return usageSeen;
    }

    /** All input tokens: uncached, cache reads and cache writes. */
    long inputTokens() {
        return inputTokens + cacheRead + cacheWrite;
    }

    long outputTokens() {
        return outputTokens;
    }

    long cacheRead() {
        return cacheRead;
    }

    long cacheWrite() {
        return cacheWrite;
    }

    List<ToolCallRequest> toolCalls() {
        List<ToolCallRequest> calls = new ArrayList<>();
        int n = 0;
        for (Block b : order) {
            if (b.type != BlockType.TOOL) {
                continue;
            }
            n++;
            String id = b.id != null ? b.id : "toolu_" + n;
            String name = b.name != null ? b.name : "";
            if (b.json.length() > 0) {
                calls.add(ToolArguments.toRequest(id, name, b.json.toString()));
            } else if (b.initialInput != null && b.initialInput.isObject()) {
                calls.add(new ToolCallRequest(id, name, Json.toMap(b.initialInput), null));
            } else {
                calls.add(ToolArguments.toRequest(id, name, ""));
            }
        }
        return calls;
    }

    private ProviderException malformed(String data) {
        return new ProviderException(Kind.PROTOCOL, "malformed event in the anthropic stream: "
                + Text.excerpt(redaction, data, 200));
    }

    private ProviderException streamError(JsonNode error) {
        String type = Json.text(error, "type");
        String message = Json.text(error, "message");
        Kind kind = switch (type == null ? "" : type) {
            case "rate_limit_error" -> Kind.RATE_LIMITED;
            case "invalid_request_error", "authentication_error", "permission_error", "not_found_error",
                    "request_too_large", "billing_error" -> Kind.FATAL;
            default -> Kind.TRANSIENT;
        };
        String shown = (type == null ? "error" : type) + (message == null ? "" : ": " + message);
        return new ProviderException(kind, "error in the anthropic stream: " + Text.excerpt(redaction, shown, 300));
    }
}
