package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.StopConfig;
import java.util.List;
import java.util.Optional;

/**
 * The streak rules of one loop, from its {@code stop} config: failure streaks, plan validation,
 * stagnation, no progress. Every rule sees every iteration (so that its counters stay true);
 * the first that fires, in that order, decides.
 */
public final class IterationPolicies {

    private final List<IterationPolicy> policies;

    public IterationPolicies(List<IterationPolicy> policies) {
        this.policies = List.copyOf(policies);
    }

    public static IterationPolicies of(StopConfig stop) {
        StopConfig s = stop == null ? new StopConfig(null, null, null) : stop;
        return new IterationPolicies(List.of(new FailureStreakPolicy(s.failureStreak()), new PlanValidationPolicy(),
                new StagnationPolicy(s.stagnationRepeats()), new NoProgressPolicy(s.noProgressIterations())));
    }

    public Optional<StopDecision> observe(IterationFacts facts, PolicyState state) {
        Optional<StopDecision> first = Optional.empty();
        for (IterationPolicy policy : policies) {
            Optional<StopDecision> d = policy.observe(facts, state);
            if (first.isEmpty()) {
                first = d;
            }
        }
        return first;
    }
}
