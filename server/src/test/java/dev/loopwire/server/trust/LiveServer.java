package dev.loopwire.server.trust;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.ClientInfo;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializedParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.MemoryChangedParams;
import dev.loopwire.protocol.services.LoopService;
import dev.loopwire.protocol.services.LoopwireClient;
import dev.loopwire.protocol.services.LoopwireServer;
import dev.loopwire.server.internal.RpcLauncher;
import dev.loopwire.server.testing.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The real {@code loopwire.jar serve} process ({@link ServerProcess}, started without its own
 * client) with a {@link LoopwireClient} that keeps every notification in a thread-safe list and
 * hands approvals and each notification to listeners as they arrive. The trust tests drive
 * several loops at once, which the queue-based {@code RecordingClient} does not suit.
 */
final class LiveServer implements AutoCloseable {

    final ServerProcess process;
    final LoopwireServer server;
    final List<Object> notifications = new CopyOnWriteArrayList<>();
    final AtomicInteger notificationCount = new AtomicInteger();
    private final List<Consumer<Object>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "trust-client");
        t.setDaemon(true);
        return t;
    });

    /** Every byte the server wrote to its stdout (raw frames), when started with {@code keepRawStdout}. */
    private final ByteArrayOutputStream rawStdout;

    private LiveServer(ServerProcess process, boolean keepRawStdout) {
        this.process = process;
        this.rawStdout = keepRawStdout ? new ByteArrayOutputStream() : null;
        LoopwireClient client = new LoopwireClient() {
            @Override
            public void status(LoopStatusParams params) {
                record(params);
            }

            @Override
            public void progress(LoopProgressParams params) {
                record(params);
            }

            @Override
            public void output(LoopOutputParams params) {
                record(params);
            }

            @Override
            public void iteration(LoopIterationParams params) {
                record(params);
            }

            @Override
            public void approvalRequested(ApprovalRequestedParams params) {
                record(params);
            }

            @Override
            public void approvalResolved(ApprovalResolvedParams params) {
                record(params);
            }

            @Override
            public void memoryChanged(MemoryChangedParams params) {
                record(params);
            }
        };
        InputStream stdout = process.process.getInputStream();
        if (rawStdout != null) {
            stdout = new TeeInputStream(stdout, rawStdout);
        }
        var launcher = RpcLauncher.create(client, LoopwireServer.class, stdout,
                process.process.getOutputStream(), executor);
        launcher.startListening();
        this.server = launcher.getRemoteProxy();
    }

    private void record(Object notification) {
        for (Consumer<Object> l : listeners) {
            l.accept(notification); // first: what a listener notes is there once a wait sees the notification
        }
        notifications.add(notification);
        synchronized (notificationCount) {
            notificationCount.incrementAndGet();
            notificationCount.notifyAll();
        }
    }

    static LiveServer start(Path logDir, String... args) throws Exception {
        return new LiveServer(ServerProcess.start(logDir, false, args), false);
    }

    /**
     * Starts the server with {@code environment} laid over this JVM's ({@code null} removes a
     * variable); with {@code keepRawStdout} every byte of its stdout is kept ({@link #rawStdout()}).
     */
    static LiveServer start(Path logDir, Map<String, String> environment, boolean keepRawStdout, String... args)
            throws Exception {
        return new LiveServer(ServerProcess.start(logDir, false, environment, args), keepRawStdout);
    }

    /** The server's stdout so far, byte for byte (every response and notification frame). */
    String rawStdout() {
        if (rawStdout == null) {
            throw new IllegalStateException("started without keepRawStdout");
        }
        synchronized (rawStdout) {
            return rawStdout.toString(StandardCharsets.UTF_8);
        }
    }

    void onNotification(Consumer<Object> listener) {
        listeners.add(listener);
    }

    LoopService loops() {
        return server.getLoopService();
    }

    void initialize(Path... workspaces) throws Exception {
        await(server.initialize(new InitializeParams(1, new ClientInfo("trust-it", "1"), null,
                Arrays.stream(workspaces).map(Path::toString).toList())));
        server.initialized(new InitializedParams());
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(90, TimeUnit.SECONDS);
    }

    /**
     * The first notification of {@code type} matching {@code match}, received so far or within
     * {@code seconds}; fails the test naming what arrived when none does.
     */
    <T> T awaitNotification(Class<T> type, Predicate<T> match, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            int seen = notificationCount.get();
            for (Object n : notifications) {
                if (type.isInstance(n) && match.test(type.cast(n))) {
                    return type.cast(n);
                }
            }
            if (System.nanoTime() > deadline) {
                List<Object> all = List.copyOf(notifications);
                throw new AssertionError("no matching " + type.getSimpleName() + " within " + seconds
                        + " s; the last of " + all.size() + " received: " + all.subList(Math.max(0, all.size() - 20), all.size()));
            }
            synchronized (notificationCount) {
                if (notificationCount.get() == seen) {
                    notificationCount.wait(50);
                }
            }
        }
    }

    /** The loop's {@code loop/status} notification with {@code status}, received so far or within 90 s. */
    LoopStatusParams awaitStatus(String loopId, String status) throws InterruptedException {
        return awaitNotification(LoopStatusParams.class, s -> s.loopId().equals(loopId) && s.status().equals(status), 90);
    }

    /** Notifications of one type received so far, in arrival order. */
    <T> List<T> received(Class<T> type) {
        return notifications.stream().filter(type::isInstance).map(type::cast).toList();
    }

    void kill9() throws InterruptedException {
        process.kill9();
    }

    /** Copies what is read into {@code copy}, as it is read. */
    private static final class TeeInputStream extends FilterInputStream {
        private final ByteArrayOutputStream copy;

        TeeInputStream(InputStream in, ByteArrayOutputStream copy) {
            super(in);
            this.copy = copy;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                synchronized (copy) {
                    copy.write(b);
                }
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                synchronized (copy) {
                    copy.write(b, off, n);
                }
            }
            return n;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
        executor.shutdownNow();
    }
}
