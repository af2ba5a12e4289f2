package dev.loopwire.providers.cli.internal;

import dev.loopwire.engine.tools.Redactor;
import dev.loopwire.providers.internal.Text;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.engine.spi.TurnUsage;
import dev.loopwire.providers.internal.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns Claude Code's {@code --output-format stream-json --verbose} lines into sink events and a
 * {@link TurnResult}: {@code system} (init), {@code assistant} messages (text, thinking and
 * tool_use blocks), {@code user} messages (tool_result blocks), and the final {@code result}
 * with {@code usage} and {@code total_cost_usd}. Lines that are not JSON go to the log.
 */
public final class ClaudeStreamParser {

    private final TurnSink sink;
    private final Redactor redactor;
    private final StringBuilder text = new StringBuilder();
    private final Map<String, String> toolNames = new HashMap<>();
    private JsonNode result;

    public ClaudeStreamParser(TurnSink sink, Redactor redactor) {
        this.sink = sink;
        this.redactor = redactor;
    }

    /** One line of stdout. */
    public void line(String line) {
        String t = line.strip();
        if (t.isEmpty()) {
            return;
        }
        JsonNode event;
        try {
            event = Json.MAPPER.readTree(t);
        } catch (JsonProcessingException e) {
            event = null;
        }
        if (event == null || !event.isObject()) {
            sink.log("claude: " + redactor.redact(Text.abbreviate(t, 500)));
            return;
        }
        switch (event.path("type").asText()) {
            case "system" -> {
                if ("init".equals(event.path("subtype").asText())) {
                    sink.log("claude-code session " + event.path("session_id").asText("?") + " started (model "
                            + event.path("model").asText("?") + ", permission mode "
                            + event.path("permissionMode").asText("default") + ")");
                }
            }
            case "assistant" -> assistant(event.path("message").path("content"));
            case "user" -> user(event.path("message").path("content"));
            case "result" -> result = event;
            default -> {
                // stream_event and future event types carry nothing a loop needs
            }
        }
    }

    private void assistant(JsonNode content) {
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> appendText(block.path("text").asText(""));
                case "thinking" -> {
                    String thinking = block.path("thinking").asText("");
                    if (!thinking.isEmpty()) {
                        sink.thought(thinking);
                    }
                }
                case "tool_use" -> {
                    String id = block.path("id").asText();
                    String name = block.path("name").asText("tool");
                    toolNames.put(id, name);
                    sink.toolCall(new ToolCallRequest(id, name, Json.toMap(block.path("input"))));
                }
                default -> {
                    // redacted_thinking and other blocks are not shown
                }
            }
        }
    }

    private void user(JsonNode content) {
        for (JsonNode block : content) {
            if (!"tool_result".equals(block.path("type").asText())) {
                continue;
            }
            String id = block.path("tool_use_id").asText();
            sink.toolResult(id, toolNames.getOrDefault(id, "tool"), resultText(block.path("content")),
                    block.path("is_error").asBoolean(false));
        }
    }

    private static String resultText(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            if ("text".equals(part.path("type").asText())) {
                sb.append(part.path("text").asText(""));
            } else {
                sb.append('[').append(part.path("type").asText("content")).append(']');
            }
        }
        return sb.toString();
    }

    private void appendText(String s) {
        if (s.isEmpty()) {
            return;
        }
        String delta = text.length() > 0 && text.charAt(text.length() - 1) != '\n' ? "\n" + s : s;
        text.append(delta);
        sink.text(delta);
    }

    /** The turn's result once the process ended, or the failure it reported. */
    public TurnResult finish(CliTurnRunner.Finished finished) throws ProviderException {
        if (result != null) {
            String subtype = result.path("subtype").asText("success");
            boolean maxTurns = "error_max_turns".equals(subtype);
            if (!maxTurns && (result.path("is_error").asBoolean(false) || subtype.startsWith("error"))) {
                String detail = result.path("result").isTextual() ? result.path("result").asText()
                        : result.path("errors").isMissingNode() ? "" : result.path("errors").toString();
                String message = "claude-code reported an error (" + subtype + ")"
                        + (detail.isBlank() ? "" : ": " + redactor.redact(Text.abbreviate(detail, 1000)))
                        + (finished.exitCode() != 0 ? "; exit code " + finished.exitCode() : "");
                throw new ProviderException(CliSetup.looksRateLimited(detail)
                        ? ProviderException.Kind.RATE_LIMITED : ProviderException.Kind.FATAL, message);
            }
            if (maxTurns) {
                sink.log("claude-code stopped at its --max-turns limit");
            }
        }
        if (finished.exitCode() != 0) {
            throw new ProviderException(CliSetup.looksRateLimited(finished.stderrTail())
                    ? ProviderException.Kind.RATE_LIMITED : ProviderException.Kind.FATAL,
                    "claude exited with code " + finished.exitCode()
                    + (finished.stderrTail().isEmpty() ? "" : ": " + finished.stderrTail()));
        }
        if (result == null) {
            throw new ProviderException(ProviderException.Kind.PROTOCOL,
                    "claude ended without a result event (is it a Claude Code version with --output-format"
                    + " stream-json?)" + (finished.stderrTail().isEmpty() ? "" : "; stderr: " + finished.stderrTail()));
        }
        if (text.length() == 0 && result.path("result").isTextual()) {
            appendText(result.path("result").asText());
        }
        JsonNode u = result.path("usage");
        long cacheRead = u.path("cache_read_input_tokens").asLong(0);
        long input = u.path("input_tokens").asLong(0) + u.path("cache_creation_input_tokens").asLong(0) + cacheRead;
        JsonNode cost = result.path("total_cost_usd");
        TurnUsage usage = new TurnUsage(input, u.path("output_tokens").asLong(0), cacheRead,
                cost.isNumber() ? cost.asDouble() : null);
        return new TurnResult(text.toString(), List.of(), usage,
                "error_max_turns".equals(result.path("subtype").asText()) ? "max_turns" : "exit:0");
    }
}
