package dev.loopwire.engine.internal;

import dev.loopwire.engine.LoopException;
import dev.loopwire.engine.tools.PathOutsideWorkspaceException;
import dev.loopwire.engine.tools.Workspace;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.ApprovalRule;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.TemplateInfo;
import dev.loopwire.protocol.WaitsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks {@code loop/start} params and resolves them (template defaults, goal file) into a
 * {@link LoopConfig}, without writing anything. The provider is resolved by the engine.
 */
public final class StartValidator {

    static final Set<String> MODES = Set.of("ask", "auto", "deny");
    static final Set<String> ON_REJECT = Set.of("continue", "stop");
    static final Set<String> RULE_DECISIONS = Set.of("allow", "ask", "deny");
    static final int DEFAULT_HISTORY_ITERATIONS = 5;

    private final Templates templates;

    public StartValidator(Templates templates) {
        this.templates = templates;
    }

    /** The workspace as a real directory, or INVALID_LOOP_CONFIG. */
    public static Path workspace(String workspace) throws LoopException {
        if (workspace == null || workspace.isBlank()) {
            throw invalid("workspace is required: the directory the loop works in");
        }
        Path path = Path.of(workspace);
        if (!Files.exists(path)) {
            throw invalid("workspace " + workspace + " does not exist");
        }
        if (!Files.isDirectory(path)) {
            throw invalid("workspace " + workspace + " is not a directory");
        }
        try {
            return path.toAbsolutePath().normalize().toRealPath();
        } catch (IOException e) {
            throw invalid("workspace " + workspace + " cannot be read: " + e.getMessage());
        }
    }

    public LoopConfig resolve(StartLoopParams p, Path ws, ProviderSpec provider, String loopId, String createdAt)
            throws LoopException {
        String templateName = p.template() == null ? "default" : p.template();
        Template template = templates.find(templateName, ws).orElseThrow(() -> invalid(
                "unknown template '" + templateName + "'; available: " + templates.list(ws).stream()
                        .map(TemplateInfo::name).collect(Collectors.joining(", "))));
        String goalFile = p.goalFile();
        String goal = p.goal();
        if ((goal == null || goal.isBlank()) && goalFile != null && !goalFile.isBlank()) {
            goal = readGoalFile(ws, goalFile);
        }
        java.util.Map<String, Object> args = TemplateDefaults.args(template, p.args());
        if (goal == null || goal.isBlank()) {
            goal = TemplateDefaults.render(template.get("goal"), args);
        }
        if (goal == null || goal.isBlank()) {
            throw invalid("a goal is required: give goal (the text) or goalFile (a file in the workspace)");
        }
        Budget budget = budget(p.budget(), template);
        ApprovalConfig approval = approval(p.approval(), template);
        WaitsConfig waits = p.waits();
        if (template.get("waits.intervalSeconds") != null || template.get("waits.maxWaitSeconds") != null
                || template.get("waits.pidPollSeconds") != null) {
            WaitsConfig w = waits == null ? new WaitsConfig(null, null, null) : waits;
            waits = new WaitsConfig(
                    w.intervalSeconds() != null ? w.intervalSeconds() : number(template, "waits.intervalSeconds"),
                    w.maxWaitSeconds() != null ? w.maxWaitSeconds() : number(template, "waits.maxWaitSeconds"),
                    w.pidPollSeconds() != null ? w.pidPollSeconds() : number(template, "waits.pidPollSeconds"));
        }
        if (waits != null && waits.intervalSeconds() != null && waits.intervalSeconds() < 0) {
            throw invalid("waits.intervalSeconds must be 0 or more, got " + waits.intervalSeconds());
        }
        if (waits != null && waits.maxWaitSeconds() != null && waits.maxWaitSeconds() < 0) {
            throw invalid("waits.maxWaitSeconds must be 0 or more, got " + waits.maxWaitSeconds());
        }
        if (waits != null && waits.pidPollSeconds() != null && waits.pidPollSeconds() <= 0) {
            throw invalid("waits.pidPollSeconds must be more than 0, got " + waits.pidPollSeconds());
        }
        if (p.schedule() != null) {
            try {
                dev.loopwire.engine.internal.schedule.Interval.parse(p.schedule().every());
            } catch (IllegalArgumentException e) {
                throw invalid(e.getMessage());
            }
        }
        String doneToken = p.doneToken() != null ? p.doneToken() : template.get("doneToken");
        doneToken = doneToken == null ? LoopConfig.DEFAULT_DONE_TOKEN : doneToken.strip();
        if (doneToken.isEmpty() || doneToken.contains("\n")) {
            throw invalid("doneToken must be one non-empty line");
        }
        String name = p.name() != null && !p.name().isBlank() ? p.name().strip() : firstWords(goal);
        return new LoopConfig(1, loopId, name, ws.toString(), createdAt, goal.strip(), goalFile, template.name(),
                args, TemplateDefaults.instructions(template, args), provider, budget, approval,
                p.autoRun() == null || p.autoRun(), doneToken, TemplateDefaults.check(p.check(), template, args),
                TemplateDefaults.judge(p.judge(), template), TemplateDefaults.stop(p.stop(), template), waits,
                p.schedule(), TemplateDefaults.history(template, DEFAULT_HISTORY_ITERATIONS));
    }

