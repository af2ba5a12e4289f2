package dev.loopwire.protocol;

/**
 * Loopwire's own JSON-RPC error codes, all in {@code -32099..-32001}, outside the ranges JSON-RPC
 * reserves for itself. Malformed input uses the standard codes ({@code -32700}, {@code -32600},
 * {@code -32601}, {@code -32602}), listed here too so that clients need one enum.
 */
public enum ErrorCode {
    PARSE_ERROR(-32700),
    INVALID_REQUEST(-32600),
    METHOD_NOT_FOUND(-32601),
    INVALID_PARAMS(-32602),
    INTERNAL_ERROR(-32603),

    /** No loop has this id (in the workspaces the server knows). */
    UNKNOWN_LOOP(-32001),
    /** The loop's status does not allow this request, e.g. {@code loop/step} on a running loop. */
    WRONG_STATE(-32002),
    /** The approval id is unknown, already answered, or belongs to another action. */
    STALE_APPROVAL(-32003),
    /** The approval expired before it was answered. */
    APPROVAL_EXPIRED(-32004),
    /** The provider does not exist or cannot be used on this machine. */
    PROVIDER_UNAVAILABLE(-32005),
    /** A path points outside the workspace. */
    PATH_OUTSIDE_WORKSPACE(-32006),
    /** The loop configuration is invalid (missing goal, bad budget, unknown template...). */
    INVALID_LOOP_CONFIG(-32007),
    /** A request arrived before {@code initialize} or after {@code shutdown}. */
    SERVER_NOT_READY(-32008),
    /** The loop's files could not be read or written (disk full, read-only, corrupt). */
    STORAGE_ERROR(-32009),
    /** The request was cancelled with {@code $/cancelRequest}. */
    REQUEST_CANCELLED(-32010);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
