package dev.loopwire.engine.internal.stop;

import java.util.Optional;

/**
 * A stop rule over the sequence of iterations (a streak), unlike {@link StopPolicy} which looks
 * at totals. {@link #observe} is called once per completed iteration, updates its counters in
 * the {@link PolicyState} and says whether the loop stops, in its own words.
 */
public interface IterationPolicy {

    Optional<StopDecision> observe(IterationFacts facts, PolicyState state);
}
