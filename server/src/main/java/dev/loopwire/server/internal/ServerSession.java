package dev.loopwire.server.internal;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializeResult;
import dev.loopwire.protocol.InitializedParams;
import dev.loopwire.protocol.LoopwireProtocol;
import dev.loopwire.protocol.ProvidersListParams;
import dev.loopwire.protocol.ProvidersListResult;
import dev.loopwire.protocol.ServerCapabilities;
import dev.loopwire.protocol.ServerInfo;
import dev.loopwire.protocol.TemplatesListParams;
import dev.loopwire.protocol.TemplatesListResult;
import dev.loopwire.protocol.services.LoopService;
import dev.loopwire.protocol.services.LoopwireClient;
import dev.loopwire.protocol.services.LoopwireClientAware;
import dev.loopwire.protocol.services.LoopwireServer;
import dev.loopwire.protocol.services.ProviderService;
import dev.loopwire.protocol.services.TemplateService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * One client connection's view of the server: the lifecycle methods, and the gate that refuses
 * requests before {@code initialize} and after {@code shutdown}. The {@code loop/*} methods live in
 * {@link LoopServiceAdapter}. All connections share one {@link ServerCore}.
 *
 * <p>The primary connection (stdio) owns the process: its {@code shutdown} checkpoints every loop,
 * its {@code exit} ends the process and its {@code processId} is watched. A secondary connection
 * (the socket) only ends itself.
 */
public final class ServerSession implements LoopwireServer, LoopwireClientAware {

    private static final Logger LOG = Logger.getLogger(ServerSession.class.getName());

    private final ServerCore core;
    private final String name;
    private final boolean primary;
    private final Runnable closeConnection;
    private final LoopServiceAdapter loops;
    private volatile ClientChannel channel;
    private volatile boolean initialized;
    private volatile boolean shutdown;
    /** Counted down once the primary client's shutdown was done and answered. */
    private final java.util.concurrent.CountDownLatch shutdownAnswered = new java.util.concurrent.CountDownLatch(1);
    private volatile List<Path> workspaceFolders = List.of();
    private ParentProcessWatcher watcher;

    public ServerSession(ServerCore core, String name, boolean primary, Runnable closeConnection) {
        this.core = core;
        this.name = name;
        this.primary = primary;
        this.closeConnection = closeConnection;
        this.loops = new LoopServiceAdapter(this);
    }

    ServerCore core() {
        return core;
    }

    /** The workspace folders this client named in {@code initialize}. */
    List<Path> workspaceFolders() {
        return workspaceFolders;
    }

    /** Null when requests may run, else the error to answer with. */
    Throwable notReady() {
        if (!initialized) {
            return Rpc.error(ErrorCode.SERVER_NOT_READY, "Send 'initialize' first: the server does not take requests before it");
        }
        if (shutdown || (core.isShutdown() && primary)) {
            return Rpc.error(ErrorCode.SERVER_NOT_READY, "The server is shutting down: 'shutdown' was received");
        }
        return null;
    }

    @Override
    public void connect(LoopwireClient client) {
        this.channel = new ClientChannel(name, client, closeConnection);
    }

    /** True once this client sent {@code shutdown}. */
    boolean shutdownRequested() {
        return shutdown;
    }

    /** The connection is gone: stop sending to it. */
    public void disconnected() {
        ClientChannel c = channel;
        if (c != null) {
            core.hub().remove(c);
            c.abort();
        }
        if (watcher != null) {
            watcher.close();
        }
    }

    @Override
    public CompletableFuture<InitializeResult> initialize(InitializeParams params) {
        if (params == null) {
            return Rpc.failed(Rpc.invalidParams("initialize needs params, e.g. {\"protocolVersion\": 1}"));
        }
        if (params.protocolVersion() != null && params.protocolVersion() != LoopwireProtocol.PROTOCOL_VERSION) {
            return Rpc.failed(Rpc.invalidParams("This server speaks protocol version "
                    + LoopwireProtocol.PROTOCOL_VERSION + "; the client asked for " + params.protocolVersion()));
        }
        if (initialized) {
            return Rpc.failed(Rpc.error(ErrorCode.INVALID_REQUEST, "initialize was already called on this connection"));
        }
        return Rpc.async(core.executor(), () -> {
            List<Path> folders = new ArrayList<>();
            if (params.workspaceFolders() != null) {
                for (String folder : params.workspaceFolders()) {
                    if (folder == null || folder.isBlank()) {
                        throw Rpc.invalidParams("workspaceFolders contains an empty path");
                    }
                    Path path = Path.of(folder).toAbsolutePath().normalize();
                    if (!Files.isDirectory(path)) {
                        throw Rpc.invalidParams("workspace folder " + path + " is not a directory");
                    }
                    folders.add(path);
                }
            }
            for (Path folder : folders) {
                core.openWorkspace(folder);
            }
            workspaceFolders = List.copyOf(folders);
            if (primary && params.processId() != null) {
                watcher = ParentProcessWatcher.watch(params.processId(), () -> {
                    LOG.warning(() -> "the client process " + params.processId() + " is gone; exiting");
                    core.exit(1);
                });
            }
            ServerCapabilities capabilities = new ServerCapabilities(core.providersForInitialize(),
                    core.engine().templates(folders.isEmpty() ? null : folders.get(0)));
            initialized = true;
            if (channel != null) {
                core.hub().add(channel);
            }
            return new InitializeResult(LoopwireProtocol.PROTOCOL_VERSION,
                    new ServerInfo("loopwire", ServerVersion.get()), capabilities);
        });
    }

    @Override
    public void initialized(InitializedParams params) {
        ClientChannel c = channel;
        if (!initialized || c == null) {
            return;
        }
        core.executor().execute(() -> {
            for (ApprovalRequestedParams pending : core.engine().pendingApprovals()) {
                c.approvalRequested(pending);
            }
        });
    }

    @Override
    public CompletableFuture<Object> shutdown() {
        Throwable refused = notReady();
        if (refused != null) {
            return Rpc.failed(refused);
        }
        shutdown = true;
        if (!primary) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Object> result = Rpc.async(core.executor(), () -> {
            core.shutdown();
            return null;
        });
        // registered before lsp4j's own completion action, so it runs after the answer was written
        result.whenComplete((r, e) -> shutdownAnswered.countDown());
        return result;
    }

    @Override
    public void exit() {
        if (primary && shutdown) {
            // a client that sends exit right behind shutdown still gets shutdown's answer, and the
            // loops are checkpointed by shutdown first
            try {
                shutdownAnswered.await(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (primary) {
            core.exit(shutdown ? 0 : 1);
        } else {
            closeConnection.run();
        }
    }

    @Override
    public LoopService getLoopService() {
        return loops;
    }

    @Override
    public ProviderService getProviderService() {
        return this::providers;
    }

    @Override
    public TemplateService getTemplateService() {
        return this::templates;
    }

    private CompletableFuture<ProvidersListResult> providers(ProvidersListParams params) {
        Throwable refused = notReady();
        if (refused != null) {
            return Rpc.failed(refused);
        }
        return Rpc.async(core.executor(), () -> new ProvidersListResult(core.engine().providers()));
    }

    private CompletableFuture<TemplatesListResult> templates(TemplatesListParams params) {
        Throwable refused = notReady();
        if (refused != null) {
            return Rpc.failed(refused);
        }
        return Rpc.async(core.executor(), () -> {
            Path ws = params != null && params.workspace() != null
                    ? Path.of(params.workspace()).toAbsolutePath().normalize()
                    : workspaceFolders.isEmpty() ? null : workspaceFolders.get(0);
            if (ws != null) {
                core.openWorkspace(ws);
            }
            return new TemplatesListResult(core.engine().templates(ws));
        });
    }
}
