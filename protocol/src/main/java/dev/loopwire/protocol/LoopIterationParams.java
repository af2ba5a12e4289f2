package dev.loopwire.protocol;


/** {@code loop/iteration}: an iteration completed. */
public record LoopIterationParams(String loopId, IterationRecord record) {
}
