package dev.loopwire.engine.tools.internal;

/**
 * A failure the model can act on (file not found, binary file, {@code oldText} not unique).
 * Tools catch it and return its message as {@link dev.loopwire.engine.tools.ToolResult#error}.
 */
public final class ToolFailure extends Exception {

    private static final long serialVersionUID = 1L;

    public ToolFailure(String message) {
        super(message, null, false, false);
    }
}
