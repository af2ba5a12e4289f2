package dev.loopwire.providers.scripted.internal;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Plays back a {@link Script}: the turn for call {@code n} is {@code turns[n]}, where {@code n}
 * is {@link TurnRequest#callIndex()}, so a call retried after a crash gets the same turn. Text
 * and thoughts are streamed in several chunks; tool call ids are {@code call_<callIndex>_<k>}.
 */
public final class ScriptedProvider implements Provider {

    private final Script script;

    public ScriptedProvider(Script script) {
        this.script = script;
    }

    @Override
    public TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel)
            throws ProviderException, InterruptedException {
        int index = request.callIndex();
        List<Script.Turn> turns = script.turns();
        if (index < 0 || index >= turns.size()) {
            throw new ProviderException(ProviderException.Kind.FATAL, "the script " + script.file() + " has "
                    + turns.size() + " turn" + (turns.size() == 1 ? "" : "s")
                    + " and all were used; add turns or end with the done token");
        }
        Script.Turn turn = turns.get(index);
        cancel.throwIfCancelled();
        if (turn.delayMillis() > 0) {
            pause(turn.delayMillis(), cancel);
        }
        if (turn.error() != null) {
            throw new ProviderException(turn.error().kind(), turn.error().message(),
                    turn.error().retryAfter(), null);
        }
        if (turn.thought() != null) {
            for (String chunk : Chunks.split(turn.thought())) {
                cancel.throwIfCancelled();
                sink.thought(chunk);
            }
        }
        for (String chunk : Chunks.split(turn.text())) {
            cancel.throwIfCancelled();
            sink.text(chunk);
        }
        List<ToolCallRequest> calls = new ArrayList<>();
        for (int k = 0; k < turn.toolCalls().size(); k++) {
            Script.Call call = turn.toolCalls().get(k);
            calls.add(new ToolCallRequest("call_" + index + "_" + k, call.name(), call.input()));
        }
        cancel.throwIfCancelled();
        return new TurnResult(turn.text(), calls, turn.usage(), calls.isEmpty() ? "end_turn" : "tool_use");
    }

    /** Waits, returning early with CancellationException on cancel or InterruptedException. */
    private static void pause(long millis, Cancellation cancel) throws InterruptedException {
        CountDownLatch cancelled = new CountDownLatch(1);
        AutoCloseable registration = cancel.onCancel(cancelled::countDown);
        try {
            if (cancelled.await(millis, TimeUnit.MILLISECONDS)) {
                throw new CancellationException("cancelled");
            }
        } finally {
            try {
                registration.close();
            } catch (Exception e) {
                // the hook only counts a latch down
            }
        }
    }
}
