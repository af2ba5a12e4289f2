package dev.loopwire.engine.internal;

import dev.loopwire.protocol.ToolCall;
import java.util.List;
import java.util.stream.Collectors;

/** An iteration's summary: at most 500 characters, from the assistant's text. */
final class Summaries {

    static final int MAX = 500;

    private Summaries() {
    }

    static String of(String text, List<ToolCall> calls, String doneToken) {
        String body = text == null ? "" : text.lines()
                .filter(l -> !l.strip().equals(doneToken))
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .collect(Collectors.joining(" "));
        if (body.isBlank()) {
            body = calls.isEmpty() ? "(no text and no tool calls)"
                    : "called " + calls.stream().map(c -> c.name() + " (" + c.status() + ")")
                            .collect(Collectors.joining(", "));
        }
        return body.length() <= MAX ? body : body.substring(0, MAX - 1) + "…";
    }
}
