package dev.loopwire.engine.internal;

import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.engine.tools.Redactor;
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
 * output as sent, and an end of the pending text that may begin a secret (a prefix of a secret
 * value, or a word a key format could still match) is held back until the next delta (or event,
 * or the turn's end) completes it, so a secret split across deltas, in one window or several, is
 * redacted whole while ordinary text is not delayed.
 */
final class StreamSink implements TurnSink, AutoCloseable {

    /** The coalescing window. */
    static final long WINDOW_MILLIS = 15;
    /** Pending characters that are sent at once, without waiting for the window. */
    static final int MAX_CHARS = 4096;
    /** The longest end held back for redaction; longer ones are sent as they are. */
    static final int MAX_HELD = 16_384;
    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS);

    private final LoopRuntime rt;
    private final int iteration;
    private final List<ToolCall> agentCalls = new ArrayList<>();
    private final Redactor redactor;
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

    /**
     * @param generation the run this turn belongs to: once it is abandoned, its stream is dropped
     * @param scheduler  runs the coalescing window's flush (null: no coalescing)
     */
    StreamSink(LoopRuntime rt, int iteration, Redactor redactor, int generation, ScheduledExecutorService scheduler) {
        this.rt = rt;
        this.iteration = iteration;
        this.redactor = redactor;
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
            flushPending(true);
            closed = true;
        }
    }

    private void stream(OutputKind kind, String text) {
        synchronized (lock) {
            if (pendingKind != null && pendingKind != kind) {
                flushPending(true);
            }
            if (closed) {
                sent(kind, redactor.redact(text), null);
                return;
            }
            pendingKind = kind;
            pending.append(text);
            long now = System.nanoTime();
            boolean quiet = !anyOutput || now - lastOutputNanos >= WINDOW_NANOS;
            if (scheduler == null || quiet || pending.length() >= MAX_CHARS) {
                flushPending(false);
                return;
            }
            if (flushTask == null) {
                long delay = Math.max(0, lastOutputNanos + WINDOW_NANOS - now);
                try {
                    flushTask = scheduler.schedule(this::flushFromWindow, delay, TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    flushPending(false); // the engine is closing: nothing waits for a window
                }
            }
        }
    }

    private void flushFromWindow() {
        synchronized (lock) {
            flushTask = null;
            flushPending(false);
        }
    }

    /**
     * Under {@link #lock}: sends what is pending. Unless {@code all}, an end that may be the
     * beginning of a secret ({@link Redactor#heldTail}) is held back until the next delta, event
     * or the turn's end, so that a secret streamed in pieces is redacted whole; a held end longer
     * than {@link #MAX_HELD} goes out as it is.
     */
    private void flushPending(boolean all) {
        if (pendingKind == null) {
            return;
        }
        if (flushTask != null) {
            flushTask.cancel(false);
            flushTask = null;
        }
        int cut = all ? pending.length() : safeCut();
        if (cut == 0) {
            return;
        }
        OutputKind kind = pendingKind;
        String text = pending.substring(0, cut);
        pending.delete(0, cut);
        if (pending.length() == 0) {
            pendingKind = null;
        }
        sent(kind, redactor.redact(text), null);
    }

    /** What of the pending text can go out now: all but an end that may begin a secret (held when short enough). */
    private int safeCut() {
        int held = redactor.heldTail(pending);
        return held > MAX_HELD ? pending.length() : pending.length() - held;
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
            flushPending(true);
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
                    started == null ? null : started.input(), isError ? "error" : "ok", redactor.redact(output));
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
        String line = redactor.redact(raw);
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
