package dev.loopwire.protocol;

/**
 * A decision the engine's policies made during an iteration.
 *
 * @param at     ISO-8601 UTC
 * @param kind   the journal event: {@code status}, {@code approval_requested}, {@code approval_resolved},
 *               {@code verification}, {@code wait}, {@code wait_done}, {@code wait_warning},
 *               {@code provider_error}, ...
 * @param detail what was decided and why, e.g. {@code no_progress: 3 iterations without a change}
 */
public record PolicyDecision(String at, String kind, String detail) {
}