    private static String readGoalFile(Path ws, String goalFile) throws LoopException {
        Path file;
        try {
            file = new Workspace(ws).resolve(goalFile);
        } catch (PathOutsideWorkspaceException e) {
            throw new LoopException(ErrorCode.PATH_OUTSIDE_WORKSPACE, "goalFile: " + e.getMessage());
        } catch (IOException e) {
            throw invalid("workspace cannot be read: " + e.getMessage());
        }
        if (!Files.isRegularFile(file)) {
            throw invalid("goalFile " + goalFile + " does not exist in the workspace " + ws);
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw invalid("goalFile " + goalFile + " cannot be read: " + e.getMessage());
        }
    }

    static Budget budget(Budget given, Template template) throws LoopException {
        Budget b = given == null ? new Budget(null, null, null, null) : given;
        Integer iterations = b.maxIterations() != null ? b.maxIterations()
                : template.get("budget.maxIterations") == null ? null
                : (int) (double) number(template, "budget.maxIterations");
        Long tokens = b.maxTokens() != null ? b.maxTokens()
                : template.get("budget.maxTokens") == null ? null
                : (long) (double) number(template, "budget.maxTokens");
        Double wall = b.maxWallSeconds() != null ? b.maxWallSeconds() : number(template, "budget.maxWallSeconds");
        Double cost = b.maxCostUsd() != null ? b.maxCostUsd() : number(template, "budget.maxCostUsd");
        checkBudget(new Budget(iterations, tokens, wall, cost));
        return new Budget(iterations, tokens, wall, cost);
    }

    /** Every limit must be positive (a zero budget could never run). */
    public static void checkBudget(Budget b) throws LoopException {
        if (b == null) {
            return;
        }
        if (b.maxIterations() != null && b.maxIterations() <= 0) {
            throw invalid("budget.maxIterations must be 1 or more, got " + b.maxIterations());
        }
        if (b.maxTokens() != null && b.maxTokens() <= 0) {
            throw invalid("budget.maxTokens must be 1 or more, got " + b.maxTokens());
        }
        if (b.maxWallSeconds() != null && !(b.maxWallSeconds() > 0)) {
            throw invalid("budget.maxWallSeconds must be more than 0, got " + b.maxWallSeconds());
        }
        if (b.maxCostUsd() != null && !(b.maxCostUsd() > 0)) {
            throw invalid("budget.maxCostUsd must be more than 0, got " + b.maxCostUsd());
        }
    }

    static ApprovalConfig approval(ApprovalConfig given, Template template) throws LoopException {
        String mode = given != null && given.mode() != null ? given.mode() : template.get("approval.mode");
        mode = mode == null ? "ask" : mode;
        if (!MODES.contains(mode)) {
            throw invalid("approval.mode must be ask, auto or deny, got '" + mode + "'");
        }
        String onReject = given != null && given.onReject() != null ? given.onReject() : template.get("approval.onReject");
        onReject = onReject == null ? "continue" : onReject;
        if (!ON_REJECT.contains(onReject)) {
            throw invalid("approval.onReject must be continue or stop, got '" + onReject + "'");
        }
        List<ApprovalRule> rules = given == null || given.rules() == null ? List.of() : given.rules();
        for (int i = 0; i < rules.size(); i++) {
            ApprovalRule r = rules.get(i);
            if (r == null || r.decision() == null || !RULE_DECISIONS.contains(r.decision())) {
                throw invalid("approval.rules[" + i + "].decision must be allow, ask or deny, got '"
                        + (r == null ? null : r.decision()) + "'");
            }
        }
        Double ttl = given == null ? null : given.ttlSeconds();
        if (ttl != null && !(ttl > 0)) {
            throw invalid("approval.ttlSeconds must be more than 0, got " + ttl);
        }
        String iterations = given == null ? null : given.iterations();
        if (iterations != null && !Set.of("every", "first", "never").contains(iterations)) {
            throw invalid("approval.iterations must be every, first or never, got '" + iterations + "'");
        }
        return new ApprovalConfig(mode, List.copyOf(rules), onReject, iterations, ttl);
    }

    private static Double number(Template template, String key) throws LoopException {
        String value = template.get(key);
        if (value == null) {
            return null;
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw invalid("template " + template.name() + ": " + key + " must be a number, got '" + value + "'");
        }
    }

    private static String firstWords(String goal) {
        String line = goal.strip().lines().findFirst().orElse("loop").replaceAll("^#+\\s*", "");
        return line.length() <= 60 ? line : line.substring(0, 60).strip();
    }

    static LoopException invalid(String message) {
        return new LoopException(ErrorCode.INVALID_LOOP_CONFIG, message);
    }
}
