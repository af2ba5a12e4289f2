package dev.loopwire.engine.internal;

import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.OutputKind;
import dev.loopwire.protocol.ToolCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Turns a provider's stream into {@code loop/output} events. Deltas are not journaled (the
 * assembled turn is); a CLI agent's own tool calls and results are collected for the record.
 *
 * <p>Text and thought deltas are coalesced: a delta after a quiet spell of {@link #WINDOW_MILLIS}
 * goes out at once; deltas that follow it sooner are merged and go out together when that window
 * has passed since the last output, when {@link #MAX_CHARS} are pending, before any other event
 * (tool call, tool result, log line, a switch between text and thought) and when the turn ends
 * ({@link #close()}, also on cancel and on errors). So a burst of deltas becomes one
 * {@code loop/output} per window instead of one per delta, no output waits longer than the window,
 * order is kept, and the concatenated text is exactly the deltas'. Redaction applies to each
 * output as sent, so a secret split across merged deltas is redacted whole.
 */
final class StreamSink implements TurnSink, AutoCloseable {

    /** The coalescing window. */
    static final long WINDOW_MILLIS = 15;
    /** Pending characters that are sent at once, without waiting for the window. */
    static final int MAX_CHARS = 4096;
    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);

    private final LoopRuntime rt;
    private final int iteration;
    private final List<ToolCall> agentCalls = new ArrayList<>();
    private final UnaryOperator<String> redact;
    private final int generation;
    /** Runs the window's flush; null: every delta goes out on its own. */
    private final ScheduledExecutorService scheduler;

    /** Guards the pending deltas and orders every output of this sink. */
    private final Object lock = new Object();
    private final StringBuilder pending = new StringBuilder();
    private OutputKind pendingKind;
    private ScheduledFuture<?> flushTask;
    private long lastOutputNanos;
    private boolean anyOutput;
    private boolean closed;

    /** @param generation the run this turn belongs to: once it is abandoned, its stream is dropped */
    StreamSink(LoopRuntime rt, int iteration, UnaryOperator<String> redact, int generation) {
        this(rt, iteration, redact, generation, null);
    }

    /** @param scheduler runs the coalescing window's flush (null: no coalescing) */
    StreamSink(LoopRuntime rt, int iteration, UnaryOperator<String> redact, int generation,
            ScheduledExecutorService scheduler) {
        this.rt = rt;
        this.iteration = iteration;
        this.redact = redact;
        this.generation = generation;
        this.scheduler = scheduler;
    }

    private boolean abandoned() {
        synchronized (rt) {
            return rt.generation != generation;
        }
    }

    @Override
    public void text(String delta) {
        stream(OutputKind.TEXT, delta);
    }

    @Override
    public void thought(String delta) {
        stream(OutputKind.THOUGHT, delta);
    }

    /** Sends what is pending; later deltas go out on their own. Called when the provider's turn ended. */
    @Override
    public void close() {
        synchronized (lock) {
            flushPending();
            closed = true;
        }
    }

    private void stream(OutputKind kind, String text) {
        synchronized (lock) {
            if (pendingKind != null && pendingKind != kind) {
                flushPending();
            }
            long now = System.nanoTime();
            if (scheduler == null || closed || (pendingKind == null && (!anyOutput
                    || now - lastOutputNanos >= WINDOW_NANOS))) {
                sent(kind, redact.apply(text), null);
                return;
            }
            if (pendingKind == null) {
                pendingKind = kind;
                long delay = Math.max(0, lastOutputNanos + WINDOW_NANOS - now);
                try {
                    flushTask = scheduler.schedule(this::flushFromWindow, delay, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    pending.append(text);
                    flushPending(); // the engine is closing: nothing waits for a window
                    return;
                }
            }
            pending.append(text);
            if (pending.length() >= MAX_CHARS) {
                flushPending();
            }
        }
    }

    private void flushFromWindow() {
        synchronized (lock) {
            flushPending();
        }
    }

    /** Under {@link #lock}. */
    private void flushPending() {
        if (pendingKind == null) {
            return;
        }
        OutputKind kind = pendingKind;
        String text = pending.toString();
        pendingKind = null;
        pending.setLength(0);
        if (flushTask != null) {
            flushTask.cancel(false);
            flushTask = null;
        }
        sent(kind, redact.apply(text), null);
    }

    /** Under {@link #lock}: one output, in order. Text and thoughts are redacted as sent (whole, when merged). */
    private void sent(OutputKind kind, String text, ToolCall call) {
        lastOutputNanos = System.nanoTime();
        anyOutput = true;
        output(kind, text, call);
    }

    /** Any other event: what is pending first, then the event. */
    private void event(OutputKind kind, String text, ToolCall call) {
        synchronized (lock) {
            flushPending();
            sent(kind, text, call);
        }
    }

    @Override
    public void toolCall(ToolCallRequest call) {
        ToolCall c = new ToolCall(call.id(), call.name(), call.input(), "pending", null);
        synchronized (agentCalls) {
            agentCalls.add(c);
        }
        event(OutputKind.TOOL_CALL, null, c);
    }

    @Override
    public void toolResult(String toolCallId, String toolName, String output, boolean isError) {
        ToolCall done;
        synchronized (agentCalls) {
            int at = -1;
            for (int i = 0; i < agentCalls.size(); i++) {
                if (agentCalls.get(i).id() != null && agentCalls.get(i).id().equals(toolCallId)) {
                    at = i;
                }
            }
            ToolCall started = at >= 0 ? agentCalls.get(at) : null;
            done = new ToolCall(toolCallId, toolName != null ? toolName : started == null ? null : started.name(),
                    started == null ? null : started.input(), isError ? "error" : "ok", redact.apply(output));
            if (at >= 0) {
                agentCalls.set(at, done);
            } else {
                agentCalls.add(done);
            }
        }
        event(OutputKind.TOOL_RESULT, null, done);
    }

    @Override
    public void log(String raw) {
        if (abandoned()) {
            return;
        }
        String line = redact.apply(raw);
        try {
            rt.journal("log", LoopRuntime.fields("iteration", iteration, "line", line));
        } catch (IOException e) {
            // the line still reaches clients below
        }
        event(OutputKind.LOG, line, null);
    }

    List<ToolCall> agentToolCalls() {
        synchronized (agentCalls) {
            return new ArrayList<>(agentCalls);
        }
    }

    private void output(OutputKind kind, String text, ToolCall call) {
        if (abandoned()) {
            return; // nothing follows a cancelled or checkpointed run's final status
        }
        LoopOutputParams params = new LoopOutputParams(rt.loopId(), iteration, kind.wire(), text, call);
        rt.emit(l -> l.onOutput(params));
    }
}
