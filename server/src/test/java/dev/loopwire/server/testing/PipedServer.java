package dev.loopwire.server.testing;

import dev.loopwire.engine.LoopEngine;
import dev.loopwire.protocol.ClientInfo;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializeResult;
import dev.loopwire.protocol.InitializedParams;
import dev.loopwire.protocol.services.LoopwireServer;
import dev.loopwire.server.internal.Connection;
import dev.loopwire.server.internal.RpcLauncher;
import dev.loopwire.server.internal.ServerCore;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/** A server connection and an lsp4j client in one JVM, over pipes. */
public final class PipedServer implements AutoCloseable {

    public final RecordingClient client = new RecordingClient();
    public final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
    public final ServerCore core;
    public final LoopwireServer server;
    private final Connection connection;
    private final ExecutorService clientExecutor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-client");
        t.setDaemon(true);
        return t;
    });

    public PipedServer(LoopEngine engine) throws IOException {
        core = new ServerCore(engine, exitCode::complete, false);
        PipedOutputStream clientOut = new PipedOutputStream();
        PipedInputStream serverIn = new PipedInputStream(clientOut, 1 << 20);
        PipedOutputStream serverOut = new PipedOutputStream();
        PipedInputStream clientIn = new PipedInputStream(serverOut, 1 << 20);
        connection = Connection.open(core, serverIn, serverOut, true, () -> { });
        Launcher<LoopwireServer> launcher = RpcLauncher.create(client, LoopwireServer.class, clientIn, clientOut, clientExecutor);
        launcher.startListening();
        server = launcher.getRemoteProxy();
    }

    public InitializeResult initialize(Path... workspaces) throws Exception {
        InitializeResult r = server.initialize(new InitializeParams(1, new ClientInfo("test", "1"), null,
                java.util.Arrays.stream(workspaces).map(Path::toString).toList())).get(20, TimeUnit.SECONDS);
        server.initialized(new InitializedParams());
        return r;
    }

    public static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        connection.close();
        core.close();
        clientExecutor.shutdownNow();
    }

}
