package dev.loopwire.server.internal;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A server-wide limit on the bytes of socket clients' frame bodies being read and parsed at the
 * same time: a byte-counting semaphore. Without it, N socket clients each sending a frame of up
 * to {@link FramedMessageProducer#MAX_CONTENT_LENGTH} would make the server hold N times that.
 * <p>
 * A frame takes its {@code Content-Length} from the budget before its body is read and gives it
 * back once the body has been parsed and handed on. Frames over {@link #LARGE_FRAME} bytes may
 * use at most seven eighths of the budget, so that the last eighth always stays free for small
 * frames (a client's ordinary requests are not stuck behind others' large ones). A frame that
 * does not fit waits up to {@link #waitMillis()} and is then refused; one larger than its share
 * of the whole budget is refused at once.
 * <p>
 * Settings (system properties of the server process): {@value #BYTES_PROPERTY} (default 256 MiB)
 * and {@value #WAIT_PROPERTY} (default 2000).
 */
public final class FrameBudget {

    private static final Logger LOG = Logger.getLogger(FrameBudget.class.getName());

    public static final String BYTES_PROPERTY = "loopwire.frameBudgetBytes";
    public static final String WAIT_PROPERTY = "loopwire.frameBudgetWaitMillis";
    public static final long DEFAULT_BYTES = 256L * 1024 * 1024;
    public static final long DEFAULT_WAIT_MILLIS = 2000;
    /** Frames over this many bytes are large: they may not use the eighth kept for small ones. */
    public static final long LARGE_FRAME = 64 * 1024;

    private final long budget;
    private final long largeShare;
    private final long waitMillis;
    private long used;

    public FrameBudget(long budgetBytes, long waitMillis) {
        if (budgetBytes < 1 || waitMillis < 0) {
            throw new IllegalArgumentException("frame budget " + budgetBytes + " bytes, wait " + waitMillis + " ms");
        }
        this.budget = budgetBytes;
        this.largeShare = budgetBytes - budgetBytes / 8;
        this.waitMillis = waitMillis;
    }

    /** The budget the system properties ask for (their defaults when unset or invalid). */
    public static FrameBudget fromSystemProperties() {
        return new FrameBudget(property(BYTES_PROPERTY, DEFAULT_BYTES, 1),
                property(WAIT_PROPERTY, DEFAULT_WAIT_MILLIS, 0));
    }

    private static long property(String name, long fallback, long min) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(value.trim());
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        LOG.warning(() -> "ignoring -D" + name + "=" + value + " (expected a whole number >= " + min
                + "); using " + fallback);
        return fallback;
    }

    public long budgetBytes() {
        return budget;
    }

    public long waitMillis() {
        return waitMillis;
    }

    /** The most a frame of this length may take: the whole budget for small frames, seven eighths for large. */
    public long limitFor(long bytes) {
        return bytes > LARGE_FRAME ? largeShare : budget;
    }

    /**
     * Takes {@code bytes} from the budget, waiting up to {@link #waitMillis()} for them. Returns a
     * lease that gives them back when closed, or null when the frame does not fit (at once when it
     * is larger than {@link #limitFor}).
     */
    public Lease reserve(long bytes) throws InterruptedException {
        long limit = limitFor(bytes);
        if (bytes > limit) {
            return null;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        synchronized (this) {
            while (used + bytes > limit) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            used += bytes;
        }
        return new Lease(bytes);
    }

    /** Bytes taken right now (for tests and logs). */
    public synchronized long usedBytes() {
        return used;
    }

    private synchronized void release(long bytes) {
        used -= bytes;
        notifyAll();
    }

    /** Bytes taken from the budget until {@link #close}. */
    public final class Lease implements AutoCloseable {

        private long bytes;

        private Lease(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public void close() {
            long b;
            synchronized (FrameBudget.this) {
                b = bytes;
                bytes = 0;
            }
            if (b > 0) {
                release(b);
            }
        }
    }
}
