package dev.loopwire.intellij.core;

/** The server cannot be started; the message says what to fix. */
public class ServerLaunchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where to fix it */
    public ServerLaunchException(String message) {
        super(message);
    }

    /** @param message what is wrong; @param cause the underlying failure */
    public ServerLaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
