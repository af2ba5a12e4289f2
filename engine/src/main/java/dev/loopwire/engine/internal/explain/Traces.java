package dev.loopwire.engine.internal.explain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.protocol.IterationTrace;
import dev.loopwire.protocol.PolicyDecision;
import dev.loopwire.protocol.ProviderCallTrace;
import dev.loopwire.protocol.ToolCallTrace;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds per-iteration traces from a loop's journal events (so they survive restarts and cost
 * nothing while the loop runs). Events without an iteration (status changes, approvals) belong
 * to the iteration under way or last completed.
 */
public final class Traces {

    private static final int OUTPUT_CHARS = 300;

    private Traces() {
    }

    /** One trace per iteration that started, oldest first. */
    public static List<IterationTrace> of(List<JsonNode> events) {
        Map<Integer, Builder> byIndex = new LinkedHashMap<>();
        int current = 0;
        for (JsonNode e : events) {
            String type = e.path("type").asText();
            String at = e.path("at").asText(null);
            int index = e.has("iteration") && e.get("iteration").canConvertToInt() ? e.get("iteration").asInt()
                    : current;
            if ("iteration".equals(type)) {
                index = e.path("record").path("index").asInt(current);
            }
            if (index <= 0) {
                continue;
            }
            Builder b = byIndex.computeIfAbsent(index, Builder::new);
            String previous = b.lastAt;
            b.lastAt = at;
            switch (type) {
                case "iteration_started" -> {
                    current = index;
                    b.turnStart = at;
                }
                case "turn" -> b.turn(e, previous, at);
                case "provider_error" -> b.providerError(e, previous, at);
                case "tool_call" -> b.toolStart.put(e.path("id").asText(), at);
                case "tool_result" -> b.toolResult(e, at);
                case "approval_requested" -> {
                    b.approvalCall.put(e.path("approval").path("approvalId").asText(), e.path("callId").asText());
                    b.decision(at, type, "asked a person about " + e.path("approval").path("title").asText()
                            + " (" + e.path("approval").path("reason").asText() + ")");
                }
                case "approval_resolved" -> {
                    String call = b.approvalCall.get(e.path("approvalId").asText());
                    if (call != null) {
                        b.personDecision.put(call, e.path("decision").asText());
                    }
                    b.decision(at, type, e.path("approvalId").asText() + ": " + e.path("decision").asText()
                            + (e.hasNonNull("note") ? " (" + e.get("note").asText() + ")" : ""));
                }
                case "status" -> b.decision(at, type, e.path("status").asText()
                        + (e.hasNonNull("reason") ? ": " + e.get("reason").asText() : ""));
                case "verification" -> b.decision(at, type, verification(e));
                case "wait", "wait_done", "wait_warning" -> b.decision(at, type,
                        e.hasNonNull("reason") ? e.get("reason").asText() : e.path("message").asText());
                case "budget_changed" -> b.decision(at, type, "budget " + e.path("budget"));
                default -> {
                    // other events are not decisions
                }
            }
        }
        return byIndex.values().stream().map(Builder::build).toList();
    }

    private static String verification(JsonNode e) {
        List<String> parts = new ArrayList<>();
        if (e.hasNonNull("artifactsChanged")) {
            parts.add("artifacts changed: " + e.get("artifactsChanged").asText());
        }
        if (e.hasNonNull("checkPassed")) {
            parts.add("check " + (e.get("checkPassed").asBoolean() ? "passed" : "failed (exit "
                    + e.path("checkExitCode").asText("?") + ")"));
        }
        if (e.hasNonNull("judgeSatisfied")) {
            parts.add("judge " + (e.get("judgeSatisfied").asBoolean() ? "satisfied" : "not satisfied")
                    + (e.hasNonNull("judgeReason") ? ": " + e.get("judgeReason").asText() : ""));
        }
        return String.join("; ", parts);
    }

    static Double seconds(String from, String to) {
        if (from == null || to == null) {
            return null;
        }
        try {
            return Duration.between(Instant.parse(from), Instant.parse(to)).toMillis() / 1000.0;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static final class Builder {
        final int index;
        Integer promptChars;
        String turnStart;
        String lastAt;
        final List<ProviderCallTrace> providerCalls = new ArrayList<>();
        final List<ToolCallTrace> toolCalls = new ArrayList<>();
        final List<PolicyDecision> decisions = new ArrayList<>();
        final Map<String, String> toolStart = new HashMap<>();
        final Map<String, String> approvalCall = new HashMap<>();
        final Map<String, String> personDecision = new HashMap<>();

        Builder(int index) {
            this.index = index;
        }

        /** A provider call; it started at the iteration's start or, for a later call, at the event before it. */
        void turn(JsonNode e, String previous, String at) {
            String start = providerCalls.isEmpty() && turnStart != null ? turnStart : previous;
            if (e.hasNonNull("promptChars")) {
                promptChars = e.get("promptChars").asInt();
            }
            JsonNode u = e.path("usage");
            providerCalls.add(new ProviderCallTrace(e.path("callIndex").asInt(), start, seconds(start, at),
                    u.path("inputTokens").asLong(), u.path("outputTokens").asLong(),
                    u.hasNonNull("costUsd") ? u.get("costUsd").asDouble() : null, e.path("stopReason").asText(null),
                    null));
        }

        void providerError(JsonNode e, String previous, String at) {
            String start = providerCalls.isEmpty() && turnStart != null ? turnStart : previous;
            providerCalls.add(new ProviderCallTrace(e.path("callIndex").asInt(), start, seconds(start, at),
                    0, 0, null, null, e.path("kind").asText() + ": " + e.path("message").asText()));
            decision(at, "provider_error", e.path("kind").asText() + ": " + e.path("message").asText());
        }

        void toolResult(JsonNode e, String at) {
            String id = e.path("id").asText();
            String status = e.path("status").asText();
            String started = toolStart.get(id);
            String decision = personDecision.get(id);
            if (decision == null) {
                decision = started == null && "error".equals(status) ? "invalid" : "policy";
            }
            String output = e.path("output").asText("");
            if (output.length() > OUTPUT_CHARS) {
                output = output.substring(0, OUTPUT_CHARS) + "...";
            }
            toolCalls.add(new ToolCallTrace(id, e.path("name").asText(null), status,
                    started == null ? null : seconds(started, at), decision, output));
        }

        void decision(String at, String kind, String detail) {
            decisions.add(new PolicyDecision(at, kind, detail));
        }

        IterationTrace build() {
            return new IterationTrace(index, promptChars, List.copyOf(providerCalls), List.copyOf(toolCalls),
                    List.copyOf(decisions));
        }
    }
}
