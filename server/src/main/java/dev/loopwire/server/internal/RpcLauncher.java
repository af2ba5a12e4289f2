package dev.loopwire.server.internal;

import dev.loopwire.protocol.LoopwireProtocol;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import org.eclipse.lsp4j.jsonrpc.Endpoint;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.MessageProducer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.json.ConcurrentMessageProcessor;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.services.ServiceEndpoints;

/**
 * lsp4j's {@link Launcher.Builder} with Loopwire's wire settings
 * ({@link LoopwireProtocol#configureGson}) and its own framing on both sides:
 * {@link FramedMessageProducer} (answers malformed input) and {@link FramedMessageConsumer}
 * (one lock for every frame written). Used for the server side of every connection and by Java
 * clients (the CLI over the socket, tests).
 *
 * @param <T> the remote interface
 */
public final class RpcLauncher<T> extends Launcher.Builder<T> {

    private FramedMessageConsumer outgoing;
    private MessageJsonHandler handler;
    private FrameBudget frameBudget;

    private RpcLauncher() {
    }

    /** A launcher for {@code local} talking to a remote {@code remote} over the two streams. */
    public static <T> Launcher<T> create(Object local, Class<T> remote, InputStream in, OutputStream out,
            ExecutorService executor) {
        return create(local, remote, in, out, executor, null);
    }

    /**
     * A launcher whose reader takes every frame body's length from {@code frameBudget} before
     * reading it (null: no budget; see {@link FramedMessageProducer}).
     */
    public static <T> Launcher<T> create(Object local, Class<T> remote, InputStream in, OutputStream out,
            ExecutorService executor, FrameBudget frameBudget) {
        RpcLauncher<T> builder = new RpcLauncher<>();
        builder.frameBudget = frameBudget;
        builder.setLocalService(local)
                .setRemoteInterface(remote)
                .setInput(in)
                .setOutput(out)
                .configureGson(LoopwireProtocol::configureGson);
        if (executor != null) {
            builder.setExecutorService(executor);
        }
        return builder.create();
    }

    @Override
    protected RemoteEndpoint createRemoteEndpoint(MessageJsonHandler jsonHandler) {
        this.handler = jsonHandler;
        this.outgoing = new FramedMessageConsumer(output, jsonHandler);
        MessageConsumer out = wrapMessageConsumer(outgoing);
        Endpoint localEndpoint = ServiceEndpoints.toEndpoint(localServices);
        RemoteEndpoint remoteEndpoint = exceptionHandler == null
                ? new RemoteEndpoint(out, localEndpoint)
                : new RemoteEndpoint(out, localEndpoint, exceptionHandler);
        jsonHandler.setMethodProvider(remoteEndpoint);
        remoteEndpoint.setJsonHandler(jsonHandler);
        return remoteEndpoint;
    }

    @Override
    protected ConcurrentMessageProcessor createMessageProcessor(MessageProducer reader,
            MessageConsumer messageConsumer, T remoteProxy) {
        MessageProducer framed = new FramedMessageProducer(input, handler, outgoing, frameBudget);
        return super.createMessageProcessor(framed, messageConsumer, remoteProxy);
    }
}
