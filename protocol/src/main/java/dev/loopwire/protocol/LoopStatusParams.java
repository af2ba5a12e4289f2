package dev.loopwire.protocol;


/** {@code loop/status}: sent on every status change. */
public record LoopStatusParams(String loopId, String status, String reason, boolean resumable, String recommendedAction) {
}
