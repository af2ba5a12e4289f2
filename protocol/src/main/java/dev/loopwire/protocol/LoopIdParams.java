package dev.loopwire.protocol;


/** Params naming one loop: {@code loop/step}, {@code loop/cancel}, {@code loop/pause}, {@code loop/get}, {@code loop/memory}. */
public record LoopIdParams(String loopId) {
}
