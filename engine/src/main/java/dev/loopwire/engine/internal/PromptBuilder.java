package dev.loopwire.engine.internal;

import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.ToolCall;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds one iteration's system text and prompt from the loop's config, the memory file as it
 * is on disk now, and (for fresh-context loops) the previous iteration's tool results.
 */
public final class PromptBuilder {

    /** Cap for one tool output replayed in a fresh-context prompt. */
    static final int MAX_REPLAYED_OUTPUT = 2_000;

    private PromptBuilder() {
    }

    public static String system(LoopConfig config) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (config.args() != null) {
            values.putAll(config.args());
        }
        values.put("doneToken", config.doneToken());
        values.put("goal", config.goal());
        return Templates.render(config.instructions() == null ? "" : config.instructions(), values).strip();
    }

    /**
     * @param previous the last completed iteration, replayed for fresh-context loops (null: none
     *                 or the provider sees the conversation history instead)
     */
    public static String prompt(LoopConfig config, int index, String memoryPath, String memory,
            IterationRecord previous) {
        StringBuilder p = new StringBuilder();
        p.append("# Goal\n\n").append(config.goal().strip()).append("\n\n");
        p.append("# Memory file (").append(memoryPath).append(")\n\n");
        p.append(memory.isBlank() ? "(empty)\n" : memory.strip() + "\n").append('\n');
        if (previous != null && !previous.toolCalls().isEmpty()) {
            p.append("# Tool results of the previous iteration (").append(previous.index()).append(")\n\n");
            for (ToolCall call : previous.toolCalls()) {
                p.append("- ").append(call.name()).append(' ').append(Json.line(call.input()))
                        .append(" -> ").append(call.status());
                if (call.output() != null && !call.output().isEmpty()) {
                    p.append(":\n").append(indent(cap(call.output())));
                }
                p.append('\n');
            }
            p.append('\n');
        }
        p.append("# Now\n\n").append("This is iteration ").append(index);
        if (config.budget() != null && config.budget().maxIterations() != null) {
            p.append(" of at most ").append(config.budget().maxIterations());
        }
        p.append(". Take the next step towards the goal. When the goal is fully reached, write ")
                .append(config.doneToken()).append(" on a line of its own.\n");
        return p.toString();
    }

    private static String cap(String text) {
        return text.length() <= MAX_REPLAYED_OUTPUT ? text
                : text.substring(0, MAX_REPLAYED_OUTPUT) + "\n[... " + (text.length() - MAX_REPLAYED_OUTPUT)
                        + " more characters]";
    }

    private static String indent(String text) {
        return "    " + text.strip().replace("\n", "\n    ");
    }
}
