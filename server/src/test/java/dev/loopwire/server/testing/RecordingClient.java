package dev.loopwire.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.MemoryChangedParams;
import dev.loopwire.protocol.services.LoopwireClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@link LoopwireClient} test double that keeps every notification in arrival order, with
 * {@code assertNext...} helpers that take them one by one and {@link #assertExhausted()} at the
 * end (okhttp {@code EventSourceRecorder} style).
 */
public final class RecordingClient implements LoopwireClient {

    private static final long WAIT_SECONDS = 20;

    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final List<Object> seen = new ArrayList<>();

    private Object next() {
        try {
            Object e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (e == null) {
                fail("no notification within " + WAIT_SECONDS + "s; seen so far: " + seen);
            }
            seen.add(e);
            return e;
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }

    /** The next notification, which must be of {@code type}. */
    public <T> T assertNext(Class<T> type) {
        Object e = next();
        if (!type.isInstance(e)) {
            fail("expected " + type.getSimpleName() + " but got " + e);
        }
        return type.cast(e);
    }

    public LoopStatusParams assertNextStatus(String loopId, String status) {
        LoopStatusParams s = assertNext(LoopStatusParams.class);
        assertEquals(loopId, s.loopId());
        assertEquals(status, s.status(), () -> "status: " + s);
        return s;
    }

    /** Skips notifications until one of {@code type} matches; returns it. */
    public <T> T awaitNext(Class<T> type, Predicate<T> match) {
        while (true) {
            Object e = next();
            if (type.isInstance(e) && match.test(type.cast(e))) {
                return type.cast(e);
            }
        }
    }

    public LoopStatusParams awaitStatus(String loopId, String status) {
        return awaitNext(LoopStatusParams.class, s -> s.loopId().equals(loopId) && s.status().equals(status));
    }

    /** Nothing more arrives within a short while. */
    public void assertExhausted() {
        try {
            Object e = events.poll(200, TimeUnit.MILLISECONDS);
            assertNull(e, () -> "unexpected notification " + e);
        } catch (InterruptedException ex) {
            throw new AssertionError(ex);
        }
    }

    /** Every notification taken so far, in order. */
    public List<Object> seen() {
        assertNotNull(seen);
        return List.copyOf(seen);
    }

    @Override
    public void status(LoopStatusParams params) {
        events.add(params);
    }

    @Override
    public void progress(LoopProgressParams params) {
        events.add(params);
    }

    @Override
    public void output(LoopOutputParams params) {
        events.add(params);
    }

    @Override
    public void iteration(LoopIterationParams params) {
        events.add(params);
    }

    @Override
    public void approvalRequested(ApprovalRequestedParams params) {
        events.add(params);
    }

    @Override
    public void approvalResolved(ApprovalResolvedParams params) {
        events.add(params);
    }

    @Override
    public void memoryChanged(MemoryChangedParams params) {
        events.add(params);
    }
}
