package dev.loopwire.engine.internal.stop;

import java.util.List;
import java.util.Optional;

/** The stop rules of a loop, checked in order; the first that fires decides. */
public final class StopPolicies {

    private final List<StopPolicy> policies;

    public StopPolicies(List<StopPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    /** Done token first (a finished goal beats a used budget), then every budget. */
    public static StopPolicies defaults() {
        return new StopPolicies(List.of(new DoneTokenPolicy(), new MaxIterationsPolicy(), new MaxTokensPolicy(),
                new MaxWallSecondsPolicy(), new MaxCostPolicy()));
    }

    public Optional<StopDecision> check(StopContext context) {
        for (StopPolicy policy : policies) {
            Optional<StopDecision> decision = policy.check(context);
            if (decision.isPresent()) {
                return decision;
            }
        }
        return Optional.empty();
    }
}
