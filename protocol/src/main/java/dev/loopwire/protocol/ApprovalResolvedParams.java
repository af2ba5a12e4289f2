package dev.loopwire.protocol;


/** {@code loop/approvalResolved}: an approval was answered (by any client) or withdrawn. */
public record ApprovalResolvedParams(String loopId, String approvalId, String decision) {
}
