package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.Budget;

/**
 * What stop rules look at.
 *
 * @param assistantText the last iteration's assistant text, or null before an iteration
 * @param doneToken     the line that claims the goal is reached
 */
public record StopContext(
        Budget budget,
        int iterations,
        long tokens,
        Double costUsd,
        double elapsedSeconds,
        String assistantText,
        String doneToken) {
}
