package dev.loopwire.protocol;


/** Params of {@code loop/approve}; {@code decision} is one of {@link Decision}'s wire names. */
public record ApproveParams(String loopId, String approvalId, String decision, String note) {
}
