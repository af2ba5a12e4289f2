package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.LoopRuntime.fields;

import dev.loopwire.engine.spi.ChatMessage;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.tools.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plan validation (tightloop): before an API provider's tool calls run, each is checked (known
 * tool, arguments a JSON object that fits the tool's schema). When any is invalid, nothing runs:
 * the provider is asked again within the same iteration with the structured errors as tool
 * results, up to {@value #MAX_RETRIES} times. A turn still invalid after that runs as it is (its
 * invalid calls are recorded as errors) and the iteration counts as ending invalid for
 * {@link dev.loopwire.engine.internal.stop.PlanValidationPolicy}.
 */
final class PlanCheck {

    static final int MAX_RETRIES = 3;
    static final String REPAIR_PROMPT = "Some of your tool calls were invalid and none of them ran; the errors"
            + " are in the tool results above. Call the tools again with valid arguments (or continue without"
            + " them).";

    private PlanCheck() {
    }

    /** The structured error of each invalid call (by call id), empty when every call is valid. */
    static Map<String, String> problems(Map<String, Tool> tools, List<ToolCallRequest> calls) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (ToolCallRequest call : calls) {
            Tool tool = tools.get(call.name());
            String problem;
            if (tool == null) {
                problem = Json.line(fields("error", "unknown_tool", "tool", call.name(), "message",
                        "there is no tool named '" + call.name() + "'", "availableTools", List.copyOf(tools.keySet())));
            } else if (call.rawInput() != null) {
                problem = Json.line(fields("error", "invalid_arguments", "tool", call.name(), "message",
                        "the arguments are not a JSON object"));
            } else {
                List<String> p = tool.validate(call.input() == null ? Map.of() : call.input());
                problem = p.isEmpty() ? null : Json.line(fields("error", "invalid_arguments", "tool", call.name(),
                        "problems", p, "schema", tool.spec().inputSchema()));
            }
            if (problem != null) {
                out.put(call.id(), problem);
            }
        }
        return out;
    }

    /** The failed attempt as conversation: the assistant's calls and a result for each (errors, or not run). */
    static List<ChatMessage> attempt(String prompt, LoopState.Turn turn, Map<String, String> problems) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.user(prompt == null ? "" : prompt));
        messages.add(ChatMessage.assistant(turn.text, turn.toolCalls));
        for (ToolCallRequest call : turn.toolCalls) {
            String problem = problems.get(call.id());
            messages.add(ChatMessage.toolResult(call.id(), call.name(), problem != null ? problem
                    : "not run: another call of this turn was invalid", true));
        }
        return messages;
    }
}
