package dev.loopwire.protocol.services;

import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializeResult;
import dev.loopwire.protocol.InitializedParams;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonDelegate;
import org.eclipse.lsp4j.jsonrpc.services.JsonNotification;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;

/**
 * The server side of the Loopwire protocol: the lifecycle methods plus the {@code loop/*},
 * {@code providers/*} and {@code templates/*} segments.
 */
public interface LoopwireServer {

    /**
     * Sent by the client first. Returns the protocol version, server info and capabilities
     * (providers with availability, templates). Errors: {@code -32602} when the client speaks
     * another protocol version. {@code processId}, when given, is watched: the server exits when
     * that process is gone.
     */
    @JsonRequest
    CompletableFuture<InitializeResult> initialize(InitializeParams params);

    /** Sent by the client after the {@code initialize} result; pending approvals are re-announced. */
    @JsonNotification
    void initialized(InitializedParams params);

    /**
     * Sent by the client before {@code exit}. Running loops are checkpointed (they come back
     * {@code interrupted}, resumable). Completes with {@code null}.
     */
    @JsonRequest
    CompletableFuture<Object> shutdown();

    /** Sent by the client last: the process exits (code 0 after {@code shutdown}, 1 otherwise). */
    @JsonNotification
    void exit();

    /** The {@code loop/*} requests. */
    @JsonDelegate
    LoopService getLoopService();

    /** The {@code providers/*} requests. */
    @JsonDelegate
    ProviderService getProviderService();

    /** The {@code templates/*} requests. */
    @JsonDelegate
    TemplateService getTemplateService();
}
