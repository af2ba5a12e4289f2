package dev.loopwire.server.internal;

import dev.loopwire.engine.LoopEngine;
import dev.loopwire.engine.LoopException;
import dev.loopwire.protocol.ProviderInfo;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What every connection of one server process shares: the engine, the notification hub, the
 * request executor, the workspaces opened so far and their sockets, and the process exit.
 */
public final class ServerCore implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServerCore.class.getName());

    private final CompletableFuture<LoopEngine> engine;
    private final ClientHub hub = new ClientHub();
    private volatile AutoCloseable subscription;
    private final ExecutorService executor;
    private final IntConsumer exit;
    private final boolean sockets;
    private final Map<Path, SocketServer> opened = new ConcurrentHashMap<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final FrameBudget frameBudget = FrameBudget.fromSystemProperties();
    private volatile boolean shutdown;
    private volatile CompletableFuture<List<ProviderInfo>> initialProviders;
    private final java.util.concurrent.atomic.AtomicBoolean exited = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param engine  the engine all connections share
     * @param exit    how the process exits (tests record the code instead)
     * @param sockets whether each opened workspace gets {@code .loopwire/server.sock}
     */
    public ServerCore(LoopEngine engine, IntConsumer exit, boolean sockets) {
        this(CompletableFuture.completedFuture(engine), exit, sockets);
    }

    /**
     * A core whose engine is still being created: requests wait for it, so that a server can
     * read its first request while the engine starts.
     */
    public ServerCore(CompletableFuture<LoopEngine> engine, IntConsumer exit, boolean sockets) {
        this.engine = engine;
        this.exit = exit;
        this.sockets = sockets;
        engine.thenAccept(e -> subscription = e.subscribe(hub));
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(8, 8, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "loopwire-request-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    /**
     * Starts describing the providers now (it loads their classes), so that the first
     * {@code initialize} of a freshly started server does not wait for it.
     */
    public void describeProvidersEarly() {
        initialProviders = engine.thenApplyAsync(LoopEngine::providers, executor);
    }

    /** The providers for the next {@code initialize}: described at start-up, fresh afterwards. */
    public List<ProviderInfo> providersForInitialize() {
        CompletableFuture<List<ProviderInfo>> first = initialProviders;
        if (first != null) {
            initialProviders = null;
            try {
                return first.join();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "describing providers at start-up failed", e);
            }
        }
        return engine().providers();
    }

    /** The engine, waiting for it when it is still starting. */
    public LoopEngine engine() {
        return engine.join();
    }

    public ClientHub hub() {
        return hub;
    }

    public ExecutorService executor() {
        return executor;
    }

    /** The budget for the frame bodies socket clients send (server-wide). */
    public FrameBudget frameBudget() {
        return frameBudget;
    }

    /** A name for the next connection, for thread names and logs. */
    public String nextConnectionName(String kind) {
        return kind + "-" + connections.incrementAndGet();
    }

    public boolean isShutdown() {
        return shutdown;
    }

    /** Checkpoints every loop (they come back interrupted, resumable); requests are refused from now on. */
    public void shutdown() {
        shutdown = true;
        engine().checkpoint();
    }

    /** Ends the process (checkpointing first when {@link #shutdown()} was not called). */
    public void exit(int code) {
        if (!exited.compareAndSet(false, true)) {
            return;
        }
        if (!shutdown) {
            try {
                engine().checkpoint();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "checkpoint before exit failed", e);
            }
        }
        close();
        exit.accept(code);
    }

    /**
     * Opens a workspace in the engine (idempotent) and, the first time, offers its socket to other
     * clients.
     */
    public void openWorkspace(Path workspace) throws LoopException {
        Path ws = workspace.toAbsolutePath().normalize();
        engine().openWorkspace(ws);
        if (sockets && !opened.containsKey(ws)) {
            synchronized (opened) {
                if (!opened.containsKey(ws)) {
                    opened.put(ws, SocketServer.NONE);
                    try {
                        opened.put(ws, SocketServer.bind(this, ws));
                    } catch (IOException | RuntimeException e) {
                        LOG.log(Level.WARNING, "no socket for " + ws + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        for (SocketServer socket : opened.values()) {
            socket.close();
        }
        opened.clear();
        try {
            AutoCloseable s = subscription;
            if (s != null) {
                s.close();
            }
        } catch (Exception e) {
            LOG.log(Level.FINE, "unsubscribe", e);
        }
        executor.shutdownNow();
    }
}
