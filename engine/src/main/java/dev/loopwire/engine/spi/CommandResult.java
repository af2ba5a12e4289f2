package dev.loopwire.engine.spi;

/**
 * How a command ended.
 *
 * @param exitCode       the exit code, or -1 when killed
 * @param output         stdout and stderr interleaved, capped
 * @param truncated      output was cut to the cap
 * @param timedOut       killed because of its timeout
 * @param cancelled      killed because of cancellation
 * @param durationMillis wall time
 */
public record CommandResult(
        int exitCode,
        String output,
        boolean truncated,
        boolean timedOut,
        boolean cancelled,
        long durationMillis) {
}
