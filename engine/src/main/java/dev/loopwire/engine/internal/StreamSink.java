package dev.loopwire.engine.internal;

import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.OutputKind;
import dev.loopwire.protocol.ToolCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Turns a provider's stream into {@code loop/output} events. Deltas are not journaled (the
 * assembled turn is); a CLI agent's own tool calls and results are collected for the record.
 */
final class StreamSink implements TurnSink {

    private final LoopRuntime rt;
    private final int iteration;
    private final List<ToolCall> agentCalls = new ArrayList<>();
    private final UnaryOperator<String> redact;
    private final int generation;

    /** @param generation the run this turn belongs to: once it is abandoned, its stream is dropped */
    StreamSink(LoopRuntime rt, int iteration, UnaryOperator<String> redact, int generation) {
        this.rt = rt;
        this.iteration = iteration;
        this.redact = redact;
        this.generation = generation;
    }

    private boolean abandoned() {
        synchronized (rt) {
            return rt.generation != generation;
        }
    }

    @Override
    public void text(String delta) {
        output(OutputKind.TEXT, redact.apply(delta), null);
    }

    @Override
    public void thought(String delta) {
        output(OutputKind.THOUGHT, redact.apply(delta), null);
    }

    @Override
    public void toolCall(ToolCallRequest call) {
        ToolCall c = new ToolCall(call.id(), call.name(), call.input(), "pending", null);
        synchronized (agentCalls) {
            agentCalls.add(c);
        }
        output(OutputKind.TOOL_CALL, null, c);
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
        output(OutputKind.TOOL_RESULT, null, done);
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
        output(OutputKind.LOG, line, null);
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
