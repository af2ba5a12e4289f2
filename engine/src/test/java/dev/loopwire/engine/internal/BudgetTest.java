package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.withUsage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.LoopEvents;
import dev.loopwire.engine.LoopException;
import dev.loopwire.engine.internal.stop.BudgetForecast;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.ScheduleConfig;
import dev.loopwire.protocol.StartLoopParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /** Input tokens the engine forecasts for a request (characters / 4), the same way the engine counts them. */
    private static long charsForecast(TurnRequest r) {
        return BudgetForecast.chars(r.system(), r.prompt(), r.history()) / BudgetForecast.CHARS_PER_TOKEN;
    }

    @Test
    void maxTokensAndMaxCostStopBeforeTheCallThatWouldPassThem() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(withUsage("a", 400, 200, 0.3),
                withUsage("b", 400, 200, 0.3), withUsage("c", 400, 200, null)));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("tokens", new Budget(null, 1000L, null, null), null, true)).loopId();
            LoopStatusParams s = events.awaitStatus("budget_exhausted");
            // 600 used; the next call needs at least the last call's 400 input tokens: 1000 reached, not called
            Matcher m = Pattern.compile("the next call needs about (\\d+) input tokens; 400 of 1000 tokens left")
                    .matcher(s.reason());
            assertTrue(m.matches(), s.reason());
            assertTrue(Long.parseLong(m.group(1)) >= 400, s.reason());
            assertEquals(1, provider.requests.size());
            TurnRequest first = provider.requests.get(0);
            assertEquals(Long.valueOf(1000 - charsForecast(first)), first.maxOutputTokens());
            var usage = engine.get(id).loop().usage();
            assertEquals(400, usage.inputTokens());
            assertEquals(0.3, usage.costUsd(), 1e-9);
            assertTrue(s.resumable());
        }
        EngineFixture fx2 = new EngineFixture(temp.resolve("cost"));
        ScriptedTestProvider provider2 = new ScriptedTestProvider(List.of(withUsage("a", 1, 1, 0.3),
                withUsage("b", 1, 1, 0.3), withUsage("c", 1, 1, 0.3)));
        try (DefaultLoopEngine engine = fx2.engine(provider2)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx2.params("cost", new Budget(null, null, null, 0.5), null, true)).loopId();
            String reason = events.awaitStatus("budget_exhausted").reason();
            // $0.30 spent, the next call costs about $0.30 or more: $0.60 would pass $0.50, so it is not made
            Matcher m = Pattern.compile("the next call would cost about \\$(0\\.\\d{4}); \\$0\\.2000 of \\$0\\.5000 left")
                    .matcher(reason);
            assertTrue(m.matches(), reason);
            assertTrue(Double.parseDouble(m.group(1)) >= 0.3, reason);
            assertEquals(1, provider2.requests.size());
            assertEquals(0.3, engine.get(id).loop().usage().costUsd(), 1e-9);
        }
    }

    @Test
    void aPromptLargerThanTheTokenBudgetIsNeverSent() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("a")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("tiny", new Budget(null, 50L, null, null), null, true)).loopId();
            LoopStatusParams s = events.awaitStatus("budget_exhausted");
            assertTrue(s.reason().matches("the next call needs about \\d+ input tokens; 50 of 50 tokens left"),
                    s.reason());
            assertEquals(0, provider.requests.size());
            assertEquals(0, engine.get(id).loop().usage().inputTokens());
        }
    }

    @Test
    void eachCallsMaxOutputTokensIsWhatTheBudgetLeavesAfterItsForecastInput() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(withUsage("a", 400, 200, null),
                withUsage("b", 3000, 200, null), withUsage("c\n<promise>DONE</promise>", 400, 200, null)));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            engine.start(fx.params("clamp", new Budget(null, 100_000L, null, null), null, true));
            events.awaitStatus("succeeded");
            assertEquals(3, provider.requests.size());
            TurnRequest first = provider.requests.get(0);
            TurnRequest second = provider.requests.get(1);
            TurnRequest third = provider.requests.get(2);
            assertEquals(Long.valueOf(100_000 - charsForecast(first)), first.maxOutputTokens());
            assertEquals(Long.valueOf(100_000 - 600 - Math.max(400, charsForecast(second))), second.maxOutputTokens());
            // the last call took 3,000 input tokens, more than its characters suggest: the forecast keeps that
            assertEquals(Long.valueOf(100_000 - 600 - 3200 - Math.max(3000, charsForecast(third))),
                    third.maxOutputTokens());
        }
    }

    @Test
    void anUnknownCostUnderACostBudgetIsSaidOnceAndStopsNothing() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(withUsage("a", 400, 200, null),
                withUsage("b", 400, 200, null), withUsage("c\n<promise>DONE</promise>", 400, 200, null)));
        List<String> logs = new CopyOnWriteArrayList<>();
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            engine.subscribe(new LoopEvents() {
                @Override
                public void onOutput(LoopOutputParams params) {
                    if (params.kind().equals("log")) {
                        logs.add(params.text());
                    }
                }
            });
            String id = engine.start(fx.params("unpriced", new Budget(null, null, null, 0.01), null, true)).loopId();
            events.awaitStatus("succeeded");
            assertEquals(3, provider.requests.size());
            assertNull(engine.get(id).loop().usage().costUsd());
            List<String> unknown = logs.stream().filter(l -> l.startsWith("cost unknown")).toList();
            assertEquals(1, unknown.size(), logs.toString());
            assertTrue(unknown.get(0).contains("maxCostUsd $0.0100 cannot be enforced"), unknown.get(0));
        }
    }

    @Test
    void aScheduledLoopsForecastCountsOnlyTheCurrentRun() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        // run 1 spends 4,500 of 5,000 tokens; run 2 has the whole budget again, so its call is made
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(withUsage("first pass", 1000, 3500, null),
                withUsage("second pass\n<promise>DONE</promise>", 1000, 100, null)));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            StartLoopParams p = fx.params("report", new Budget(1, 5000L, null, null), null, true);
            engine.start(new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(),
                    p.provider(), p.budget(), p.approval(), p.autoRun(), p.name(), p.check(), p.judge(), p.stop(),
                    p.waits(), new ScheduleConfig("1s"), p.doneToken()));
            assertEquals("iteration budget used: 1 of 1 iterations", events.awaitStatus("budget_exhausted").reason());
            events.awaitStatus("succeeded");
            events.awaitStatus("waiting"); // for run 3: the loop rests until then
            assertEquals(2, provider.requests.size());
            TurnRequest second = provider.requests.get(1);
            assertEquals(Long.valueOf(5000 - Math.max(1000, charsForecast(second))), second.maxOutputTokens());
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
