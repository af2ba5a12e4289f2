package dev.loopwire.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every status a loop can have, with its wire name. A loop is <em>active</em> while a runner owns
 * it ({@link #RUNNING}, {@link #WAITING}, {@link #AWAITING_APPROVAL}); it <em>rests</em> in
 * {@link #CREATED} and {@link #PAUSED}; every other status is terminal for the current run.
 */
public enum LoopStatus {
    CREATED("created"),
    RUNNING("running"),
    WAITING("waiting"),
    AWAITING_APPROVAL("awaiting_approval"),
    PAUSED("paused"),
    SUCCEEDED("succeeded"),
    BUDGET_EXHAUSTED("budget_exhausted"),
    NO_PROGRESS("no_progress"),
    FAILED("failed"),
    CANCELLED("cancelled"),
    APPROVAL_DENIED("approval_denied"),
    APPROVAL_EXPIRED("approval_expired"),
    INTERRUPTED("interrupted");

    private final String wire;

    LoopStatus(String wire) {
        this.wire = wire;
    }

    /** The name used on the wire and on disk. */
    public String wire() {
        return wire;
    }

    /** The status with this wire name, if any. */
    public static Optional<LoopStatus> fromWire(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
    }

    /** True while a runner owns the loop. */
    public boolean isActive() {
        return this == RUNNING || this == WAITING || this == AWAITING_APPROVAL;
    }

    /** True when the current run has ended (the loop may still be resumable). */
    public boolean isTerminal() {
        return !isActive() && this != CREATED && this != PAUSED;
    }

    @Override
    public String toString() {
        return wire;
    }
}
