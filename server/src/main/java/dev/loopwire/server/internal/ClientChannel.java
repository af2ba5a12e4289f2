package dev.loopwire.server.internal;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.MemoryChangedParams;
import dev.loopwire.protocol.services.LoopwireClient;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One client's ordered, non-blocking notification queue: the loop runners only enqueue, and one
 * sender thread per client delivers in order (so per-loop order is kept), however slow the client
 * reads.
 *
 * <p>Memory is bounded. Beyond {@link #SOFT_LIMIT} queued notifications, {@code loop/output} and
 * {@code loop/progress} (which a client can rebuild from {@code loop/get}) are dropped and counted;
 * status, iteration, approval and memory notifications are still queued. Beyond
 * {@link #HARD_LIMIT} the client is considered gone: the queue is cleared, nothing more is queued
 * and {@code onOverflow} runs (the server closes that connection; the client can reconnect and
 * rebuild its view with {@code loop/list} and {@code loop/get}).
 *
 * <p>While more notifications are queued the sender writes them frame after frame without
 * flushing the stream, and flushes once the queue is empty (or every {@link #FLUSH_EVERY}
 * notifications): see {@link FramedMessageConsumer#holdFlushes()}.
 */
public final class ClientChannel implements LoopwireClient, AutoCloseable {

    /** Queue length beyond which output and progress notifications are dropped. */
    public static final int SOFT_LIMIT = 10_000;
    /** Queue length beyond which the client is disconnected. */
    public static final int HARD_LIMIT = 50_000;
    /** Notifications written without a flush at most, while the queue does not run empty. */
    static final int FLUSH_EVERY = 256;

    private static final Logger LOG = Logger.getLogger(ClientChannel.class.getName());

    private final String name;
    private final LoopwireClient target;
    private final Runnable onOverflow;
    private final Deque<Consumer<LoopwireClient>> queue = new ArrayDeque<>();
    private final Thread sender;
    private boolean closed;
    private boolean overflowed;
    private long dropped;
    private boolean busy;

    public ClientChannel(String name, LoopwireClient target, Runnable onOverflow) {
        this.name = name;
        this.target = target;
        this.onOverflow = onOverflow == null ? () -> { } : onOverflow;
        this.sender = new Thread(this::deliver, "loopwire-notify-" + name);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Notifications dropped so far because the client fell behind. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Waits until everything queued so far was handed to the client (or the channel closed). */
    public void drain(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (this) {
            while ((!queue.isEmpty() || busy) && !closed) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        }
    }

    private void enqueue(Consumer<LoopwireClient> call, boolean droppable) {
        boolean overflowNow = false;
        synchronized (this) {
            if (closed || overflowed) {
                return;
            }
            int size = queue.size();
            if (size >= HARD_LIMIT) {
                overflowed = true;
                dropped += size + 1;
                queue.clear();
                overflowNow = true;
            } else if (droppable && size >= SOFT_LIMIT) {
                dropped++;
                return;
            } else {
                queue.addLast(call);
                notifyAll();
                return;
            }
        }
        if (overflowNow) {
            LOG.warning(() -> "client " + name + " fell " + HARD_LIMIT + " notifications behind; disconnecting it");
            onOverflow.run();
        }
    }

    private void deliver() {
        int unflushed = 0;
        try {
            while (true) {
                Consumer<LoopwireClient> call;
                synchronized (this) {
                    if (queue.isEmpty() && unflushed == 0) {
                        busy = false;
                        notifyAll();
                        while (queue.isEmpty() && !closed) {
                            try {
                                wait();
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        if (queue.isEmpty()) {
                            return;
                        }
                    }
                    call = queue.pollFirst(); // null: the queue ran empty, flush what was written
                    busy = true;
                }
                if (call == null || unflushed >= FLUSH_EVERY) {
                    unflushed = 0;
                    release(); // outside the lock: a slow reader must not block the loops' enqueue
                }
                if (call != null) {
                    FramedMessageConsumer.holdFlushes();
                    unflushed++;
                    try {
                        call.accept(target);
                    } catch (RuntimeException e) {
                        LOG.log(Level.FINE, "notification to " + name + " failed", e);
                    }
                }
            }
        } finally {
            release();
            synchronized (this) {
                busy = false;
                notifyAll();
            }
        }
    }

    private void release() {
        try {
            FramedMessageConsumer.releaseFlushes();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "flush to " + name + " failed", e);
        }
    }

    /** Stops the sender after what is queued was delivered. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }

    /** Stops at once and forgets what is queued (the connection is gone). */
    public void abort() {
        synchronized (this) {
            closed = true;
            queue.clear();
            notifyAll();
        }
        sender.interrupt();
    }

    @Override
    public void status(LoopStatusParams params) {
        enqueue(c -> c.status(params), false);
    }

    @Override
    public void progress(LoopProgressParams params) {
        enqueue(c -> c.progress(params), true);
    }

    @Override
    public void output(LoopOutputParams params) {
        enqueue(c -> c.output(params), true);
    }

    @Override
    public void iteration(LoopIterationParams params) {
        enqueue(c -> c.iteration(params), false);
    }

    @Override
    public void approvalRequested(ApprovalRequestedParams params) {
        enqueue(c -> c.approvalRequested(params), false);
    }

    @Override
    public void approvalResolved(ApprovalResolvedParams params) {
        enqueue(c -> c.approvalResolved(params), false);
    }

    @Override
    public void memoryChanged(MemoryChangedParams params) {
        enqueue(c -> c.memoryChanged(params), false);
    }
}
