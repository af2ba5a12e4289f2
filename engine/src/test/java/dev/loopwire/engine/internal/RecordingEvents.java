package dev.loopwire.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loopwire.engine.LoopEvents;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.MemoryChangedParams;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Test double: keeps every event in order, with {@code assertNext...} helpers and
 * {@link #assertExhausted()}. By default progress and streamed text/log outputs are not kept,
 * so that tests read the loop's lifecycle; {@link #all()} keeps everything.
 */
final class RecordingEvents implements LoopEvents {

    private static final long WAIT_SECONDS = 10;

    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final boolean streaming;

    private RecordingEvents(boolean streaming) {
        this.streaming = streaming;
    }

    static RecordingEvents lifecycle() {
        return new RecordingEvents(false);
    }

    static RecordingEvents all() {
        return new RecordingEvents(true);
    }

    @Override
    public void onStatus(LoopStatusParams params) {
        events.add(params);
    }

    @Override
    public void onProgress(LoopProgressParams params) {
        if (streaming) {
            events.add(params);
        }
    }

    @Override
    public void onOutput(LoopOutputParams params) {
        boolean tool = params.kind().equals("tool_call") || params.kind().equals("tool_result");
        if (streaming || tool) {
            events.add(params);
        }
    }

    @Override
    public void onIteration(LoopIterationParams params) {
        events.add(params);
    }

    @Override
    public void onApprovalRequested(ApprovalRequestedParams params) {
        events.add(params);
    }

    @Override
    public void onApprovalResolved(ApprovalResolvedParams params) {
        events.add(params);
    }

    @Override
    public void onMemoryChanged(MemoryChangedParams params) {
        events.add(params);
    }

    Object next() {
        try {
            Object event = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (event == null) {
                fail("no event within " + WAIT_SECONDS + " s");
            }
            return event;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    <T> T assertNext(Class<T> type) {
        Object event = next();
        return assertInstanceOf(type, event, "next event");
    }

    LoopStatusParams assertNextStatus(String status) {
        LoopStatusParams params = assertNext(LoopStatusParams.class);
        assertEquals(status, params.status(), "status (reason: " + params.reason() + ")");
        return params;
    }

    LoopIterationParams assertNextIteration(int index) {
        LoopIterationParams params = assertNext(LoopIterationParams.class);
        assertEquals(index, params.record().index());
        return params;
    }

    MemoryChangedParams assertNextMemoryChanged() {
        return assertNext(MemoryChangedParams.class);
    }

    ApprovalRequestedParams assertNextApprovalRequested(String tool) {
        ApprovalRequestedParams params = assertNext(ApprovalRequestedParams.class);
        assertEquals(tool, params.approval().tool());
        assertNotNull(params.approval().approvalId());
        return params;
    }

    ApprovalResolvedParams assertNextApprovalResolved(String approvalId, String decision) {
        ApprovalResolvedParams params = assertNext(ApprovalResolvedParams.class);
        assertEquals(approvalId, params.approvalId());
        assertEquals(decision, params.decision());
        return params;
    }

    LoopOutputParams assertNextOutput(String kind) {
        LoopOutputParams params = assertNext(LoopOutputParams.class);
        assertEquals(kind, params.kind());
        return params;
    }

    /** One completed iteration: its progress-log line (memory changed), then the iteration. */
    LoopIterationParams assertNextIterationWithMemory(int index) {
        assertNextMemoryChanged();
        return assertNextIteration(index);
    }

    /** Skips events until a status; returns it. */
    LoopStatusParams awaitStatus(String status) {
        while (true) {
            Object event = next();
            if (event instanceof LoopStatusParams s && s.status().equals(status)) {
                return s;
            }
        }
    }

    /** Skips events until an approval is requested; returns its id. */
    String awaitApproval() {
        while (true) {
            Object event = next();
            if (event instanceof ApprovalRequestedParams a) {
                return a.approval().approvalId();
            }
        }
    }

    void assertExhausted() {
        try {
            Object event = events.poll(100, TimeUnit.MILLISECONDS);
            assertNull(event, "no more events expected");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
