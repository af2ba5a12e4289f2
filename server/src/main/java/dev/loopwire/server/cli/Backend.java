package dev.loopwire.server.cli;

import dev.loopwire.engine.LoopEngine;
import dev.loopwire.protocol.ClientInfo;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializedParams;
import dev.loopwire.protocol.LoopwireProtocol;
import dev.loopwire.protocol.services.LoopwireClient;
import dev.loopwire.protocol.services.LoopwireServer;
import dev.loopwire.server.internal.EngineFactory;
import dev.loopwire.server.internal.RpcLauncher;
import dev.loopwire.server.internal.ServerCore;
import dev.loopwire.server.internal.ServerSession;
import dev.loopwire.server.internal.ServerVersion;
import dev.loopwire.server.internal.UnixSockets;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;

/**
 * Where a CLI command sends its requests: the running server of the workspace, over its socket,
 * when one answers there; otherwise an engine in this process. Either way the command sees the
 * same {@link LoopwireServer} API and receives notifications through its {@link LoopwireClient}.
 */
final class Backend implements AutoCloseable {

    private final LoopwireServer server;
    private final AutoCloseable resources;
    private final boolean remote;

    private Backend(LoopwireServer server, AutoCloseable resources, boolean remote) {
        this.server = server;
        this.resources = resources;
        this.remote = remote;
    }

    /**
     * Connects to the workspace's server or starts an in-process engine.
     *
     * @param offerSocket for an in-process engine: offer the workspace socket while this command
     *                    runs (so that another terminal can answer approvals)
     */
    static Backend open(Path workspace, LoopwireClient listener, boolean offerSocket) throws CliException {
        Path socket = UnixSockets.socketPath(workspace);
        if (Files.exists(socket)) {
            try {
                SocketChannel channel = UnixSockets.connect(socket);
                return remote(workspace, channel, listener);
            } catch (IOException e) {
                // stale socket of a server that is gone: work in process
            }
        }
        LoopEngine engine = EngineFactory.create();
        ServerCore core = new ServerCore(engine, code -> { }, offerSocket);
        ServerSession session = new ServerSession(core, "cli", false, () -> { });
        session.connect(listener);
        Backend backend = new Backend(session, () -> {
            session.disconnected();
            core.close();
            engine.close();
        }, false);
        backend.initialize(workspace);
        return backend;
    }

    private static Backend remote(Path workspace, SocketChannel channel, LoopwireClient listener) throws CliException {
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "loopwire-cli-rpc");
            t.setDaemon(true);
            return t;
        });
        Launcher<LoopwireServer> launcher = RpcLauncher.create(listener, LoopwireServer.class,
                new BufferedInputStream(UnixSockets.in(channel)), UnixSockets.out(channel), executor);
        launcher.startListening();
        Backend backend = new Backend(launcher.getRemoteProxy(), () -> {
            channel.close();
            executor.shutdownNow();
        }, true);
        backend.initialize(workspace);
        return backend;
    }

    private void initialize(Path workspace) throws CliException {
        await(server.initialize(new InitializeParams(LoopwireProtocol.PROTOCOL_VERSION,
                new ClientInfo("loopwire-cli", ServerVersion.get()), null, List.of(workspace.toString()))));
        server.initialized(new InitializedParams());
    }

    LoopwireServer server() {
        return server;
    }

    /** True when the requests go to a running server. */
    boolean remote() {
        return remote;
    }

    /** The result of a request, or a {@link CliException} with the server's message. */
    static <T> T await(CompletableFuture<T> request) throws CliException {
        try {
            return request.get(10, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ResponseErrorException re) {
                throw new CliException(re.getResponseError().getMessage(), re.getResponseError().getCode());
            }
            throw new CliException(String.valueOf(cause), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", 0);
        } catch (TimeoutException | CancellationException e) {
            throw new CliException("the server did not answer", 0);
        }
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            // closing is best effort
        }
    }
}
