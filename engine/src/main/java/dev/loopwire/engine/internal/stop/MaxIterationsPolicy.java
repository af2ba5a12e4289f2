package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.LoopStatus;
import java.util.Optional;

/** {@code budget_exhausted} once {@code budget.maxIterations} iterations are done. */
public final class MaxIterationsPolicy implements StopPolicy {

    @Override
    public Optional<StopDecision> check(StopContext context) {
        Integer max = context.budget() == null ? null : context.budget().maxIterations();
        if (max == null || context.iterations() < max) {
            return Optional.empty();
        }
        return Optional.of(new StopDecision(LoopStatus.BUDGET_EXHAUSTED,
                "iteration budget used: " + context.iterations() + " of " + max + " iterations"));
    }
}
