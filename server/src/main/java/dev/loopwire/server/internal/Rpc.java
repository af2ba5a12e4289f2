package dev.loopwire.server.internal;

import dev.loopwire.engine.LoopException;
import dev.loopwire.engine.tools.Redactor;
import dev.loopwire.protocol.ErrorCode;
import java.nio.file.InvalidPathException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;

/** Error mapping and async helpers shared by the service adapters. */
public final class Rpc {

    private static final Logger LOG = Logger.getLogger(Rpc.class.getName());

    /** The secrets of the server's environment and the known key formats. */
    private static final Redactor REDACTOR = Redactor.fromEnvironment(System.getenv());

    private Rpc() {
    }

    /** Work that may refuse with a {@link LoopException} or a {@link ResponseErrorException}. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    public static ResponseErrorException error(ErrorCode code, String message) {
        return new ResponseErrorException(new ResponseError(code.code(), redact(message), null));
    }

    /** {@code text} without the server's secrets (error messages echo what a client sent, logs what failed). */
    public static String redact(String text) {
        return REDACTOR.redact(text);
    }

    public static ResponseErrorException invalidParams(String message) {
        return error(ErrorCode.INVALID_PARAMS, message);
    }

    /** What a failure looks like on the wire: a {@link ResponseErrorException} (or a cancellation). */
    public static Throwable toWire(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CancellationException) {
            return cause;
        }
        if (cause instanceof ResponseErrorException re) {
            ResponseError e = re.getResponseError();
            String message = redact(e.getMessage());
            return message == null || message.equals(e.getMessage()) ? re
                    : new ResponseErrorException(new ResponseError(e.getCode(), message, e.getData()));
        }
        if (cause instanceof LoopException le) {
            return error(le.code(), le.getMessage());
        }
        if (cause instanceof InvalidPathException ipe) {
            // A path from the client that the file system cannot even represent (a NUL character, say):
            // the client's mistake, not ours, and the raw exception text is no help to a person.
            String why = ipe.getInput() != null && ipe.getInput().indexOf('\0') >= 0
                    ? "it contains a NUL character" : "it is not a valid path here (" + ipe.getReason() + ")";
            return invalidParams("path '" + ipe.getInput().replace("\0", "\\0") + "' is refused: " + why);
        }
        LOG.log(Level.WARNING, "internal error", cause);
        return error(ErrorCode.INTERNAL_ERROR, "Internal error: " + cause);
    }

    /** Runs {@code work} on {@code executor}; the future fails with the wire form of any error. */
    public static <T> CompletableFuture<T> async(Executor executor, Work<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (result.isDone()) {
                    return;
                }
                try {
                    result.complete(work.run());
                } catch (Throwable t) {
                    result.completeExceptionally(toWire(t));
                }
            });
        } catch (RuntimeException rejected) {
            result.completeExceptionally(error(ErrorCode.SERVER_NOT_READY, "The server is shutting down"));
        }
        return result;
    }

    /** A future that already failed with {@code error}. */
    public static <T> CompletableFuture<T> failed(Throwable error) {
        CompletableFuture<T> f = new CompletableFuture<>();
        f.completeExceptionally(toWire(error));
        return f;
    }
}
