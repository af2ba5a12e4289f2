package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.LoopStatus;

/** The status a stop rule ends the loop with, and why. */
public record StopDecision(LoopStatus status, String reason) {
}
