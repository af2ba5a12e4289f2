package dev.loopwire.engine.internal;

import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.CheckConfig;
import dev.loopwire.protocol.JudgeConfig;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.ScheduleConfig;
import dev.loopwire.protocol.StopConfig;
import dev.loopwire.protocol.WaitsConfig;
import java.util.Map;

/**
 * A loop's {@code loop.json}: {@code loop/start} resolved (template defaults applied, goal file
 * read). Immutable after start except {@link #budget}, which {@code loop/resume} may extend.
 *
 * @param format            the file format version (1)
 * @param instructions      the template's instructions (the system prompt)
 * @param historyIterations how many past iterations API providers see verbatim
 */
public record LoopConfig(
        int format,
        String loopId,
        String name,
        String workspace,
        String createdAt,
        String goal,
        String goalFile,
        String template,
        Map<String, Object> args,
        String instructions,
        ProviderSpec provider,
        Budget budget,
        ApprovalConfig approval,
        boolean autoRun,
        String doneToken,
        CheckConfig check,
        JudgeConfig judge,
        StopConfig stop,
        WaitsConfig waits,
        ScheduleConfig schedule,
        int historyIterations) {

    public static final String DEFAULT_DONE_TOKEN = "<promise>DONE</promise>";

    public LoopConfig withBudget(Budget newBudget) {
        return new LoopConfig(format, loopId, name, workspace, createdAt, goal, goalFile, template, args,
                instructions, provider, newBudget, approval, autoRun, doneToken, check, judge, stop, waits,
                schedule, historyIterations);
    }

    /**
     * This config with the secrets removed from the text a person gave (goal, name, goal file
     * name, template arguments, instructions): what a loop stores and shows never holds a key,
     * even when its goal quoted one. Commands and provider options are kept as they are (they
     * must still run).
     */
    public LoopConfig withRedactedText(java.util.function.UnaryOperator<String> redact) {
        return new LoopConfig(format, loopId, redact.apply(name), workspace, createdAt, redact.apply(goal),
                redact.apply(goalFile), template, redactedArgs(args, redact), redact.apply(instructions), provider,
                budget, approval, autoRun, doneToken, check, judge, stop, waits, schedule, historyIterations);
    }

    @SuppressWarnings("unchecked")
    private static <T> T redactedArgs(T value, java.util.function.UnaryOperator<String> redact) {
        if (value instanceof String s) {
            return (T) redact.apply(s);
        }
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, redactedArgs(v, redact)));
            return (T) out;
        }
        if (value instanceof java.util.List<?> list) {
            return (T) list.stream().map(v -> redactedArgs(v, redact)).toList();
        }
        return value;
    }

    public String approvalMode() {
        return approval == null || approval.mode() == null ? "ask" : approval.mode();
    }

    public boolean stopOnReject() {
        return approval != null && "stop".equals(approval.onReject());
    }

    public double intervalSeconds() {
        return waits == null || waits.intervalSeconds() == null ? 0 : waits.intervalSeconds();
    }
}
