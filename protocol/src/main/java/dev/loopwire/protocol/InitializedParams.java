package dev.loopwire.protocol;


/** Params of the {@code initialized} notification (empty). */
public record InitializedParams() {
}
