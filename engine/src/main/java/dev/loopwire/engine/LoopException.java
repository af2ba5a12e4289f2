package dev.loopwire.engine;

import dev.loopwire.protocol.ErrorCode;

/** A request the engine refused, with a code for the wire and a message a person can act on. */
public class LoopException extends Exception {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public LoopException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public LoopException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
