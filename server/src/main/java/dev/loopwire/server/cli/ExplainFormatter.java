package dev.loopwire.server.cli;

import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.IterationTrace;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.PolicyDecision;
import dev.loopwire.protocol.ProviderCallTrace;
import dev.loopwire.protocol.ToolCall;
import dev.loopwire.protocol.ToolCallTrace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text of {@code loopwire explain}: why the loop stopped, where the tokens, money and time
 * went (per iteration and per tool), the approaches that made things worse (tightloop's
 * failed_approaches: iterations whose tool calls failed or were refused), and what to do next.
 */
final class ExplainFormatter {

    private ExplainFormatter() {
    }

    static String format(GetLoopResult result) {
        StringBuilder out = new StringBuilder();
        LoopSnapshot l = result.loop();
        List<IterationTrace> traces = result.traces() == null ? List.of() : result.traces();
        Map<Integer, IterationTrace> byIndex = new LinkedHashMap<>();
        traces.forEach(t -> byIndex.put(t.index(), t));

        out.append("Loop ").append(l.loopId()).append(l.name() == null ? "" : " (" + l.name() + ")").append('\n');
        out.append("\nWhy it stopped\n");
        out.append("  ").append(l.status()).append(l.reason() == null ? "" : ": " + l.reason()).append('\n');
        String last = lastDecision(traces);
        if (last != null && (l.reason() == null || !last.contains(l.reason()))) {
            out.append("  last decision: ").append(last).append('\n');
        }

        out.append("\nWhere the tokens and money went\n");
        if (l.usage() != null) {
            out.append(String.format(Locale.ROOT, "  total: %d iterations, %d in + %d out tokens, %s, %.1f s%n",
                    l.usage().iterations(), l.usage().inputTokens(), l.usage().outputTokens(),
                    money(l.usage().costUsd()), l.usage().elapsedSeconds()));
        }
        Map<String, double[]> perTool = new LinkedHashMap<>();
        for (IterationRecord r : result.iterations()) {
            IterationTrace t = byIndex.get(r.index());
            long in = r.usage() == null ? 0 : r.usage().inputTokens();
            long outTokens = r.usage() == null ? 0 : r.usage().outputTokens();
            Double cost = r.usage() == null ? null : r.usage().costUsd();
            double providerSeconds = 0;
            int calls = 0;
            if (t != null) {
                for (ProviderCallTrace p : t.providerCalls()) {
                    providerSeconds += p.durationSeconds() == null ? 0 : p.durationSeconds();
                    calls++;
                }
                for (ToolCallTrace c : t.toolCalls()) {
                    double[] sum = perTool.computeIfAbsent(c.name() == null ? "?" : c.name(), k -> new double[3]);
                    sum[0]++;
                    sum[1] += c.durationSeconds() == null ? 0 : c.durationSeconds();
                    if (!"ok".equals(c.status())) {
                        sum[2]++;
                    }
                }
            }
            out.append(String.format(Locale.ROOT, "  #%-3d %7d in %6d out  %-9s %5.1f s%s%s%n", r.index(), in, outTokens,
                    money(cost), r.durationSeconds(),
                    t == null ? "" : String.format(Locale.ROOT, "  provider %d call(s) %.1f s", calls, providerSeconds),
                    t == null || t.promptChars() == null ? "" : "  prompt " + t.promptChars() + " chars"));
        }
        if (!perTool.isEmpty()) {
            out.append("  per tool:\n");
            perTool.forEach((name, s) -> out.append(String.format(Locale.ROOT, "    %-14s %3d call(s) %6.1f s  %d not ok%n",
                    name, (int) s[0], s[1], (int) s[2])));
        }

        out.append("\nApproaches that made things worse\n");
        List<String> failed = failedApproaches(result.iterations(), byIndex);
        if (failed.isEmpty()) {
            out.append("  none: no iteration had a failed or refused tool call\n");
        } else {
            failed.forEach(f -> out.append("  ").append(f).append('\n'));
        }

        out.append("\nRecommended next action\n");
        out.append("  ").append(l.recommendedAction() == null ? "nothing to do: the loop is still working"
                : l.recommendedAction()).append('\n');
        if (!failed.isEmpty() && l.resumable()) {
            out.append("  Before resuming, note in the memory file (").append(l.memoryPath())
                    .append(") which approaches failed, so the next iterations avoid them.\n");
        }
        return out.toString();
    }

    /** Iterations with failed, denied or rejected tool calls: summary and what went wrong. */
    static List<String> failedApproaches(List<IterationRecord> records, Map<Integer, IterationTrace> traces) {
        List<String> out = new ArrayList<>();
        for (IterationRecord r : records) {
            List<String> bad = new ArrayList<>();
            for (ToolCall c : r.toolCalls() == null ? List.<ToolCall>of() : r.toolCalls()) {
                if (!"ok".equals(c.status())) {
                    bad.add(c.name() + " " + c.status() + firstLine(c.output()));
                }
            }
            IterationTrace t = traces.get(r.index());
            if (t != null) {
                for (PolicyDecision d : t.decisions()) {
                    if ("verification".equals(d.kind()) && d.detail() != null && d.detail().contains("check failed")) {
                        bad.add(d.detail());
                    }
                }
            }
            if (!bad.isEmpty() || "failed".equals(r.outcome())) {
                out.add("#" + r.index() + " " + oneLine(r.summary()) + (bad.isEmpty() ? "" : "\n      " + String.join("\n      ", bad)));
            }
        }
        return out;
    }

    private static String lastDecision(List<IterationTrace> traces) {
        for (int i = traces.size() - 1; i >= 0; i--) {
            List<PolicyDecision> d = traces.get(i).decisions();
            if (!d.isEmpty()) {
                PolicyDecision p = d.get(d.size() - 1);
                return p.kind() + " " + p.detail() + " (iteration " + traces.get(i).index() + ")";
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "";
        }
        String line = s.strip().lines().findFirst().orElse("");
        return ": " + (line.length() > 160 ? line.substring(0, 160) + "..." : line);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }

    private static String money(Double usd) {
        return usd == null ? "cost ?" : String.format(Locale.ROOT, "$%.4f", usd);
    }
}
