package dev.loopwire.engine.spi;

/**
 * Tokens and money of one turn, from the provider's own usage fields.
 *
 * @param costUsd null when the price is unknown
 */
public record TurnUsage(long inputTokens, long outputTokens, long cachedInputTokens, Double costUsd) {

    public static final TurnUsage ZERO = new TurnUsage(0, 0, 0, 0.0);
}
