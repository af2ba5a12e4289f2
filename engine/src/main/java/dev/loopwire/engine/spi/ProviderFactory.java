package dev.loopwire.engine.spi;

import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;

/**
 * Creates providers of one id. Found with {@link java.util.ServiceLoader}; must be cheap to
 * construct and to {@link #describe} (no HTTP client, no process started), so that start-up stays
 * fast and unused providers cost nothing.
 */
public interface ProviderFactory {

    /** The id used in {@code loop/start.provider.id}, e.g. {@code scripted}, {@code openai}. */
    String id();

    /** Availability on this machine and how to enable it, without side effects. */
    ProviderInfo describe(ProviderContext context);

    /** A provider for one loop; fails with a clear message when it cannot be used. */
    Provider create(ProviderSpec spec, ProviderContext context) throws ProviderException;
}
