package dev.loopwire.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.LoopEvents;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.engine.spi.TurnUsage;
import dev.loopwire.protocol.LoopOutputParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A burst of deltas becomes few {@code loop/output} events, in order, with the same text. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamCoalescingTest {

    private static final int BURST = 1000;

    @TempDir
    Path temp;

    /** Test double: a CLI-agent-like provider that streams bursts of thought and text deltas around a tool call. */
    static final class BurstTestProvider implements Provider {
        final StringBuilder thought = new StringBuilder();
        final StringBuilder before = new StringBuilder();
        final StringBuilder after = new StringBuilder();

        @Override
        public boolean runsOwnTools() {
            return true;
        }

        @Override
        public TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel) {
            for (int i = 0; i < BURST / 4; i++) {
                String d = "t" + i + " ";
                thought.append(d);
                sink.thought(d);
            }
            for (int i = 0; i < BURST; i++) {
                String d = "w" + i + (i % 50 == 49 ? "\n" : " ");
                before.append(d);
                sink.text(d);
            }
            ToolCallRequest call = new ToolCallRequest("c1", "Edit", Map.of("path", "a.txt"), null);
            sink.toolCall(call);
            sink.toolResult("c1", "Edit", "edited", false);
            for (int i = 0; i < 20; i++) {
                String d = "x" + i + " ";
                after.append(d);
                sink.text(d);
            }
            after.append("\n<promise>DONE</promise>");
            sink.text("\n<promise>DONE</promise>");
            return new TurnResult(before.toString() + after, List.of(), new TurnUsage(10, 10, 0, null), "exit:0");
        }
    }

    @Test
    void aBurstOfDeltasIsCoalescedInOrderWithTheSameText() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        BurstTestProvider provider = new BurstTestProvider();
        List<LoopOutputParams> outputs = run(fx, provider, "burst").outputs();
        // kinds in the order they were streamed: thoughts, text, the tool call and result, text
        List<String> kinds = new ArrayList<>();
        for (LoopOutputParams o : outputs) {
            if (kinds.isEmpty() || !kinds.get(kinds.size() - 1).equals(o.kind())) {
                kinds.add(o.kind());
            }
        }
        assertEquals(List.of("thought", "text", "tool_call", "tool_result", "text"), kinds);
        int toolAt = indexOf(outputs, "tool_call");
        assertEquals(provider.thought.toString(), joined(outputs.subList(0, toolAt), "thought"));
        assertEquals(provider.before.toString(), joined(outputs.subList(0, toolAt), "text"));
        assertEquals(provider.after.toString(), joined(outputs.subList(toolAt, outputs.size()), "text"));
        long textEvents = outputs.stream().filter(o -> o.kind().equals("text") || o.kind().equals("thought")).count();
        int deltas = BURST / 4 + BURST + 21;
        // one output per delta would be 1,271; coalesced it is a handful (the first delta at once,
        // then one per 15 ms window or 4 KB). The bound is loose on purpose: it fails only when
        // deltas are barely merged (no timing is asserted)
        assertTrue(textEvents < deltas / 2, textEvents + " outputs for " + deltas + " deltas");
        for (LoopOutputParams o : outputs) {
            if (o.text() != null) {
                assertTrue(o.text().length() <= StreamSink.MAX_CHARS + 16, "at most about 4 KB each");
            }
        }
    }

    /** Test double: streams a planted secret in three pieces with pauses longer than the window between them. */
    static final class SplitSecretTestProvider implements Provider {
        @Override
        public boolean runsOwnTools() {
            return true;
        }

        @Override
        public TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel) throws InterruptedException {
            String s = EngineFixture.SECRET;
            String[] deltas = {"The key is ", s.substring(0, 8), s.substring(8, 16), s.substring(16) + " and more",
                " text\n<promise>DONE</promise>"};
            for (String d : deltas) {
                sink.text(d);
                // pieces in different coalescing windows (a pause, not a timing assertion: the
                // result must be the same however long the pause is)
                Thread.sleep(3 * StreamSink.WINDOW_MILLIS);
            }
            return new TurnResult(String.join("", deltas), List.of(), new TurnUsage(10, 10, 0, null), "exit:0");
        }
    }

    @Test
    void aSecretStreamedInPiecesAcrossWindowsIsRedactedWhole() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        List<LoopOutputParams> outputs = run(fx, new SplitSecretTestProvider(), "split").outputs();
        String all = joined(outputs, "text");
        assertTrue(all.startsWith("The key is [REDACTED] and more text"), all);
        String s = EngineFixture.SECRET;
        for (LoopOutputParams o : outputs) {
            String text = String.valueOf(o.text());
            for (String piece : List.of(s.substring(0, 8), s.substring(8, 16), s.substring(16))) {
                assertTrue(!text.contains(piece), "a piece of the secret went out: " + text);
            }
        }
        assertTrue(outputs.stream().filter(o -> o.kind().equals("text")).count() >= 2,
                "the text still streams (the words around the secret are not held to the end)");
    }

    /** The value of a provider's key variable whose name does not look secret ("MY_LLM"): only the provider knows it. */
    static final String DECLARED = "declared-key-value-7Qm2Xz9Lp4";

    /** Test double: a provider that declares its key as a secret, then streams it whole and in pieces and quotes it in its summary line. */
    static final class DeclaringTestProvider implements Provider {
        @Override
        public boolean runsOwnTools() {
            return true;
        }

        @Override
        public java.util.Collection<String> secrets() {
            return List.of(DECLARED);
        }

        @Override
        public TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel) {
            sink.text("Using " + DECLARED + " now. ");
            sink.text(DECLARED.substring(0, 12));
            sink.text(DECLARED.substring(12) + " again.\n");
            sink.log("provider log with " + DECLARED);
            String text = "Summary: the key " + DECLARED + " worked.\n<promise>DONE</promise>";
            sink.text(text);
            return new TurnResult(text, List.of(), new TurnUsage(10, 10, 0, null), "exit:0");
        }
    }

    @Test
    void aSecretAProviderDeclaresIsRedactedEverywhere() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Run run = run(fx, new DeclaringTestProvider(), "declared");
        List<LoopOutputParams> outputs = run.outputs();
        assertTrue(!run.loopGet().contains(DECLARED.substring(0, 12)), "loop/get holds the key: " + run.loopGet());
        assertTrue(joined(outputs, "text").contains("[REDACTED]"));
        for (LoopOutputParams o : outputs) {
            String line = Json.line(o);
            assertTrue(!line.contains(DECLARED.substring(0, 12)) && !line.contains(DECLARED.substring(12)),
                    "an output holds (a piece of) the key: " + line);
        }
        try (var files = java.nio.file.Files.walk(fx.workspace.resolve(".loopwire"))) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                String content = java.nio.file.Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
                assertTrue(!content.contains(DECLARED), f + " holds the key");
            }
        }
    }

    /** What one loop on {@code provider} streamed, and its {@code loop/get} as JSON once it succeeded. */
    record Run(List<LoopOutputParams> outputs, String loopGet) {
    }

    private static Run run(EngineFixture fx, Provider provider, String name) throws Exception {
        List<LoopOutputParams> outputs = new CopyOnWriteArrayList<>();
        List<String> statuses = new CopyOnWriteArrayList<>();
        try (DefaultLoopEngine engine = new DefaultLoopEngine(fx.options(new TestProviderRegistry()
                .with("scripted", provider)), fx.tools, StoreObserver.NONE)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            engine.subscribe(new LoopEvents() {
                @Override
                public void onOutput(LoopOutputParams params) {
                    outputs.add(params);
                }

                @Override
                public void onStatus(dev.loopwire.protocol.LoopStatusParams params) {
                    statuses.add(params.status() + ": " + params.reason());
                }
            });
            String id = engine.start(fx.params(name, null, EngineFixture.approval("auto", null), true)).loopId();
            try {
                events.awaitStatus("succeeded");
            } catch (AssertionError e) {
                throw new AssertionError(statuses.toString(), e);
            }
            return new Run(outputs, Json.line(engine.get(id)));
        }
    }

    private static int indexOf(List<LoopOutputParams> outputs, String kind) {
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).kind().equals(kind)) {
                return i;
            }
        }
        return -1;
    }

    private static String joined(List<LoopOutputParams> outputs, String kind) {
        StringBuilder sb = new StringBuilder();
        outputs.stream().filter(o -> o.kind().equals(kind)).forEach(o -> sb.append(o.text()));
        return sb.toString();
    }
}
