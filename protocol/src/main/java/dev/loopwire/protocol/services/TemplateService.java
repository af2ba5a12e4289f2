package dev.loopwire.protocol.services;

import dev.loopwire.protocol.TemplatesListParams;
import dev.loopwire.protocol.TemplatesListResult;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.jsonrpc.services.JsonSegment;

/** The {@code templates/*} requests. */
@JsonSegment("templates")
public interface TemplateService {

    /** Every template: workspace ones first, then the user's, then the built-ins. */
    @JsonRequest
    CompletableFuture<TemplatesListResult> list(TemplatesListParams params);
}
