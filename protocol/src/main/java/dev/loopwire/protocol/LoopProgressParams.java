package dev.loopwire.protocol;


/** {@code loop/progress}: the current phase; also a heartbeat during long silent phases. */
public record LoopProgressParams(String loopId, int iteration, String phase, String message, Usage usage) {
}
