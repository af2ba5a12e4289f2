package dev.loopwire.protocol;


/** {@code loop/approvalRequested}: a loop waits for a person's decision. */
public record ApprovalRequestedParams(String loopId, PendingApproval approval) {
}
