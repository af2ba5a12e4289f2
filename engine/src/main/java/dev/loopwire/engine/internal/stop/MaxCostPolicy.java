package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.LoopStatus;
import java.util.Locale;
import java.util.Optional;

/** {@code budget_exhausted} once the known cost reaches {@code budget.maxCostUsd}. */
public final class MaxCostPolicy implements StopPolicy {

    @Override
    public Optional<StopDecision> check(StopContext context) {
        Double max = context.budget() == null ? null : context.budget().maxCostUsd();
        if (max == null || context.costUsd() == null || context.costUsd() < max) {
            return Optional.empty();
        }
        return Optional.of(new StopDecision(LoopStatus.BUDGET_EXHAUSTED, String.format(Locale.ROOT,
                "cost budget used: $%.4f of $%.4f", context.costUsd(), max)));
    }
}
