package dev.loopwire.engine.internal.stop;

import dev.loopwire.engine.spi.ChatMessage;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.LoopStatus;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the next provider call will likely take, so that {@code maxTokens} and {@code maxCostUsd}
 * stop a loop before the call that would pass them rather than after it.
 *
 * <ul>
 *   <li>input tokens: the larger of the last call's input tokens and the characters of system
 *       prompt, prompt and history divided by {@value #CHARS_PER_TOKEN};</li>
 *   <li>cost: the last call's cost, scaled by how much larger this request is than the last one
 *       (characters now / characters then, at least 1: the same price per token, applied to the
 *       grown request); unknown (no forecast) while the provider reports no cost.</li>
 * </ul>
 */
public final class BudgetForecast {

    /** A rough, model-independent characters-per-token ratio (English text and code). */
    public static final int CHARS_PER_TOKEN = 4;

    private final long inputTokens;
    private final Double costUsd;

    private BudgetForecast(long inputTokens, Double costUsd) {
        this.inputTokens = inputTokens;
        this.costUsd = costUsd;
    }

    /**
     * @param last          what the policies remember of the last completed provider call
     * @param requestChars  characters of this call's system prompt, prompt and history
     */
    public static BudgetForecast of(PolicyState last, long requestChars) {
        long fromChars = requestChars / CHARS_PER_TOKEN;
        long input = Math.max(last.lastCallInputTokens == null ? 0 : last.lastCallInputTokens, fromChars);
        Double cost = null;
        if (last.lastCallCostUsd != null) {
            double growth = last.lastCallChars == null || last.lastCallChars <= 0 ? 1
                    : Math.max(1.0, (double) requestChars / last.lastCallChars);
            cost = last.lastCallCostUsd * growth;
        }
        return new BudgetForecast(input, cost);
    }

    /** Characters a provider is sent: system prompt, prompt, and every history message with its tool calls. */
    public static long chars(String system, String prompt, List<ChatMessage> history) {
        long n = length(system) + length(prompt);
        for (ChatMessage m : history) {
            n += length(m.text());
            if (m.toolCalls() != null) {
                for (ToolCallRequest call : m.toolCalls()) {
                    n += length(call.name()) + length(call.rawInput() != null ? call.rawInput()
                            : call.input() == null ? null : String.valueOf(call.input()));
                }
            }
        }
        return n;
    }

    /** Remembers a completed call, for the next forecast. */
    public static void remember(PolicyState state, long requestChars, long inputTokens, long outputTokens,
            Double costUsd) {
        state.lastCallChars = requestChars;
        state.lastCallInputTokens = inputTokens;
        state.lastCallOutputTokens = outputTokens;
        state.lastCallCostUsd = costUsd;
    }

    /** The forecast input tokens of the next call. */
    public long inputTokens() {
        return inputTokens;
    }

    /** The forecast cost of the next call, or null when no cost is known. */
    public Double costUsd() {
        return costUsd;
    }

    /**
     * {@code budget_exhausted} when the call would pass a budget: used + forecast input tokens
     * reach {@code maxTokens} (no room would be left for any output), or the known cost plus the
     * forecast cost passes {@code maxCostUsd}.
     */
    public Optional<StopDecision> check(Budget budget, long usedTokens, Double usedCostUsd) {
        if (budget == null) {
            return Optional.empty();
        }
        if (budget.maxTokens() != null && usedTokens + inputTokens >= budget.maxTokens()) {
            return Optional.of(new StopDecision(LoopStatus.BUDGET_EXHAUSTED, "the next call needs about "
                    + inputTokens + " input tokens; " + Math.max(0, budget.maxTokens() - usedTokens) + " of "
                    + budget.maxTokens() + " tokens left"));
        }
        if (budget.maxCostUsd() != null && usedCostUsd != null && costUsd != null
                && usedCostUsd + costUsd > budget.maxCostUsd()) {
            return Optional.of(new StopDecision(LoopStatus.BUDGET_EXHAUSTED, String.format(Locale.ROOT,
                    "the next call would cost about $%.4f; $%.4f of $%.4f left", costUsd,
                    Math.max(0, budget.maxCostUsd() - usedCostUsd), budget.maxCostUsd())));
        }
        return Optional.empty();
    }

    /**
     * The call's {@code maxOutputTokens}: what {@code maxTokens} leaves after the tokens used and
     * this call's forecast input (at least 1), or null without a token budget.
     */
    public Long maxOutputTokens(Budget budget, long usedTokens) {
        if (budget == null || budget.maxTokens() == null) {
            return null;
        }
        return Math.max(1, budget.maxTokens() - usedTokens - inputTokens);
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }
}
