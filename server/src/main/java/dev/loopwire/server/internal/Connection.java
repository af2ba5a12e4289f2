package dev.loopwire.server.internal;

import dev.loopwire.protocol.services.LoopwireClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.jsonrpc.Launcher;

/** One client connection: a {@link ServerSession} wired to its streams by lsp4j. */
public final class Connection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    private final ServerCore core;
    private final boolean primary;
    private final Runnable closeTransport;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ExecutorService reader;
    private ServerSession session;
    private Future<Void> listening;

    private Connection(ServerCore core, boolean primary, Runnable closeTransport, ExecutorService reader) {
        this.core = core;
        this.primary = primary;
        this.closeTransport = closeTransport;
        this.reader = reader;
    }

    /**
     * Starts serving one client. The primary connection (stdio) ends the process when its input
     * ends: exit code 0 after {@code shutdown}, else 1 (loops are checkpointed either way).
     */
    public static Connection open(ServerCore core, InputStream in, OutputStream out, boolean primary,
            Runnable closeTransport) {
        String name = core.nextConnectionName(primary ? "stdio" : "socket");
        ExecutorService reader = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "loopwire-" + name);
            t.setDaemon(true);
            return t;
        });
        Connection c = new Connection(core, primary, closeTransport, reader);
        c.session = new ServerSession(core, name, primary, c::close);
        // Socket clients share the server's frame budget; the stdio client (one connection, its
        // frames at most 64 MiB each, read one at a time) never waits for them.
        Launcher<LoopwireClient> launcher = RpcLauncher.create(c.session, LoopwireClient.class, in, out, reader,
                primary ? null : core.frameBudget());
        c.session.connect(launcher.getRemoteProxy());
        c.listening = launcher.startListening();
        reader.execute(c::awaitEnd);
        return c;
    }

    public ServerSession session() {
        return session;
    }

    /** Completes when the client's input ended. */
    public Future<Void> listening() {
        return listening;
    }

    private void awaitEnd() {
        try {
            listening.get();
        } catch (Exception e) {
            LOG.log(Level.FINE, "connection ended", e);
        }
        boolean exit = !ended.get();
        close();
        if (primary && exit) {
            core.exit(session.shutdownRequested() ? 0 : 1);
        }
    }

    /** Ends this connection (the server goes on unless this was the primary one and its input ended). */
    @Override
    public void close() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        session.disconnected();
        listening.cancel(true);
        try {
            closeTransport.run();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "close transport", e);
        }
        reader.shutdownNow();
    }
}
