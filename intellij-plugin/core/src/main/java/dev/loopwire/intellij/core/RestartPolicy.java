package dev.loopwire.intellij.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides whether a crashed server may be restarted: at most {@code maxRestarts} restarts within
 * a sliding {@code window}. Past that the supervisor gives up and asks the person (an error
 * with a Restart action), which {@link #reset() resets} the count. Thread-safe.
 */
public final class RestartPolicy {

    /** The plugin's policy: 5 restarts in 10 minutes. */
    public static final int DEFAULT_MAX_RESTARTS = 5;
    /** The sliding window of the default policy. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

    private final int maxRestarts;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> restarts = new ArrayDeque<>();

    /** @param maxRestarts restarts allowed in one window; @param window its length; @param clock time source */
    public RestartPolicy(int maxRestarts, Duration window, Clock clock) {
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must be >= 0");
        }
        this.maxRestarts = maxRestarts;
        this.window = window;
        this.clock = clock;
    }

    /** 5 restarts in 10 minutes on the system clock. */
    public static RestartPolicy standard() {
        return new RestartPolicy(DEFAULT_MAX_RESTARTS, DEFAULT_WINDOW, Clock.systemUTC());
    }

    /**
     * Called when the server died unexpectedly. Returns true, and counts the restart, when
     * another restart is allowed now; false when the limit is reached.
     */
    public synchronized boolean tryRestart() {
        Instant now = clock.instant();
        Instant oldest = now.minus(window);
        while (!restarts.isEmpty() && !restarts.peekFirst().isAfter(oldest)) {
            restarts.removeFirst();
        }
        if (restarts.size() >= maxRestarts) {
            return false;
        }
        restarts.addLast(now);
        return true;
    }

    /** Restarts counted in the current window. */
    public synchronized int recentRestarts() {
        return restarts.size();
    }

    /** Forgets past restarts (the person asked for a restart). */
    public synchronized void reset() {
        restarts.clear();
    }

    /** The limit, for messages. */
    public int maxRestarts() {
        return maxRestarts;
    }

    /** The window, for messages. */
    public Duration window() {
        return window;
    }
}
