package dev.loopwire.protocol;


/** What a loop (or one iteration) has used. {@code costUsd} is null when the price is unknown. */
public record Usage(int iterations, long inputTokens, long outputTokens, Double costUsd, double elapsedSeconds) {
}
