package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.withUsage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.LoopException;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.LoopStatusParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BudgetTest {

    @TempDir
    Path temp;

    @Test
    void maxIterationsExhaustsAndResumeWithALargerBudgetContinues() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("one"), text("two"), text("three"),
                text("four\n<promise>DONE</promise>")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("count", new Budget(2, null, null, null), null, true)).loopId();
            events.assertNextStatus("created");
            events.assertNextStatus("running");
            events.assertNextIterationWithMemory(1);
            events.assertNextIterationWithMemory(2);
            LoopStatusParams exhausted = events.assertNextStatus("budget_exhausted");
            assertTrue(exhausted.resumable());
            assertEquals("iteration budget used: 2 of 2 iterations", exhausted.reason());
            assertEquals("Resume with a larger budget: loopwire resume " + id + " --max-iterations 4",
                    exhausted.recommendedAction());
            events.assertExhausted();

            LoopException still = assertThrows(LoopException.class, () -> engine.resume(id, null));
            assertEquals(ErrorCode.WRONG_STATE, still.code());
            assertTrue(still.getMessage().contains("no budget left"), still.getMessage());
            LoopException bad = assertThrows(LoopException.class, () -> engine.resume(id, new Budget(-1, null, null, null)));
            assertEquals(ErrorCode.INVALID_LOOP_CONFIG, bad.code());

            engine.resume(id, new Budget(10, null, null, null));
            events.assertNextStatus("running");
            events.assertNextIterationWithMemory(3);
            events.assertNextIterationWithMemory(4);
            events.assertNextStatus("succeeded");
            assertEquals(10, engine.get(id).loop().budget().maxIterations());
            String config = Files.readString(fx.workspace.resolve(".loopwire/loops/" + id + "/loop.json"));
            assertTrue(config.contains("\"maxIterations\" : 10"), config);
            assertEquals(4, provider.requests.size());
        }
    }

    @Test
    void maxTokensAndMaxCostExhaust() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(withUsage("a", 400, 200, 0.3),
                withUsage("b", 400, 200, 0.3), withUsage("c", 400, 200, null)));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("tokens", new Budget(null, 1000L, null, null), null, true)).loopId();
            LoopStatusParams s = events.awaitStatus("budget_exhausted");
            assertEquals("token budget used: 1200 of 1000 tokens", s.reason());
            assertEquals(Long.valueOf(1000 - 600), provider.requests.get(1).maxOutputTokens());
            var usage = engine.get(id).loop().usage();
            assertEquals(800, usage.inputTokens());
            assertEquals(0.6, usage.costUsd(), 1e-9);
        }
        EngineFixture fx2 = new EngineFixture(temp.resolve("cost"));
        ScriptedTestProvider provider2 = new ScriptedTestProvider(List.of(withUsage("a", 1, 1, 0.3),
                withUsage("b", 1, 1, 0.3), withUsage("c", 1, 1, 0.3)));
        try (DefaultLoopEngine engine = fx2.engine(provider2)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            engine.start(fx2.params("cost", new Budget(null, null, null, 0.5), null, true));
            assertEquals("cost budget used: $0.6000 of $0.5000", events.awaitStatus("budget_exhausted").reason());
        }
    }

    @Test
    void anUnknownCostStaysUnknown() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(withUsage("a\n<promise>DONE</promise>", 1, 1, null)));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("free")).loopId();
            events.awaitStatus("succeeded");
            assertNull(engine.get(id).loop().usage().costUsd());
        }
    }

    @Test
    void maxWallSecondsCountsActiveTime() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        fx.clock = new SteppingClock(1_000);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("a"), text("b"), text("c")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("slow", new Budget(null, null, 2.0, null), null, true)).loopId();
            LoopStatusParams s = events.awaitStatus("budget_exhausted");
            assertTrue(s.reason().startsWith("time budget used: ran "), s.reason());
            assertTrue(engine.get(id).loop().usage().elapsedSeconds() >= 2.0);
        }
    }

    @Test
    void aCustomDoneTokenIsHonoured() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("<promise>DONE</promise>"),
                text("ALL DONE")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.withDoneToken(fx.params("custom"), "ALL DONE")).loopId();
            events.awaitStatus("succeeded");
            assertEquals(2, engine.get(id).iterations().size());
            assertTrue(provider.requests.get(0).system().contains("ALL DONE"));
        }
    }
}
