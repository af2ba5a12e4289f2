package dev.loopwire.providers.openai;

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
 * Reads one {@code chat.completion.chunk} stream: text and reasoning deltas go to the sink as they
 * come, tool call fragments are assembled by index (id, name, argument pieces), and the usage
 * chunk and finish reason are kept. The stream is complete at {@code data: [DONE]}.
 */
final class OpenAiStreamHandler implements SseStreamer.Handler {

    private final TurnSink sink;
    private final String label;
    private final Redactor redaction;
    private final StringBuilder text = new StringBuilder();
    private final List<CallBuilder> calls = new ArrayList<>();
    private final Map<Integer, CallBuilder> byIndex = new HashMap<>();
    private boolean emitted;
    private String finishReason;
    private String responseModel;
    private JsonNode usage;

    OpenAiStreamHandler(TurnSink sink, String label, Redactor redaction) {
        this.sink = sink;
        this.label = label;
        this.redaction = redaction;
    }

    @Override
    public boolean onEvent(String type, String data) throws ProviderException {
        if ("[DONE]".equals(data.trim())) {
            return true;
        }
        FastChunk.Text fast = FastChunk.read(data);
        if (fast != null) {
            if (responseModel == null) {
                responseModel = fast.model();
            }
            if (!fast.content().isEmpty()) {
                emitted = true;
                text.append(fast.content());
                sink.text(fast.content());
            }
            return false;
        }
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(data);
        } catch (IOException e) {
            throw malformed(data);
        }
        if (chunk == null || !chunk.isObject()) {
            throw malformed(data);
        }
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            throw streamError(error);
        }
        if (responseModel == null) {
            responseModel = Json.text(chunk, "model");
        }
        JsonNode choices = chunk.get("choices");
        if (choices != null && choices.isArray()) {
            for (JsonNode choice : choices) {
                if (choice.path("index").asInt(0) != 0) {
                    continue;
                }
                JsonNode delta = choice.get("delta");
                if (delta != null && delta.isObject()) {
                    delta(delta);
                }
                String finish = Json.text(choice, "finish_reason");
                if (finish != null) {
                    finishReason = finish;
                }
            }
        } else if (choices != null && !choices.isNull()) {
            throw malformed(data);
        }
        JsonNode u = chunk.get("usage");
        if (u != null && u.isObject()) {
            usage = u;
        }
        return false;
    }

    private void delta(JsonNode delta) throws ProviderException {
        for (String field : new String[] {"reasoning_content", "reasoning"}) {
            JsonNode thought = delta.get(field);
            if (thought != null && thought.isTextual() && !thought.asText().isEmpty()) {
                emitted = true;
                sink.thought(thought.asText());
            }
        }
        for (String field : new String[] {"content", "refusal"}) {
            JsonNode content = delta.get(field);
            if (content != null && content.isTextual() && !content.asText().isEmpty()) {
                emitted = true;
                text.append(content.asText());
                sink.text(content.asText());
            }
        }
        JsonNode toolCalls = delta.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray()) {
            int position = 0;
            for (JsonNode tc : toolCalls) {
                toolCallDelta(tc, position++);
            }
        }
    }

    private void toolCallDelta(JsonNode tc, int position) throws ProviderException {
        int index = tc.has("index") ? tc.get("index").asInt() : position;
        String id = Json.text(tc, "id");
        CallBuilder call = byIndex.get(index);
        // some servers (Ollama) reuse index 0 for every call of a parallel batch, told apart by id
        if (call == null || (id != null && !id.isEmpty() && call.id != null && !call.id.equals(id))) {
            call = new CallBuilder();
            calls.add(call);
            byIndex.put(index, call);
        }
        if (id != null && !id.isEmpty()) {
            call.id = id;
        }
        JsonNode function = tc.get("function");
        if (function != null && function.isObject()) {
            String name = Json.text(function, "name");
            if (name != null && !name.isEmpty()) {
                call.name = call.name == null ? name : call.name + (call.name.equals(name) ? "" : name);
            }
            JsonNode args = function.get("arguments");
            if (args != null && !args.isNull()) {
                call.arguments.append(args.isTextual() ? args.asText() : args.toString());
            }
        } else if (function != null && !function.isNull()) {
            throw malformed(tc.toString());
        }
    }

    @Override
    public boolean emitted() {
        return emitted;
    }

    String text() {
        return text.toString();
    }

    String finishReason() {
        return finishReason;
    }

    String responseModel() {
        return responseModel;
    }

    /** The usage object of the stream, or null when the server sent none. */
    JsonNode usage() {
        return usage;
    }

    /** The assembled tool calls, in the order they started. */
    List<ToolCallRequest> toolCalls() {
        List<ToolCallRequest> out = new ArrayList<>();
        int n = 0;
        for (CallBuilder call : calls) {
            n++;
            String id = call.id != null ? call.id : "call_" + n;
            String name = call.name != null ? call.name : "";
            out.add(ToolArguments.toRequest(id, name, call.arguments.toString()));
        }
        return out;
    }

    private ProviderException malformed(String data) {
        return new ProviderException(Kind.PROTOCOL, "malformed chunk in the " + label + " stream: "
                + Text.excerpt(redaction, data, 200));
    }

    private ProviderException streamError(JsonNode error) {
        String type = error.isObject() ? Json.text(error, "type") : null;
        String code = error.isObject() ? Json.text(error, "code") : null;
        String message = error.isObject() ? Json.text(error, "message") : error.asText();
        String kindText = ((type == null ? "" : type) + " " + (code == null ? "" : code)).toLowerCase(java.util.Locale.ROOT);
        Kind kind;
        if (kindText.contains("rate_limit") || "429".equals(code)) {
            kind = Kind.RATE_LIMITED;
        } else if (kindText.contains("invalid_request") || kindText.contains("authentication")
                || kindText.contains("permission") || kindText.contains("not_found")) {
            kind = Kind.FATAL;
        } else {
            kind = Kind.TRANSIENT;
        }
        String shown = (type != null ? type : code != null ? code : "error") + (message != null ? ": " + message : "");
        return new ProviderException(kind, "error in the " + label + " stream: " + Text.excerpt(redaction, shown, 300));
    }

    private static final class CallBuilder {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }
}
