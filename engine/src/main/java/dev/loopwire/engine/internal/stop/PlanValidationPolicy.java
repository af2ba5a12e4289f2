package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.LoopStatus;
import java.util.Optional;

/**
 * {@code failed} with reason {@code plan_failed} when two iterations in a row end with tool
 * arguments that stayed invalid after the in-iteration retries (tightloop's plan validation).
 */
public final class PlanValidationPolicy implements IterationPolicy {

    public static final int LIMIT = 2;

    @Override
    public Optional<StopDecision> observe(IterationFacts facts, PolicyState state) {
        state.invalidPlans = facts.invalidPlan() ? state.invalidPlans + 1 : 0;
        if (state.invalidPlans < LIMIT) {
            return Optional.empty();
        }
        return Optional.of(new StopDecision(LoopStatus.FAILED, "plan_failed: " + state.invalidPlans
                + " iterations in a row ended with invalid tool arguments"));
    }
}
