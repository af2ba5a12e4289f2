package dev.loopwire.protocol;

import java.util.List;
import java.util.Map;

/** An approval a loop waits for. {@code expiresAt} is null when it never expires. */
public record PendingApproval(String approvalId, int iteration, String tool, String title, Map<String, Object> input, String reason, List<ApprovalOption> options, String expiresAt) {
}
