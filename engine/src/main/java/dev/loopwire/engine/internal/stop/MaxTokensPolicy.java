package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.LoopStatus;
import java.util.Optional;

/** {@code budget_exhausted} once input + output tokens reach {@code budget.maxTokens}. */
public final class MaxTokensPolicy implements StopPolicy {

    @Override
    public Optional<StopDecision> check(StopContext context) {
        Long max = context.budget() == null ? null : context.budget().maxTokens();
        if (max == null || context.tokens() < max) {
            return Optional.empty();
        }
        return Optional.of(new StopDecision(LoopStatus.BUDGET_EXHAUSTED,
                "token budget used: " + context.tokens() + " of " + max + " tokens"));
    }
}
