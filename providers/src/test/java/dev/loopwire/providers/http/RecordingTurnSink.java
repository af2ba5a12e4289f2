package dev.loopwire.providers.http;

import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** A test {@link TurnSink} that keeps every call in order and counts down on the first text. */
public final class RecordingTurnSink implements TurnSink {

    /** Released by the first text delta. */
    public final CountDownLatch firstText = new CountDownLatch(1);
    private final List<String> events = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder thought = new StringBuilder();
    private final List<String> logs = new ArrayList<>();

    @Override
    public synchronized void text(String delta) {
        events.add("text:" + delta);
        text.append(delta);
        firstText.countDown();
    }

    @Override
    public synchronized void thought(String delta) {
        events.add("thought:" + delta);
        thought.append(delta);
    }

    @Override
    public synchronized void toolCall(ToolCallRequest call) {
        events.add("toolCall:" + call.name());
    }

    @Override
    public synchronized void log(String line) {
        events.add("log:" + line);
        logs.add(line);
    }

    public synchronized String text() {
        return text.toString();
    }

    public synchronized String thought() {
        return thought.toString();
    }

    public synchronized List<String> logs() {
        return List.copyOf(logs);
    }

    public synchronized List<String> events() {
        return List.copyOf(events);
    }

    /** Everything recorded, for "no secret anywhere" assertions. */
    public synchronized String all() {
        return String.join("\n", events);
    }
}
