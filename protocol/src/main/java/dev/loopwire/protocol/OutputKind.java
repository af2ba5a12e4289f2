package dev.loopwire.protocol;

/** The kinds of {@code loop/output}, with their wire names. */
public enum OutputKind {
    TEXT("text"),
    THOUGHT("thought"),
    TOOL_CALL("tool_call"),
    TOOL_RESULT("tool_result"),
    LOG("log");

    private final String wire;

    OutputKind(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
