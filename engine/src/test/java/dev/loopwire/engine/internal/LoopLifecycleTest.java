package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatusParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LoopLifecycleTest {

    @TempDir
    Path temp;

    @Test
    void runsIterationsWithToolsUntilTheDoneToken() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("Echoing first.", call("c1", "echo", Map.of("text", "hi"))),
                text("All good.\n<promise>DONE</promise>\n")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            LoopSnapshot started = engine.start(fx.params("say hi"));
            String id = started.loopId();
            assertTrue(id.matches("\\d{8}-\\d{6}-test-[0-9a-f]{4}"), id);

            events.assertNextStatus("created");
            events.assertNextStatus("running");
            assertEquals("tool_call", events.assertNextOutput("tool_call").kind());
            assertEquals("ok", events.assertNextOutput("tool_result").toolCall().status());
            IterationRecord first = events.assertNextIterationWithMemory(1).record();
            assertEquals("Echoing first.", first.summary());
            assertEquals("continue", first.outcome());
            IterationRecord second = events.assertNextIterationWithMemory(2).record();
            assertEquals("done", second.outcome());
            assertEquals("All good.", second.summary());
            LoopStatusParams done = events.assertNextStatus("succeeded");
            assertFalse(done.resumable());
            assertNotNull(done.recommendedAction());
            events.assertExhausted();

            GetLoopResult got = engine.get(id);
            assertEquals("succeeded", got.loop().status());
            assertEquals(2, got.iterations().size());
            assertEquals(2, got.loop().usage().iterations());
            assertEquals(240, got.loop().usage().inputTokens() + got.loop().usage().outputTokens());
            assertEquals(0.02, got.loop().usage().costUsd(), 1e-9);
            assertEquals(1, fx.echo.runs.get());

            // the model saw its tool result in the next turn's history
            var history = provider.requests.get(1).history();
            assertEquals("tool", history.get(history.size() - 1).role());
            assertEquals("echo: hi", history.get(history.size() - 1).text());
            assertEquals(1, provider.requests.get(1).callIndex());

            String memory = engine.memory(id).content();
            assertTrue(memory.contains("## Goal\n\nsay hi"), memory);
            assertTrue(memory.contains("- #1: Echoing first."), memory);
            assertTrue(memory.contains("- #2: All good."), memory);

            Path dir = fx.workspace.resolve(".loopwire/loops/" + id);
            for (String f : List.of("loop.json", "state.json", "journal.jsonl", "memory.md")) {
                assertTrue(Files.exists(dir.resolve(f)), f);
            }
        }
    }
}
