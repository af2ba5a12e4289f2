package dev.loopwire.server.cli;

/** A request the CLI could not carry out; the message is shown to the person as it is. */
final class CliException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int rpcCode;

    CliException(String message, int rpcCode) {
        super(message);
        this.rpcCode = rpcCode;
    }

    /** The JSON-RPC error code, or 0 when the failure was not an error response. */
    int rpcCode() {
        return rpcCode;
    }
}
