package dev.loopwire.engine.internal;

import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.ToolCall;
import java.util.LinkedHashMap;
import java.util.List;
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
        return prompt(config, index, memoryPath, memory, previous, PromptContext.NONE, List.of());
    }

    /**
     * @param context workspace sections (AGENTS.md, skills, artifacts) and a rejected done claim
     * @param earlier summaries of iterations older than the verbatim window ("#N: summary"), for
     *                API providers whose history keeps only the last iterations
     */
    static String prompt(LoopConfig config, int index, String memoryPath, String memory,
            IterationRecord previous, PromptContext context, List<String> earlier) {
        StringBuilder p = new StringBuilder();
        p.append("# Goal\n\n").append(config.goal().strip()).append("\n\n");
        p.append("# Memory file (").append(memoryPath).append(")\n\n");
        p.append(memory.isBlank() ? "(empty)\n" : memory.strip() + "\n").append('\n');
        if (!context.workspace().isEmpty()) {
            p.append("# Workspace\n\n").append(String.join("\n\n", context.workspace())).append("\n\n");
        }
        if (!earlier.isEmpty()) {
            p.append("# Earlier iterations (summaries; the last ").append(config.historyIterations())
                    .append(" are in the conversation)\n\n");
            earlier.forEach(line -> p.append("- ").append(line).append('\n'));
            p.append('\n');
        }
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
        if (context.rejection() != null) {
            p.append("# Check results\n\n").append(context.rejection().strip()).append("\n\n");
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
