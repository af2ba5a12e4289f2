package dev.loopwire.engine.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One turn's input.
 *
 * @param loopId          the loop
 * @param iteration       the iteration this turn belongs to (1-based)
 * @param callIndex       how many provider calls this loop completed before this one (0-based);
 *                        stable across a crash and retry of the same call
 * @param system          instructions (template, tool rules); API providers send it as the
 *                        system prompt, CLI agents get it prepended to the prompt
 * @param prompt          this iteration's user message: goal, memory, what changed, the request
 * @param history         earlier messages to replay (API providers), oldest first; empty for
 *                        fresh-context loops and CLI agents
 * @param tools           the tools the model may call (empty for CLI agents)
 * @param model           the model from {@code provider.model}, or null for the provider's default
 * @param maxOutputTokens cap for this call (budget left), or null
 * @param options         {@code provider.options}
 * @param workspace       the workspace directory (CLI agents run there)
 */
public record TurnRequest(
        String loopId,
        int iteration,
        int callIndex,
        String system,
        String prompt,
        List<ChatMessage> history,
        List<ToolSpec> tools,
        String model,
        Long maxOutputTokens,
        Map<String, Object> options,
        Path workspace) {
}
