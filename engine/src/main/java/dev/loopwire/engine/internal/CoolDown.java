package dev.loopwire.engine.internal;

import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.protocol.LoopStatus;
import java.io.IOException;
import java.util.Locale;

/**
 * Cool-down: when the provider reports a rate limit (or a circuit breaker's cool-down) the loop
 * waits it out with status {@code waiting} and asks again within the same iteration, instead of
 * failing or burning iterations. The wait is the provider's {@code retryAfter} (30 s when it
 * gives none), capped by {@code waits.maxWaitSeconds} (default 300 s); at most
 * {@value #MAX_PER_ITERATION} cool-downs per iteration. Cancel interrupts the wait at once.
 */
final class CoolDown {

    static final int MAX_PER_ITERATION = 5;
    static final double DEFAULT_SECONDS = 30;
    static final double DEFAULT_MAX_SECONDS = 300;

    private CoolDown() {
    }

    static boolean applies(ProviderException e, int coolDownsSoFar) {
        return e.kind() == ProviderException.Kind.RATE_LIMITED && coolDownsSoFar < MAX_PER_ITERATION;
    }

    static double seconds(LoopConfig config, ProviderException e) {
        double max = config.waits() == null || config.waits().maxWaitSeconds() == null ? DEFAULT_MAX_SECONDS
                : config.waits().maxWaitSeconds();
        double wanted = e.retryAfter() == null ? DEFAULT_SECONDS : e.retryAfter().toMillis() / 1000.0;
        return Math.max(0, Math.min(wanted, max));
    }

    /** Waits (status {@code waiting}), then sets {@code running} again. */
    static void await(LoopRuntime rt, int gen, int iteration, ProviderException e, String redactedMessage,
            IterationRunner runner) throws IOException, InterruptedException {
        double seconds = seconds(rt.config, e);
        String reason = String.format(Locale.ROOT, "rate limited by %s: cooling down %.1f s before asking again (%s)",
                rt.config.provider().id(), seconds, redactedMessage);
        synchronized (rt) {
            rt.checkGeneration(gen);
            rt.journal("cool_down", LoopRuntime.fields("iteration", iteration, "seconds", seconds,
                    "message", redactedMessage));
            rt.setStatus(LoopStatus.WAITING, reason);
        }
        IterationRunner.progress(rt, iteration, "wait", reason);
        try (AutoCloseable beat = runner.heartbeat(rt, iteration, "wait", "cooling down")) {
            Thread.sleep(Math.round(seconds * 1000));
        } catch (InterruptedException | RuntimeException x) {
            throw x;
        } catch (Exception x) {
            throw new IllegalStateException(x);
        }
        synchronized (rt) {
            rt.checkGeneration(gen);
            rt.setStatus(LoopStatus.RUNNING, null);
        }
    }
}
