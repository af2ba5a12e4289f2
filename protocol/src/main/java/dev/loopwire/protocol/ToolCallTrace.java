package dev.loopwire.protocol;

/**
 * One tool call of an iteration.
 *
 * @param status          {@code ok}, {@code error}, {@code denied}, {@code rejected}, {@code cancelled}
 * @param durationSeconds execution time (null when it did not run)
 * @param decision        how it was let through or not: {@code invalid} (bad arguments), {@code policy}
 *                        (allowed or denied by the approval mode and rules), or a person's decision
 *                        ({@code allow_once}, {@code allow_always}, {@code reject_once}, {@code reject_always})
 * @param output          the start of its output (at most 300 characters)
 */
public record ToolCallTrace(String id, String name, String status, Double durationSeconds, String decision,
        String output) {
}
