package dev.loopwire.engine.internal;

import dev.loopwire.engine.internal.approval.PolicyFiles;
import dev.loopwire.engine.tools.Tool;
import dev.loopwire.protocol.ApprovalRule;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a tool call runs, asks a person, or is refused. Rules are checked first
 * (the loop's remembered answers, the loop's rules, the workspace policy, the user policy; first
 * match wins; tool {@code *} matches any), then the mode: {@code ask} asks when the tool asks by default, {@code auto}
 * runs everything, {@code deny} refuses whatever would ask.
 */
public final class ApprovalGate {

    public enum Verdict { RUN, ASK, DENY }

    /** A verdict and what produced it (for the journal and the model). */
    public record Ruling(Verdict verdict, String why) {
    }

    private ApprovalGate() {
    }

    public static Ruling decide(String mode, List<ApprovalRule> remembered, List<ApprovalRule> configured,
            Tool tool, Map<String, Object> input) {
        return decide(mode, remembered, configured, List.of(), List.of(), tool, tool.subject(input), input);
    }

    /**
     * The full precedence: the loop's remembered answers, the loop's rules, the workspace policy
     * ({@code .loopwire/policy.json}), the user policy ({@code ~/.config/loopwire/policy.json}),
     * then the mode's default. The first matching rule wins; {@code subject} is the command or the
     * workspace-relative path ({@link Tool#subject(Map, dev.loopwire.engine.tools.Workspace)}).
     */
    public static Ruling decide(String mode, List<ApprovalRule> remembered, List<ApprovalRule> configured,
            List<PolicyFiles.PolicyRule> workspacePolicy, List<PolicyFiles.PolicyRule> userPolicy,
            Tool tool, String subject, Map<String, Object> input) {
        Ruling byLoop = byLoopRules(mode, remembered, configured, tool, subject);
        if (byLoop != null) {
            return byLoop;
        }
        for (List<PolicyFiles.PolicyRule> rules : List.of(workspacePolicy, userPolicy)) {
            for (PolicyFiles.PolicyRule rule : rules) {
                if (rule.applies(tool.name(), subject)) {
                    String why = (rules == workspacePolicy ? "workspace policy rule " : "user policy rule ")
                            + "{tool: " + rule.tool() + (rule.match() == null ? "" : ", match: " + rule.match())
                            + ", decision: " + rule.decision() + "}";
                    return verdict(mode, rule.decision(), why);
                }
            }
        }
        return byDefault(mode, tool, input);
    }

    private static Ruling verdict(String mode, String decision, String why) {
        switch (decision) {
            case "allow":
                return new Ruling(Verdict.RUN, why);
            case "deny":
                return new Ruling(Verdict.DENY, why);
            default:
                return "deny".equals(mode) ? new Ruling(Verdict.DENY, why + " in approval mode deny")
                        : new Ruling(Verdict.ASK, why);
        }
    }

    private static Ruling byLoopRules(String mode, List<ApprovalRule> remembered, List<ApprovalRule> configured,
            Tool tool, String subject) {
        for (List<ApprovalRule> rules : List.of(remembered, configured)) {
            for (ApprovalRule rule : rules) {
                boolean applies = rules == remembered ? rememberedApplies(rule, tool.name(), subject)
                        : ruleApplies(rule, tool.name(), subject);
                if (!applies) {
                    continue;
                }
                String why = (rules == remembered ? "remembered answer " : "rule ") + describe(rule);
                switch (rule.decision()) {
                    case "allow":
                        return new Ruling(Verdict.RUN, why);
                    case "deny":
                        return new Ruling(Verdict.DENY, why);
                    default:
                        return "deny".equals(mode) ? new Ruling(Verdict.DENY, why + " in approval mode deny")
                                : new Ruling(Verdict.ASK, why);
                }
            }
        }
        return null;
    }

    private static Ruling byDefault(String mode, Tool tool, Map<String, Object> input) {
        if ("auto".equals(mode)) {
            return new Ruling(Verdict.RUN, "approval mode auto");
        }
        if (!tool.asksByDefault(input)) {
            return new Ruling(Verdict.RUN, tool.name() + " does not need approval");
        }
        return "deny".equals(mode)
                ? new Ruling(Verdict.DENY, "approval mode deny refuses " + tool.name())
                : new Ruling(Verdict.ASK, tool.name() + " needs approval in approval mode ask");
    }

    static boolean ruleApplies(ApprovalRule rule, String toolName, String subject) {
        String ruleTool = rule.tool() == null ? "*" : rule.tool();
        return ("*".equals(ruleTool) || ruleTool.equals(toolName)) && Glob.matches(rule.match(), subject);
    }

    /** Remembered answers match their exact subject (a command with a '*' is not a glob). */
    static boolean rememberedApplies(ApprovalRule rule, String toolName, String subject) {
        return rule.tool().equals(toolName) && (rule.match() == null || rule.match().equals(subject));
    }

    static String describe(ApprovalRule rule) {
        return "{tool: " + (rule.tool() == null ? "*" : rule.tool())
                + (rule.match() == null ? "" : ", match: " + rule.match()) + ", decision: " + rule.decision() + "}";
    }
}
