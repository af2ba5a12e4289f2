package dev.loopwire.intellij.core;

import dev.loopwire.intellij.core.ConnectionState.Phase;
import dev.loopwire.protocol.ClientInfo;
import dev.loopwire.protocol.InitializeResult;
import dev.loopwire.protocol.services.LoopwireClient;
import dev.loopwire.protocol.services.LoopwireServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs {@code loopwire serve} as a child process and keeps a {@link LoopwireConnection} to it.
 * When the process dies on its own it is restarted, as long as the {@link RestartPolicy} allows
 * (5 times in 10 minutes); after that the state is {@link Phase#FAILED} with a message and only
 * {@link #restart()} (the person's Restart action) starts it again. After every successful
 * (re)connection the connected listeners run, so that the store can rebuild its state.
 * All process work happens on the supervisor's own thread, never on the caller's.
 */
public final class ServerSupervisor implements AutoCloseable {

    private static final int STDERR_LINES_KEPT = 20;

    private final Supplier<ServerCommand> command;
    private final Path workingDir;
    private final LoopwireClient client;
    private final RestartPolicy policy;
    private final ClientInfo clientInfo;
    private final List<String> workspaceFolders;
    private final Consumer<String> stderrSink;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loopwire-supervisor");
        t.setDaemon(true);
        return t;
    });
    private final List<Consumer<ConnectionState>> stateListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<LoopwireServer>> connectedListeners = new CopyOnWriteArrayList<>();
    private final Deque<String> stderrTail = new ArrayDeque<>();

    private volatile ConnectionState state = ConnectionState.of(Phase.STOPPED);
    private Process process;            // guarded by this
    private LoopwireConnection connection; // guarded by this
    private int generation;             // guarded by this
    private boolean stopping;           // guarded by this

    /**
     * @param command          resolves the command line (called on every start, so settings changes apply)
     * @param workingDir       the server's working directory (the project folder)
     * @param client           receives the server's notifications (the loop store)
     * @param policy           the restart limit
     * @param clientInfo       sent in {@code initialize}
     * @param workspaceFolders sent in {@code initialize}
     * @param stderrSink       receives each line the server writes to stderr (its log)
     */
    public ServerSupervisor(Supplier<ServerCommand> command, Path workingDir, LoopwireClient client,
            RestartPolicy policy, ClientInfo clientInfo, List<String> workspaceFolders, Consumer<String> stderrSink) {
        this.command = command;
        this.workingDir = workingDir;
        this.client = client;
        this.policy = policy;
        this.clientInfo = clientInfo;
        this.workspaceFolders = List.copyOf(workspaceFolders);
        this.stderrSink = stderrSink;
    }

    /** Called with every state change, on the supervisor thread. */
    public void addStateListener(Consumer<ConnectionState> listener) {
        stateListeners.add(listener);
    }

    /** Called after every successful (re)connection with the new server proxy. */
    public void addConnectedListener(Consumer<LoopwireServer> listener) {
        connectedListeners.add(listener);
    }

    /** The current state. */
    public ConnectionState state() {
        return state;
    }

    /** Starts the server unless it is already running; completes when it is initialized. */
    public CompletableFuture<LoopwireServer> start() {
        return CompletableFuture.supplyAsync(this::startNow, worker);
    }

    /**
     * The person's Restart: forgets past crashes, stops the current process if any, starts anew.
     */
    public CompletableFuture<LoopwireServer> restart() {
        return CompletableFuture.supplyAsync(() -> {
            policy.reset();
            stopNow();
            return startNow();
        }, worker);
    }

    /**
     * The connected server. Throws {@link IllegalStateException} with a sentence for people when
     * it is not connected right now.
     */
    public synchronized LoopwireServer server() {
        if (connection == null || state.phase() != Phase.CONNECTED) {
            throw new IllegalStateException("The Loopwire server is not connected ("
                    + state.phase().name().toLowerCase(java.util.Locale.ROOT) + ")"
                    + (state.message().isEmpty() ? "." : ": " + state.message()));
        }
        return connection.server();
    }

    /** The running server process, for tests and diagnostics. */
    public synchronized ProcessHandle processHandle() {
        return process == null ? null : process.toHandle();
    }

    /** Asks the server to shut down (loops are checkpointed), then ends the process. */
    public CompletableFuture<Void> stop() {
        return CompletableFuture.runAsync(this::stopNow, worker);
    }

    /** Stops the server and the supervisor thread; waits up to a few seconds. */
    @Override
    public void close() {
        try {
            stop().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            synchronized (this) {
                if (process != null) {
                    process.destroyForcibly();
                }
            }
        } finally {
            worker.shutdownNow();
        }
    }

    private LoopwireServer startNow() {
        synchronized (this) {
            if (process != null && process.isAlive() && connection != null && state.phase() == Phase.CONNECTED) {
                return connection.server();
            }
            stopping = false;
        }
        setState(ConnectionState.of(Phase.STARTING));
        Process p;
        LoopwireConnection c;
        int gen;
        try {
            ServerCommand cmd = command.get();
            ProcessBuilder pb = new ProcessBuilder(cmd.toArgv()).directory(workingDir.toFile());
            p = pb.start();
        } catch (ServerLaunchException e) {
            setState(new ConnectionState(Phase.FAILED, e.getMessage()));
            throw e;
        } catch (IOException e) {
            String msg = "Could not start the Loopwire server: " + e.getMessage();
            setState(new ConnectionState(Phase.FAILED, msg));
            throw new ServerLaunchException(msg, e);
        }
        c = LoopwireConnection.open(p.getInputStream(), p.getOutputStream(), client);
        synchronized (this) {
            gen = ++generation;
            process = p;
            connection = c;
        }
        drainStderr(p, gen);
        final int watched = gen;
        p.onExit().thenAccept(dead -> worker.execute(() -> onExit(watched, dead)));
        try {
            // A process that dies before it answers leaves the request pending forever (the
            // connection does not fail it), so wait for whichever comes first.
            CompletableFuture<InitializeResult> init = c.initialize(clientInfo, workspaceFolders);
            CompletableFuture.anyOf(init, p.onExit()).get(60, TimeUnit.SECONDS);
            if (!init.isDone()) {
                throw new ServerLaunchException("The Loopwire server exited while starting." + tailForMessage());
            }
            InitializeResult result = init.get();
            if (result == null) {
                throw new ServerLaunchException("The server answered initialize with nothing.");
            }
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (hasExited(p)) {
                // onExit decides about a restart.
                throw new ServerLaunchException("The Loopwire server exited while starting." + tailForMessage(), cause);
            }
            synchronized (this) {
                stopping = true;
            }
            p.destroyForcibly();
            String msg = "The Loopwire server did not initialize: " + LoopCommands.describe(cause);
            setState(new ConnectionState(Phase.FAILED, msg));
            throw new ServerLaunchException(msg, cause);
        }
        setState(ConnectionState.of(Phase.CONNECTED));
        LoopwireServer server = c.server();
        for (Consumer<LoopwireServer> l : connectedListeners) {
            try {
                l.accept(server);
            } catch (RuntimeException e) {
                stderrSink.accept("loopwire plugin: a connection listener failed: " + e);
            }
        }
        return server;
    }

    /**
     * Whether the process is gone or going: a request to a dying server fails (broken pipe) a
     * moment before the process is reaped, and that is a crash to restart, not a refusal.
     */
    private static boolean hasExited(Process p) {
        try {
            return !p.isAlive() || p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    private void onExit(int gen, Process dead) {
        synchronized (this) {
            if (gen != generation || stopping) {
                return;
            }
            if (connection != null) {
                connection.close();
            }
            connection = null;
            process = null;
        }
        int code = dead.exitValue();
        if (policy.tryRestart()) {
            setState(new ConnectionState(Phase.RESTARTING, "The Loopwire server exited with code " + code
                    + "; restarting (" + policy.recentRestarts() + " of " + policy.maxRestarts()
                    + " restarts allowed in " + policy.window().toMinutes() + " minutes)."));
            worker.schedule(() -> {
                try {
                    startNow();
                } catch (RuntimeException e) {
                    // state already tells; a process that died again is handled by onExit
                }
            }, 300, TimeUnit.MILLISECONDS);
        } else {
            setState(new ConnectionState(Phase.FAILED, "The Loopwire server stopped " + (policy.maxRestarts() + 1)
                    + " times in " + policy.window().toMinutes() + " minutes (last exit code " + code
                    + ") and is not restarted again. Use Restart once the cause is fixed." + tailForMessage()));
        }
    }

    private void stopNow() {
        Process p;
        LoopwireConnection c;
        synchronized (this) {
            stopping = true;
            p = process;
            c = connection;
            process = null;
            connection = null;
        }
        if (c != null && p != null && p.isAlive()) {
            try {
                c.server().shutdown().get(5, TimeUnit.SECONDS);
                c.server().exit();
            } catch (Exception e) {
                // the process is ended below either way
            }
        }
        if (p != null) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroy();
                    if (!p.waitFor(3, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (c != null) {
            c.close();
        }
        setState(ConnectionState.of(Phase.STOPPED));
    }

    private void drainStderr(Process p, int gen) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stderrTail) {
                        stderrTail.addLast(line);
                        while (stderrTail.size() > STDERR_LINES_KEPT) {
                            stderrTail.removeFirst();
                        }
                    }
                    stderrSink.accept(line);
                }
            } catch (IOException e) {
                // process gone
            }
        }, "loopwire-server-stderr-" + gen);
        t.setDaemon(true);
        t.start();
    }

    private String tailForMessage() {
        synchronized (stderrTail) {
            if (stderrTail.isEmpty()) {
                return "";
            }
            return " Last server output: " + stderrTail.peekLast();
        }
    }

    private void setState(ConnectionState s) {
        state = s;
        for (Consumer<ConnectionState> l : stateListeners) {
            try {
                l.accept(s);
            } catch (RuntimeException e) {
                stderrSink.accept("loopwire plugin: a state listener failed: " + e);
            }
        }
    }
}
