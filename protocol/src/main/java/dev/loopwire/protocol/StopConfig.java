package dev.loopwire.protocol;


/** Stop policies beyond the done token and budgets. */
public record StopConfig(Integer noProgressIterations, Integer stagnationRepeats, FailureStreak failureStreak) {
}
