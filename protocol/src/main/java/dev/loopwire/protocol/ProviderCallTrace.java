package dev.loopwire.protocol;

/**
 * One provider call of an iteration.
 *
 * @param callIndex       the loop's provider call number (0-based)
 * @param startedAt       ISO-8601 UTC
 * @param durationSeconds from the request to the answer (null when it did not answer)
 * @param error           the provider's error, when the call failed
 */
public record ProviderCallTrace(int callIndex, String startedAt, Double durationSeconds, long inputTokens,
        long outputTokens, Double costUsd, String stopReason, String error) {
}
