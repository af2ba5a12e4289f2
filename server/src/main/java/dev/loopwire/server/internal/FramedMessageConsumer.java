package dev.loopwire.server.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.lsp4j.jsonrpc.JsonRpcException;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.messages.Message;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseMessage;

/**
 * Writes messages to one stream with the LSP base-protocol framing
 * ({@code Content-Length: N\r\n\r\n} + UTF-8 JSON), one whole frame at a time. Besides lsp4j
 * messages it writes raw JSON (error responses whose {@code id} must be {@code null}, which
 * lsp4j cannot express), under the same lock so frames never interleave.
 *
 * <p>Each frame is flushed as it is written, except on a thread that {@link #holdFlushes() holds
 * flushes}: a client's notification sender holds them while its queue has more to send and
 * {@link #releaseFlushes() releases} them (one flush) when the queue is empty, so a burst of
 * notifications costs one flush instead of one per message. Frames written by other threads
 * (responses) are flushed at once, and that flush carries any held frames with them.
 */
public final class FramedMessageConsumer implements MessageConsumer {

    /** lsp4j's code for a cancelled request; Loopwire answers with its own {@code REQUEST_CANCELLED}. */
    private static final int LSP_REQUEST_CANCELLED = -32800;

    /** Per thread that holds flushes: the consumer it wrote to since, or an empty slot. */
    private static final ThreadLocal<FramedMessageConsumer[]> HELD = new ThreadLocal<>();

    private final OutputStream output;
    private final MessageJsonHandler jsonHandler;
    private final Object lock = new Object();

    public FramedMessageConsumer(OutputStream output, MessageJsonHandler jsonHandler) {
        this.output = output;
        this.jsonHandler = jsonHandler;
    }

    @Override
    public void consume(Message message) {
        if (message instanceof ResponseMessage response && response.getError() != null
                && response.getError().getCode() == LSP_REQUEST_CANCELLED) {
            response.getError().setCode(dev.loopwire.protocol.ErrorCode.REQUEST_CANCELLED.code());
        }
        writeRaw(jsonHandler.serialize(message));
    }

    /** Writes one JSON text as a frame. */
    public void writeRaw(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] header = ("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        synchronized (lock) {
            try {
                output.write(header);
                output.write(body);
                if (!heldFor(this)) {
                    output.flush();
                }
            } catch (IOException e) {
                throw new JsonRpcException(e);
            }
        }
    }

    /** Frames this thread writes from now on are not flushed one by one (until {@link #releaseFlushes()}). */
    static void holdFlushes() {
        if (HELD.get() == null) {
            HELD.set(new FramedMessageConsumer[1]);
        }
    }

    /** Ends {@link #holdFlushes()} on this thread and flushes what it wrote meanwhile. */
    static void releaseFlushes() {
        FramedMessageConsumer[] held = HELD.get();
        HELD.remove();
        if (held != null && held[0] != null) {
            held[0].flush();
        }
    }

    /** Whether this thread holds flushes; if so, remembers {@code c} as written to (flushing another one it wrote to before). */
    private static boolean heldFor(FramedMessageConsumer c) {
        FramedMessageConsumer[] held = HELD.get();
        if (held == null) {
            return false;
        }
        if (held[0] != null && held[0] != c) {
            held[0].flush();
        }
        held[0] = c;
        return true;
    }

    private void flush() {
        synchronized (lock) {
            try {
                output.flush();
            } catch (IOException e) {
                throw new JsonRpcException(e);
            }
        }
    }
}
