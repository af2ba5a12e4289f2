package dev.loopwire.protocol;

import java.util.List;

/** Result of {@code loop/list}. */
public record ListLoopsResult(List<LoopSnapshot> loops) {
}
