package dev.loopwire.protocol;

import java.util.List;

/**
 * What one iteration did and how long it took (in {@code loop/get}, rebuilt from the loop's
 * journal): the prompt's size, the provider calls, the tool calls and the policy decisions.
 *
 * @param index         the iteration (1-based)
 * @param promptChars   characters of the prompt sent (null when unknown, e.g. older journals)
 * @param providerCalls provider calls with durations and usage
 * @param toolCalls     tool calls with durations and how they were decided
 * @param decisions     policy decisions in order (status changes with reasons, approvals, checks, waits)
 */
public record IterationTrace(int index, Integer promptChars, List<ProviderCallTrace> providerCalls,
        List<ToolCallTrace> toolCalls, List<PolicyDecision> decisions) {
}
