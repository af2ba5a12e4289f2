package dev.loopwire.protocol;

/**
 * One run of a scheduled loop (see {@link ScheduleConfig}): its number (1, 2, ...), how it
 * ended ({@link LoopStatus} wire name and reason), when it started and ended (ISO-8601), the
 * iterations it completed and the tokens and money it used (cost null while no price is known).
 */
public record ScheduledRun(int run, String status, String reason, String startedAt, String endedAt,
        int iterations, long inputTokens, long outputTokens, Double costUsd) {
}
