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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@code codex exec --json} JSONL events into sink events and a {@link TurnResult}:
 * {@code thread.started}, {@code turn.started}, {@code item.started/updated/completed} with items
 * {@code agent_message}, {@code reasoning}, {@code command_execution}, {@code file_change},
 * {@code mcp_tool_call}, {@code web_search}, {@code todo_list}, {@code error}; then
 * {@code turn.completed} with {@code usage} or {@code turn.failed} / {@code error}.
 */
public final class CodexEventParser {

    private final TurnSink sink;
    private final Redactor redactor;
    private final StringBuilder text = new StringBuilder();
    private final Set<String> announced = new HashSet<>();
    private long inputTokens;
    private long cachedTokens;
    private long outputTokens;
    private boolean completed;
    private String failure;
    private String lastError;

    public CodexEventParser(TurnSink sink, Redactor redactor) {
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
            sink.log("codex: " + redactor.redact(Text.abbreviate(t, 500)));
            return;
        }
        switch (event.path("type").asText()) {
            case "thread.started" -> sink.log("codex thread " + event.path("thread_id").asText("?") + " started");
            case "item.started", "item.updated" -> itemStarted(event.path("item"));
            case "item.completed" -> itemCompleted(event.path("item"));
            case "turn.completed" -> {
                completed = true;
                JsonNode u = event.path("usage");
                inputTokens += u.path("input_tokens").asLong(0);
                cachedTokens += u.path("cached_input_tokens").asLong(0);
                outputTokens += u.path("output_tokens").asLong(0);
            }
            case "turn.failed" -> failure = event.path("error").path("message").asText("the turn failed");
            case "error" -> {
                lastError = event.path("message").asText("error");
                sink.log("codex error: " + redactor.redact(Text.abbreviate(lastError, 500)));
            }
            default -> {
                // turn.started and future event types carry nothing a loop needs
            }
        }
    }

    private void itemStarted(JsonNode item) {
        switch (item.path("type").asText()) {
            case "command_execution", "mcp_tool_call", "web_search" -> announce(item);
            default -> {
                // text, reasoning and file changes are reported once complete
            }
        }
    }

    private void itemCompleted(JsonNode item) {
        String id = item.path("id").asText();
        switch (item.path("type").asText()) {
            case "agent_message" -> appendText(item.path("text").asText(""));
            case "reasoning", "plan" -> {
                String thought = item.path("text").asText("");
                if (!thought.isEmpty()) {
                    sink.thought(thought);
                }
            }
            case "command_execution" -> {
                announce(item);
                JsonNode exit = item.path("exit_code");
                String status = item.path("status").asText("completed");
                String output = item.path("aggregated_output").asText("");
                boolean failed = !"completed".equals(status) || (exit.isNumber() && exit.asInt() != 0);
                if (exit.isNumber() && exit.asInt() != 0) {
                    output = output + (output.isEmpty() || output.endsWith("\n") ? "" : "\n") + "[exit code "
                            + exit.asInt() + "]";
                } else if ("declined".equals(status)) {
                    output = output + "[declined]";
                }
                sink.toolResult(id, "command_execution", output, failed);
            }
            case "file_change" -> {
                announce(item);
                StringBuilder sb = new StringBuilder();
                for (JsonNode change : item.path("changes")) {
                    sb.append(change.path("kind").asText("update")).append(' ')
                            .append(change.path("path").asText()).append('\n');
                }
                sink.toolResult(id, "file_change", sb.toString().strip(), "failed".equals(item.path("status").asText()));
            }
            case "mcp_tool_call" -> {
                announce(item);
                boolean failed = "failed".equals(item.path("status").asText()) || item.hasNonNull("error");
                String output = failed ? item.path("error").path("message").asText("failed")
                        : contentText(item.path("result").path("content"));
                sink.toolResult(id, item.path("server").asText() + "." + item.path("tool").asText(), output, failed);
            }
            case "web_search" -> announce(item);
            case "error" -> sink.log("codex: " + redactor.redact(Text.abbreviate(item.path("message").asText(""), 500)));
            default -> {
                // todo_list and future item types carry nothing a loop needs
            }
        }
    }

    /** Reports an item as a tool call once. */
    private void announce(JsonNode item) {
        String id = item.path("id").asText();
        if (!announced.add(id)) {
            return;
        }
        Map<String, Object> input = new LinkedHashMap<>();
        String name = item.path("type").asText();
        switch (name) {
            case "command_execution" -> input.put("command", item.path("command").asText(""));
            case "file_change" -> input.put("changes", Json.MAPPER.convertValue(item.path("changes"), List.class));
            case "mcp_tool_call" -> {
                name = item.path("server").asText() + "." + item.path("tool").asText();
                input.putAll(Json.toMap(item.path("arguments")));
            }
            case "web_search" -> input.put("query", item.path("query").asText(""));
            default -> {
            }
        }
        sink.toolCall(new ToolCallRequest(id, name, input));
    }

    private static String contentText(JsonNode content) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(part.path("text").isTextual() ? part.path("text").asText() : part.toString());
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
        if (failure != null) {
            throw new ProviderException(CliSetup.looksRateLimited(failure) ? ProviderException.Kind.RATE_LIMITED
                    : ProviderException.Kind.FATAL, "codex turn failed: " + redactor.redact(Text.abbreviate(failure, 1000)));
        }
        if (finished.exitCode() != 0) {
            String why = lastError != null ? redactor.redact(Text.abbreviate(lastError, 1000)) : finished.stderrTail();
            throw new ProviderException(CliSetup.looksRateLimited(why) ? ProviderException.Kind.RATE_LIMITED
                    : ProviderException.Kind.FATAL, "codex exited with code " + finished.exitCode()
                    + (why.isEmpty() ? "" : ": " + why));
        }
        if (!completed) {
            throw new ProviderException(ProviderException.Kind.PROTOCOL, "codex ended without a turn.completed event"
                    + (finished.stderrTail().isEmpty() ? "" : "; stderr: " + finished.stderrTail()));
        }
        return new TurnResult(text.toString(), List.of(),
                new TurnUsage(inputTokens, outputTokens, cachedTokens, null), "exit:0");
    }
}
