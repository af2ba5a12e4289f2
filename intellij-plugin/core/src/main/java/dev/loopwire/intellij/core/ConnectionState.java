package dev.loopwire.intellij.core;

/**
 * Where the server connection stands.
 *
 * @param phase   the phase
 * @param message a sentence for people (why it failed, how many restarts), or empty
 */
public record ConnectionState(Phase phase, String message) {

    /** The phases of a supervised server. */
    public enum Phase {
        /** Not started yet, or stopped on purpose. */
        STOPPED,
        /** The process is starting and the client is initializing. */
        STARTING,
        /** Initialized; requests may be sent. */
        CONNECTED,
        /** The process died; a restart is under way. */
        RESTARTING,
        /** The process died too often or could not start; only a manual restart helps. */
        FAILED
    }

    /** A state without message. */
    public static ConnectionState of(Phase phase) {
        return new ConnectionState(phase, "");
    }
}
