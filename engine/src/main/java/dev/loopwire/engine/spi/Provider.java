package dev.loopwire.engine.spi;

import dev.loopwire.engine.Cancellation;

/**
 * One model or agent that a loop drives. A turn is one call: the request in, a stream of events
 * out through the {@link TurnSink}, the assembled result returned. A provider instance belongs
 * to one loop and is called from that loop's runner thread only.
 */
public interface Provider {

    /**
     * Runs one turn. Blocks until the turn ends. Must stop promptly (well within a second) when
     * {@code cancel} fires or the thread is interrupted, throwing
     * {@link java.util.concurrent.CancellationException} or {@link InterruptedException}.
     *
     * @throws ProviderException for a failed turn; its message must be free of secrets
     */
    TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel)
            throws ProviderException, InterruptedException;

    /**
     * True for CLI agents, which run their own tools: the engine then executes no tool calls and
     * gates whole iterations instead (see {@code approval.iterations}).
     */
    default boolean runsOwnTools() {
        return false;
    }

    /**
     * Values this provider holds that must never be shown, such as the API key it read from the
     * variable {@code apiKeyEnv} names: the engine redacts them wherever it records or sends text,
     * also when that variable's name does not look like a secret's.
     */
    default java.util.Collection<String> secrets() {
        return java.util.List.of();
    }
}
