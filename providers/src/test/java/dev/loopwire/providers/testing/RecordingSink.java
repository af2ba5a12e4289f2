package dev.loopwire.providers.testing;

import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A sink that records every event in order, as "kind:payload" strings and typed lists. */
public final class RecordingSink implements TurnSink {

    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<String> texts = new CopyOnWriteArrayList<>();
    public final List<String> thoughts = new CopyOnWriteArrayList<>();
    public final List<ToolCallRequest> calls = new CopyOnWriteArrayList<>();
    public final List<String> results = new CopyOnWriteArrayList<>();
    public final List<String> logs = new CopyOnWriteArrayList<>();
    private volatile Consumer<String> onText = s -> { };

    public RecordingSink onText(Consumer<String> listener) {
        this.onText = listener;
        return this;
    }

    @Override
    public void text(String delta) {
        texts.add(delta);
        events.add("text:" + delta);
        onText.accept(delta);
    }

    @Override
    public void thought(String delta) {
        thoughts.add(delta);
        events.add("thought:" + delta);
    }

    @Override
    public void toolCall(ToolCallRequest call) {
        calls.add(call);
        events.add("toolCall:" + call.id() + ":" + call.name());
    }

    @Override
    public void toolResult(String toolCallId, String toolName, String output, boolean isError) {
        results.add(toolCallId + ":" + toolName + ":" + isError + ":" + output);
        events.add("toolResult:" + toolCallId);
    }

    @Override
    public void log(String line) {
        logs.add(line);
        events.add("log:" + line);
    }

    public String text() {
        return String.join("", texts);
    }
}
