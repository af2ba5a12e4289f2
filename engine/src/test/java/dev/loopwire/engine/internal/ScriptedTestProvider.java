package dev.loopwire.engine.internal;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.engine.spi.TurnUsage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;

/**
 * Test double: answers provider call {@code callIndex} with turn number {@code callIndex} of its
 * script (like the real scripted provider), streaming the text in chunks. Turns can also block
 * until cancelled, fail with a {@link ProviderException}, or crash with an {@link Error}.
 */
final class ScriptedTestProvider implements Provider {

    /** One scripted answer. */
    record Turn(String text, List<ToolCallRequest> toolCalls, TurnUsage usage, Behaviour behaviour, String failure) {
        enum Behaviour { ANSWER, BLOCK, FAIL, UNAVAILABLE, CRASH }
    }

    static Turn text(String text) {
        return new Turn(text, List.of(), new TurnUsage(100, 20, 0, 0.01), Turn.Behaviour.ANSWER, null);
    }

    static Turn tools(String text, ToolCallRequest... calls) {
        return new Turn(text, List.of(calls), new TurnUsage(100, 20, 0, 0.01), Turn.Behaviour.ANSWER, null);
    }

    static Turn withUsage(String text, long in, long out, Double cost) {
        return new Turn(text, List.of(), new TurnUsage(in, out, 0, cost), Turn.Behaviour.ANSWER, null);
    }

    static Turn block() {
        return new Turn("", List.of(), null, Turn.Behaviour.BLOCK, null);
    }

    static Turn fail(String message) {
        return new Turn("", List.of(), null, Turn.Behaviour.FAIL, message);
    }

    static Turn crash() {
        return new Turn("", List.of(), null, Turn.Behaviour.CRASH, null);
    }

    static ToolCallRequest call(String id, String name, Map<String, Object> input) {
        return new ToolCallRequest(id, name, input);
    }

    private final List<Turn> script;
    final List<TurnRequest> requests = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch blocked = new CountDownLatch(1);
    private final boolean runsOwnTools;

    ScriptedTestProvider(List<Turn> script) {
        this(script, false);
    }

    ScriptedTestProvider(List<Turn> script, boolean runsOwnTools) {
        this.script = List.copyOf(script);
        this.runsOwnTools = runsOwnTools;
    }

    @Override
    public boolean runsOwnTools() {
        return runsOwnTools;
    }

    @Override
    public TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel)
            throws ProviderException, InterruptedException {
        requests.add(request);
        if (request.callIndex() >= script.size()) {
            throw new ProviderException(ProviderException.Kind.FATAL, "the script has no turn "
                    + (request.callIndex() + 1) + " (it has " + script.size() + ")");
        }
        Turn turn = script.get(request.callIndex());
        switch (turn.behaviour()) {
            case BLOCK -> {
                CountDownLatch cancelled = new CountDownLatch(1);
                try (AutoCloseable hook = cancel.onCancel(cancelled::countDown)) {
                    blocked.countDown();
                    cancelled.await();
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                throw new CancellationException("cancelled");
            }
            case FAIL -> throw new ProviderException(ProviderException.Kind.FATAL, turn.failure());
            case UNAVAILABLE -> throw new ProviderException(ProviderException.Kind.UNAVAILABLE, turn.failure());
            case CRASH -> throw new AssertionError("simulated crash in the provider");
            default -> {
            }
        }
        String text = turn.text();
        for (int i = 0; i < text.length(); i += 7) {
            sink.text(text.substring(i, Math.min(text.length(), i + 7)));
        }
        if (runsOwnTools) {
            // a CLI agent runs its own tools and reports them while it streams
            for (ToolCallRequest call : turn.toolCalls()) {
                sink.toolCall(call);
                sink.toolResult(call.id(), call.name(), "agent ran " + call.name(), false);
            }
            return new TurnResult(text, List.of(), turn.usage(), "exit:0");
        }
        return new TurnResult(text, turn.toolCalls(), turn.usage(), turn.toolCalls().isEmpty() ? "end_turn" : "tool_use");
    }
}
