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
 */
public final class FramedMessageConsumer implements MessageConsumer {

    /** lsp4j's code for a cancelled request; Loopwire answers with its own {@code REQUEST_CANCELLED}. */
    private static final int LSP_REQUEST_CANCELLED = -32800;

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
                output.flush();
            } catch (IOException e) {
                throw new JsonRpcException(e);
            }
        }
    }
}
