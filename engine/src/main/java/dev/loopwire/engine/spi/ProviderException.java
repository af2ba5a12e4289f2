package dev.loopwire.engine.spi;

import java.time.Duration;

/** A failed turn. The message is shown to people and recorded: it must not contain secrets. */
public class ProviderException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What kind of failure, so that stop policies can tell them apart. */
    public enum Kind {
        /** The provider cannot run here (missing binary, missing key, unknown id). */
        UNAVAILABLE,
        /** Rate limited or in a cool-down; {@link #retryAfter()} says how long, when known. */
        RATE_LIMITED,
        /** A failure that may pass (5xx after retries, connection reset, broken stream). */
        TRANSIENT,
        /** A failure that will not pass by retrying (4xx, bad response, agent exited non-zero). */
        FATAL,
        /** The response could not be understood (malformed stream or output). */
        PROTOCOL
    }

    private final Kind kind;
    private final Duration retryAfter;

    public ProviderException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public ProviderException(Kind kind, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** How long to wait before trying again, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
