package dev.loopwire.providers.scripted.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.TurnUsage;
import dev.loopwire.providers.internal.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed, validated script file: {@code {"turns": [{text, thought, toolCalls, usage,
 * delayMillis, error}, ...]}}. Every problem is reported with the file and the JSON path.
 */
public record Script(Path file, List<Turn> turns) {

    /** One scripted call to be played back. */
    public record Turn(
            String text,
            String thought,
            List<Call> toolCalls,
            TurnUsage usage,
            long delayMillis,
            ScriptedError error) {
    }

    /** A tool call the turn asks for. */
    public record Call(String name, Map<String, Object> input) {
    }

    /** A failure the turn plays back instead of an answer. */
    public record ScriptedError(ProviderException.Kind kind, String message, Duration retryAfter) {
    }

    private static final Set<String> TURN_FIELDS =
            Set.of("text", "thought", "toolCalls", "usage", "delayMillis", "error");
    private static final Set<String> CALL_FIELDS = Set.of("name", "input");
    private static final Set<String> USAGE_FIELDS =
            Set.of("inputTokens", "outputTokens", "cachedInputTokens", "costUsd");
    private static final Set<String> ERROR_FIELDS = Set.of("kind", "message", "retryAfterSeconds");

    /** Reads and validates {@code file}; the exception says what is wrong and where. */
    public static Script load(Path file) throws ProviderException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw fail(file, "the file does not exist");
        } catch (JsonProcessingException e) {
            throw fail(file, "invalid JSON at " + Json.location(e) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw fail(file, "cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw fail(file, "$ must be an object like {\"turns\": [...]}");
        }
        JsonNode turnsNode = root.get("turns");
        if (turnsNode == null || !turnsNode.isArray()) {
            throw fail(file, "$.turns must be an array of turns");
        }
        List<Turn> turns = new ArrayList<>();
        for (int i = 0; i < turnsNode.size(); i++) {
            turns.add(turn(file, "$.turns[" + i + "]", turnsNode.get(i)));
        }
        return new Script(file, List.copyOf(turns));
    }

    private static Turn turn(Path file, String path, JsonNode node) throws ProviderException {
        requireObject(file, path, node, TURN_FIELDS);
        String text = optionalText(file, path + ".text", node.get("text"));
        String thought = optionalText(file, path + ".thought", node.get("thought"));
        List<Call> calls = new ArrayList<>();
        JsonNode callsNode = node.get("toolCalls");
        if (callsNode != null && !callsNode.isNull()) {
            if (!callsNode.isArray()) {
                throw fail(file, path + ".toolCalls must be an array");
            }
            for (int k = 0; k < callsNode.size(); k++) {
                String callPath = path + ".toolCalls[" + k + "]";
                JsonNode call = callsNode.get(k);
                requireObject(file, callPath, call, CALL_FIELDS);
                String name = optionalText(file, callPath + ".name", call.get("name"));
                if (name == null || name.isBlank()) {
                    throw fail(file, callPath + ".name is required (the tool's name, e.g. \"write_file\")");
                }
                JsonNode input = call.get("input");
                if (input != null && !input.isNull() && !input.isObject()) {
                    throw fail(file, callPath + ".input must be an object");
                }
                calls.add(new Call(name, Json.toMap(input)));
            }
        }
        TurnUsage usage = usage(file, path + ".usage", node.get("usage"));
        long delay = 0;
        JsonNode delayNode = node.get("delayMillis");
        if (delayNode != null && !delayNode.isNull()) {
            if (!delayNode.canConvertToLong() || !delayNode.isIntegralNumber() || delayNode.asLong() < 0) {
                throw fail(file, path + ".delayMillis must be a whole number of milliseconds, 0 or more");
            }
            delay = delayNode.asLong();
        }
        ScriptedError error = error(file, path + ".error", node.get("error"));
        if (text == null && thought == null && calls.isEmpty() && error == null) {
            throw fail(file, path + " is empty: give it text, toolCalls or an error");
        }
        return new Turn(text == null ? "" : text, thought, List.copyOf(calls), usage, delay, error);
    }

    private static TurnUsage usage(Path file, String path, JsonNode node) throws ProviderException {
        if (node == null || node.isNull()) {
            return TurnUsage.ZERO;
        }
        requireObject(file, path, node, USAGE_FIELDS);
        long in = count(file, path + ".inputTokens", node.get("inputTokens"));
        long out = count(file, path + ".outputTokens", node.get("outputTokens"));
        long cached = count(file, path + ".cachedInputTokens", node.get("cachedInputTokens"));
        JsonNode cost = node.get("costUsd");
        double costUsd = 0.0;
        if (cost != null && !cost.isNull()) {
            if (!cost.isNumber() || cost.asDouble() < 0) {
                throw fail(file, path + ".costUsd must be a number, 0 or more");
            }
            costUsd = cost.asDouble();
        }
        return new TurnUsage(in, out, cached, costUsd);
    }

    private static ScriptedError error(Path file, String path, JsonNode node) throws ProviderException {
        if (node == null || node.isNull()) {
            return null;
        }
        requireObject(file, path, node, ERROR_FIELDS);
        String kindText = optionalText(file, path + ".kind", node.get("kind"));
        ProviderException.Kind kind = ProviderException.Kind.FATAL;
        if (kindText != null) {
            try {
                kind = ProviderException.Kind.valueOf(kindText.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw fail(file, path + ".kind must be one of unavailable, rate_limited, transient, fatal,"
                        + " protocol");
            }
        }
        String message = optionalText(file, path + ".message", node.get("message"));
        if (message == null || message.isBlank()) {
            throw fail(file, path + ".message is required");
        }
        long retry = count(file, path + ".retryAfterSeconds", node.get("retryAfterSeconds"));
        return new ScriptedError(kind, message, retry > 0 ? Duration.ofSeconds(retry) : null);
    }

    private static void requireObject(Path file, String path, JsonNode node, Set<String> known)
            throws ProviderException {
        if (node == null || !node.isObject()) {
            throw fail(file, path + " must be an object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw fail(file, "unknown field " + path + "." + name + " (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String optionalText(Path file, String path, JsonNode node) throws ProviderException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw fail(file, path + " must be a string");
        }
        return node.asText();
    }

    private static long count(Path file, String path, JsonNode node) throws ProviderException {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw fail(file, path + " must be a whole number, 0 or more");
        }
        return node.asLong();
    }

    private static ProviderException fail(Path file, String what) {
        return new ProviderException(ProviderException.Kind.FATAL, "scripted provider: " + file + ": " + what);
    }
}
