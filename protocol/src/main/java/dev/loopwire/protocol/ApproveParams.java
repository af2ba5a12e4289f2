package dev.loopwire.protocol;

/**
 * Params of {@code loop/approve}; {@code decision} is one of {@link Decision}'s wire names.
 * {@code scope} says where an {@code allow_always} / {@code reject_always} answer is saved:
 * {@code loop} (the default: this loop only) or {@code workspace} (the workspace's
 * {@code .loopwire/policy.json}, for every loop of the workspace).
 */
public record ApproveParams(String loopId, String approvalId, String decision, String note, String scope) {

    /** Without a scope: an always-answer is saved to the loop. */
    public ApproveParams(String loopId, String approvalId, String decision, String note) {
        this(loopId, approvalId, decision, note, null);
    }
}
