package dev.loopwire.engine.spi;

import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import java.util.List;
import java.util.Optional;

/** The providers a server has. */
public interface ProviderRegistry {

    /** Every provider with its availability, in a stable order. */
    List<ProviderInfo> list(ProviderContext context);

    /** The factory for an id, if there is one. */
    Optional<ProviderFactory> find(String id);

    /**
     * The provider to use when a loop names none: the first available of the configured
     * preferences (e.g. Claude Code, Codex, an Anthropic key, an OpenAI key, a local Ollama), with
     * user and workspace config applied. Empty when nothing is available.
     */
    default Optional<ProviderSpec> autoSelect(ProviderContext context) {
        return Optional.empty();
    }

    /** Creates a provider or fails with a message that says how to make it available. */
    default Provider create(ProviderSpec spec, ProviderContext context) throws ProviderException {
        ProviderFactory factory = find(spec.id()).orElseThrow(() -> new ProviderException(
                ProviderException.Kind.UNAVAILABLE, "unknown provider '" + spec.id() + "'"));
        return factory.create(spec, context);
    }
}
