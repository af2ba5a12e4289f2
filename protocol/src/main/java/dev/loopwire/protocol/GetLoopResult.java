package dev.loopwire.protocol;

import java.util.List;

/** Result of {@code loop/get}: the loop and every completed iteration, oldest first. */
public record GetLoopResult(LoopSnapshot loop, List<IterationRecord> iterations) {
}
