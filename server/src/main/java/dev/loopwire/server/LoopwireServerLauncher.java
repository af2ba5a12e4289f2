package dev.loopwire.server;

import dev.loopwire.engine.LoopEngine;
import dev.loopwire.server.internal.Connection;
import dev.loopwire.server.internal.ServerCore;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Starts the Loopwire JSON-RPC server over a pair of streams: {@code loopwire serve} uses the
 * process's stdin/stdout, tests and embedders use pipes. The client on the streams is the primary
 * client: its {@code shutdown} checkpoints the loops, its {@code exit} (or the end of its input)
 * ends the server. With {@code sockets}, each workspace the server opens also gets
 * {@code <workspace>/.loopwire/server.sock} for more clients.
 */
public final class LoopwireServerLauncher {

    private final ServerCore core;
    private final CompletableFuture<Integer> exitCode;

    private LoopwireServerLauncher(ServerCore core, CompletableFuture<Integer> exitCode) {
        this.core = core;
        this.exitCode = exitCode;
    }

    /**
     * Serves one primary client on {@code in}/{@code out} with {@code engine} (which the caller
     * closes). Returns at once; {@link #exitCode()} completes when the client is gone.
     */
    public static LoopwireServerLauncher launch(LoopEngine engine, InputStream in, OutputStream out, boolean sockets) {
        return launch(CompletableFuture.completedFuture(engine), in, out, sockets);
    }

    /**
     * Like {@link #launch(LoopEngine, InputStream, OutputStream, boolean)} with an engine that is
     * still starting: the server reads requests at once and they wait for the engine.
     */
    public static LoopwireServerLauncher launch(CompletableFuture<LoopEngine> engine, InputStream in,
            OutputStream out, boolean sockets) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        ServerCore core = new ServerCore(engine, exit::complete, sockets);
        core.describeProvidersEarly();
        Connection.open(core, in, out, true, () -> { });
        return new LoopwireServerLauncher(core, exit);
    }

    /** Completes with the process exit code: 0 after {@code shutdown} + {@code exit}, else 1. */
    public CompletableFuture<Integer> exitCode() {
        return exitCode;
    }

    /** Stops serving (sockets closed, the engine's listener removed). */
    public void close() {
        core.close();
    }
}
