package dev.loopwire.intellij.core;

import dev.loopwire.protocol.ClientInfo;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializeResult;
import dev.loopwire.protocol.InitializedParams;
import dev.loopwire.protocol.LoopwireProtocol;
import dev.loopwire.protocol.services.LoopwireClient;
import dev.loopwire.protocol.services.LoopwireServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/**
 * One JSON-RPC connection to a Loopwire server over a pair of streams, built with lsp4j's
 * {@link Launcher} from the protocol module's interfaces: requests go through the typed
 * {@link LoopwireServer} proxy, notifications arrive at the given {@link LoopwireClient}.
 * Notifications are delivered on the connection's single listener thread, in the order sent.
 */
public final class LoopwireConnection implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final LoopwireServer server;
    private final Future<Void> listening;
    private final ExecutorService executor;

    private LoopwireConnection(LoopwireServer server, Future<Void> listening, ExecutorService executor) {
        this.server = server;
        this.listening = listening;
        this.executor = executor;
    }

    /**
     * Connects to a server that reads {@code toServer} and writes {@code fromServer}, and starts
     * listening. Nothing is sent yet; call {@link #initialize}.
     */
    public static LoopwireConnection open(InputStream fromServer, OutputStream toServer, LoopwireClient client) {
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loopwire-client-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Launcher<LoopwireServer> launcher = new Launcher.Builder<LoopwireServer>()
                .setLocalService(client)
                .setRemoteInterface(LoopwireServer.class)
                .setClassLoader(LoopwireServer.class.getClassLoader())
                .setInput(fromServer)
                .setOutput(toServer)
                .setExecutorService(executor)
                .configureGson(LoopwireProtocol::configureGson)
                .create();
        Future<Void> listening = launcher.startListening();
        return new LoopwireConnection(launcher.getRemoteProxy(), listening, executor);
    }

    /**
     * Sends {@code initialize} and, once answered, the {@code initialized} notification (after
     * which the server re-announces pending approvals). Fails when the server speaks another
     * protocol version.
     */
    public CompletableFuture<InitializeResult> initialize(ClientInfo clientInfo, List<String> workspaceFolders) {
        InitializeParams params = new InitializeParams(LoopwireProtocol.PROTOCOL_VERSION, clientInfo,
                ProcessHandle.current().pid(), workspaceFolders);
        return server.initialize(params).thenApply(result -> {
            if (result.protocolVersion() != LoopwireProtocol.PROTOCOL_VERSION) {
                throw new ServerLaunchException("The Loopwire server speaks protocol version "
                        + result.protocolVersion() + ", this plugin speaks "
                        + LoopwireProtocol.PROTOCOL_VERSION + ". Install matching versions.");
            }
            server.initialized(new InitializedParams());
            return result;
        });
    }

    /** The typed server proxy. */
    public LoopwireServer server() {
        return server;
    }

    /** True while the listener thread reads messages. */
    public boolean isListening() {
        return !listening.isDone();
    }

    /** Stops listening; does not send anything (see {@link ServerSupervisor#stop()}). */
    @Override
    public void close() {
        listening.cancel(true);
        executor.shutdownNow();
    }
}
