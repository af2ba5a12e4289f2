package dev.loopwire.protocol.services;

import dev.loopwire.protocol.ProvidersListParams;
import dev.loopwire.protocol.ProvidersListResult;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/** The {@code providers/*} requests. */
@JsonSegment("providers")
public interface ProviderService {

    /** Every provider this server has, whether it is available here, and how to enable it. */
    @JsonRequest
    CompletableFuture<ProvidersListResult> list(ProvidersListParams params);
}
