package dev.loopwire.protocol;


/** The state of one loop as clients see it. Times are ISO-8601 UTC. */
public record LoopSnapshot(String loopId, String name, String workspace, String status, int iteration, Usage usage, Budget budget, ProviderSpec provider, String memoryPath, PendingApproval pendingApproval, String reason, boolean resumable, String recommendedAction, String createdAt, String updatedAt) {
}
