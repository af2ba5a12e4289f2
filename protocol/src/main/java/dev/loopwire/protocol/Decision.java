package dev.loopwire.protocol;

import java.util.Arrays;
import java.util.Optional;

/** The answers to an approval, with their wire names. */
public enum Decision {
    ALLOW_ONCE("allow_once", "Allow once"),
    ALLOW_ALWAYS("allow_always", "Always allow"),
    REJECT_ONCE("reject_once", "Reject"),
    REJECT_ALWAYS("reject_always", "Always reject");

    private final String wire;
    private final String label;

    Decision(String wire, String label) {
        this.wire = wire;
        this.label = label;
    }

    public String wire() {
        return wire;
    }

    /** A short label for a button. */
    public String label() {
        return label;
    }

    public boolean allows() {
        return this == ALLOW_ONCE || this == ALLOW_ALWAYS;
    }

    public boolean always() {
        return this == ALLOW_ALWAYS || this == REJECT_ALWAYS;
    }

    public static Optional<Decision> fromWire(String wire) {
        return Arrays.stream(values()).filter(d -> d.wire.equals(wire)).findFirst();
    }

    @Override
    public String toString() {
        return wire;
    }
}
