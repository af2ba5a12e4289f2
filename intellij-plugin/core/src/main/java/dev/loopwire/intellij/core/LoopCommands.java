package dev.loopwire.intellij.core;

import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.Decision;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.MemoryResult;
import dev.loopwire.protocol.ProvidersListParams;
import dev.loopwire.protocol.ProvidersListResult;
import dev.loopwire.protocol.ResumeParams;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.TemplatesListParams;
import dev.loopwire.protocol.TemplatesListResult;
import dev.loopwire.protocol.services.LoopwireServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;

/**
 * The user's intents as protocol requests. Every request is sent from {@code rpcExecutor}, so
 * that a caller on the UI thread never writes to the server's pipe itself; results complete on
 * the connection's threads. A loop this client starts is added to the store at once.
 */
public final class LoopCommands {

    private final Supplier<LoopwireServer> server;
    private final Executor rpcExecutor;
    private final LoopStore store;

    /**
     * @param server      the current server (throws {@link IllegalStateException} with a message
     *                    when none is connected)
     * @param rpcExecutor where requests are sent from (a background pool, never the UI thread)
     * @param store       the store to add started loops to
     */
    public LoopCommands(Supplier<LoopwireServer> server, Executor rpcExecutor, LoopStore store) {
        this.server = server;
        this.rpcExecutor = rpcExecutor;
        this.store = store;
    }

    /** {@code loop/start}. */
    public CompletableFuture<LoopSnapshot> start(StartLoopParams params) {
        return send(s -> s.getLoopService().start(params)).thenApply(store::added);
    }

    /** {@code loop/step}. */
    public CompletableFuture<IterationRecord> step(String loopId) {
        return send(s -> s.getLoopService().step(new LoopIdParams(loopId)));
    }

    /** {@code loop/pause}. */
    public CompletableFuture<LoopSnapshot> pause(String loopId) {
        return send(s -> s.getLoopService().pause(new LoopIdParams(loopId)));
    }

    /** {@code loop/resume}, optionally with a larger budget. */
    public CompletableFuture<LoopSnapshot> resume(String loopId, Budget budget) {
        return send(s -> s.getLoopService().resume(new ResumeParams(loopId, budget)));
    }

    /** {@code loop/cancel}. */
    public CompletableFuture<LoopSnapshot> cancel(String loopId) {
        return send(s -> s.getLoopService().cancel(new LoopIdParams(loopId)));
    }

    /** {@code loop/approve}. */
    public CompletableFuture<LoopSnapshot> approve(String loopId, String approvalId, Decision decision) {
        return send(s -> s.getLoopService().approve(new ApproveParams(loopId, approvalId, decision.wire(), null)));
    }

    /** {@code loop/memory}. */
    public CompletableFuture<MemoryResult> memory(String loopId) {
        return send(s -> s.getLoopService().memory(new LoopIdParams(loopId)));
    }

    /** {@code providers/list}. */
    public CompletableFuture<ProvidersListResult> providers() {
        return send(s -> s.getProviderService().list(new ProvidersListParams()));
    }

    /** {@code templates/list}. */
    public CompletableFuture<TemplatesListResult> templates() {
        return send(s -> s.getTemplateService().list(new TemplatesListParams(store.workspace())));
    }

    private <T> CompletableFuture<T> send(Function<LoopwireServer, CompletableFuture<T>> request) {
        return CompletableFuture.supplyAsync(() -> request.apply(server.get()), rpcExecutor)
                .thenCompose(Function.identity());
    }

    /**
     * A sentence for people from a failed request: the server's error message for protocol
     * errors, the message of anything else.
     */
    public static String describe(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof ResponseErrorException r && r.getResponseError() != null) {
            return r.getResponseError().getMessage();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }
}
