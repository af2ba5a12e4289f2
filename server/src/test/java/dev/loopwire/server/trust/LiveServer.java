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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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

    private LiveServer(ServerProcess process) {
        this.process = process;
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
        var launcher = RpcLauncher.create(client, LoopwireServer.class, process.process.getInputStream(),
                process.process.getOutputStream(), executor);
        launcher.startListening();
        this.server = launcher.getRemoteProxy();
    }

    private void record(Object notification) {
        notifications.add(notification);
        notificationCount.incrementAndGet();
        for (Consumer<Object> l : listeners) {
            l.accept(notification);
        }
    }

    static LiveServer start(Path logDir, String... args) throws Exception {
        return new LiveServer(ServerProcess.start(logDir, false, args));
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

    /** Notifications of one type received so far, in arrival order. */
    <T> List<T> received(Class<T> type) {
        return notifications.stream().filter(type::isInstance).map(type::cast).toList();
    }

    void kill9() throws InterruptedException {
        process.kill9();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
        executor.shutdownNow();
    }
}
