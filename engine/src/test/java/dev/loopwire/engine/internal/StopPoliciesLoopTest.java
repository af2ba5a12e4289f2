package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.engine.tools.BuiltinTools;
import dev.loopwire.protocol.CheckConfig;
import dev.loopwire.protocol.FailureStreak;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.JudgeConfig;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.StopConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Check command, judge, no progress, stagnation and failure streaks, end to end on scripted turns. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StopPoliciesLoopTest {

    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "no_progress", "budget_exhausted",
            "cancelled", "paused", "approval_denied");

    @TempDir
    Path temp;

    private static ScriptedTestProvider.Turn write(String text, String path, String content) {
        return tools(text, call(null, "write_file", Map.of("path", path, "content", content)));
    }

    private StartLoopParams params(EngineFixture fx, int maxIterations, CheckConfig check, JudgeConfig judge,
            StopConfig stop) {
        StartLoopParams p = fx.params("make it pass", EngineFixture.iterations(maxIterations),
                EngineFixture.approval("auto", null), true);
        return new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(), p.provider(),
                p.budget(), p.approval(), p.autoRun(), p.name(), check, judge, stop, p.waits(), p.schedule(),
                p.doneToken());
    }

    private static DefaultLoopEngine engine(EngineFixture fx, Provider provider, Provider judge) {
        TestProviderRegistry registry = new TestProviderRegistry().with("scripted", provider);
        if (judge != null) {
            registry.with("judge", judge);
        }
        return new DefaultLoopEngine(fx.options(registry), BuiltinTools.all(), StoreObserver.NONE);
    }

    private static LoopStatusParams end(RecordingEvents events) {
        while (true) {
            if (events.next() instanceof LoopStatusParams s && TERMINAL.contains(s.status())) {
                return s;
            }
        }
    }

    private record Run(LoopStatusParams end, GetLoopResult loop) {
    }

    private Run run(EngineFixture fx, Provider provider, Provider judge, StartLoopParams params) throws Exception {
        try (DefaultLoopEngine engine = engine(fx, provider, judge)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(params).loopId();
            LoopStatusParams end = end(events);
            return new Run(end, engine.get(id));
        }
    }

    @Test
    void checkCommandRejectsAFalseDoneClaimAndItsOutputTailSteersTheNextPrompt() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                text("all done\n<promise>DONE</promise>"),
                write("writing the marker\n<promise>DONE</promise>", "done.txt", "ok\n")));
        CheckConfig check = new CheckConfig("test -f done.txt || { echo 'FAIL: done.txt is missing'; exit 3; }",
                30.0, null);
        Run run = run(fx, provider, null, params(fx, 5, check, null, null));

        assertEquals("succeeded", run.end().status(), run.end().reason());
        assertTrue(run.end().reason().contains("the check `") && run.end().reason().contains("passed"),
                run.end().reason());
        assertEquals(2, run.loop().iterations().size());
        assertEquals("continue", run.loop().iterations().get(0).outcome(), "the first claim was rejected");
        String second = provider.requests.get(1).prompt();
        assertTrue(second.contains("FAIL: done.txt is missing"), second);
        assertTrue(second.contains("exit 3") && second.contains("rejected"), second);
        String first = provider.requests.get(0).prompt();
        assertFalse(first.contains("FAIL"), first);
    }

    @Test
    void checkEveryIterationSucceedsWithoutAClaimOnceItPasses() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                text("looking around"),
                write("writing the result", "out.txt", "42\n"),
                text("never asked")));
        Run run = run(fx, provider, null, params(fx, 5, new CheckConfig("test -f out.txt", null, "iteration"),
                null, null));
        assertEquals("succeeded", run.end().status(), run.end().reason());
        assertEquals(2, provider.requests.size());
        assertTrue(provider.requests.get(1).prompt().contains("The check `test -f out.txt` failed (exit 1)"),
                provider.requests.get(1).prompt());
    }

    @Test
    void checkCommandRunsInTheWorkspaceWithoutTheServersSecrets() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Files.writeString(fx.workspace.resolve("here.txt"), "x");
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("<promise>DONE</promise>"),
                text("<promise>DONE</promise>")));
        CheckConfig check = new CheckConfig("test -f here.txt && test -z \"$SECRET_TOKEN\"", null, null);
        Run run = run(fx, provider, null, params(fx, 5, check, null, null));
        assertEquals("succeeded", run.end().status(), run.end().reason());
        assertEquals(1, provider.requests.size());
    }

    @Test
    void noProgressStopsAfterNIterationsWithoutFileOrMemoryChange() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                text("thinking about a"), write("writing", "a.txt", "a"), text("thinking about b"),
                text("thinking about c"), text("thinking about d")));
        Run run = run(fx, provider, null, params(fx, 10, null, null, new StopConfig(2, 0, null)));
        assertEquals("no_progress", run.end().status(), run.end().reason());
        assertTrue(run.end().reason().startsWith("no progress: 2 iterations in a row"), run.end().reason());
        assertEquals(4, run.loop().iterations().size(), "the file write at iteration 2 reset the count");
    }

    @Test
    void aMemoryNoteCountsAsProgress() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                text("one"), tools("noting", call(null, "update_memory", Map.of("text", "found x"))),
                text("two"), text("three")));
        Run run = run(fx, provider, null, params(fx, 10, null, null, new StopConfig(2, 0, null)));
        assertEquals("no_progress", run.end().status(), run.end().reason());
        assertEquals(4, run.loop().iterations().size());
    }

    @Test
    void stagnationStopsOnTheSameNormalizedSummaryNTimes() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                text("Task complete."), text("task   COMPLETE."), text("Task complete."), text("unreached")));
        Run run = run(fx, provider, null, params(fx, 10, null, null, new StopConfig(0, 3, null)));
        assertEquals("no_progress", run.end().status());
        assertTrue(run.end().reason().startsWith("stagnation: the same summary 3 iterations in a row"),
                run.end().reason());
        assertEquals(3, provider.requests.size());
    }

    @Test
    void stagnationZeroDisables() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                text("same"), text("same"), text("same"), text("same")));
        Run run = run(fx, provider, null, params(fx, 4, null, null, new StopConfig(0, 0, null)));
        assertEquals("budget_exhausted", run.end().status(), run.end().reason());
    }

    @Test
    void identicalToolFailuresInARowFailTheLoopWithTheSignature() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider.Turn bad = tools("reading", call(null, "read_file", Map.of("path", "missing.txt")));
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(bad, bad, bad, bad, bad));
        Run run = run(fx, provider, null, params(fx, 10, null, null, new StopConfig(0, 0, null)));
        assertEquals("failed", run.end().status());
        assertTrue(run.end().reason().startsWith("3 identical failures in a row"), run.end().reason());
        assertTrue(run.end().reason().contains("signature: tool read_file:"), run.end().reason());
    }

    @Test
    void transientProviderErrorsCountAsFailuresOfAnyKindAndASuccessResetsThem() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider script = new ScriptedTestProvider(List.of(
                text("0"), text("1"), text("ok"), text("3"), text("4"), text("5"), text("6"), text("7")));
        Provider provider = new FailingCallsTestProvider(script, Set.of(0, 1, 3, 4, 5, 6));
        Run run = run(fx, provider, null, params(fx, 20, null, null,
                new StopConfig(0, 0, new FailureStreak(0, 4))));
        assertEquals("failed", run.end().status());
        assertTrue(run.end().reason().startsWith("4 failures in a row (stop.failureStreak.any = 4)"),
                run.end().reason());
        assertTrue(run.end().reason().contains("provider transient: upstream 503 at call 6"), run.end().reason());
        List<String> outcomes = run.loop().iterations().stream().map(r -> r.outcome()).toList();
        assertEquals(List.of("failed", "failed", "continue", "failed", "failed", "failed", "failed"), outcomes);
        assertTrue(run.loop().iterations().get(0).summary().startsWith("provider error: transient: upstream 503"),
                run.loop().iterations().get(0).summary());
    }

    @Test
    void judgeSatisfiedEndsTheLoopAndAnUnparseableAnswerIsNotSatisfied() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                text("first try\n<promise>DONE</promise>"), text("second try\n<promise>DONE</promise>")));
        ScriptedTestProvider judge = new ScriptedTestProvider(List.of(
                text("I think it looks fine"),
                text("```json\n{\"satisfied\": true, \"reason\": \"the report exists\"}\n```")));
        Run run = run(fx, provider, judge, params(fx, 5, null,
                new JudgeConfig(new ProviderSpec("judge", null, Map.of())), new StopConfig(0, 0, null)));
        assertEquals("succeeded", run.end().status(), run.end().reason());
        assertTrue(run.end().reason().contains("the judge is satisfied: the report exists"), run.end().reason());
        assertEquals(2, judge.requests.size());
        assertTrue(judge.requests.get(0).prompt().contains("make it pass")
                && judge.requests.get(0).prompt().contains("first try"), judge.requests.get(0).prompt());
        assertTrue(judge.requests.get(0).tools().isEmpty());
        String second = provider.requests.get(1).prompt();
        assertTrue(second.contains("The judge is not satisfied: unparseable judge answer: I think it looks fine"),
                second);
        String journal = Files.readString(Path.of(run.loop().loop().memoryPath()).resolveSibling("journal.jsonl"));
        assertTrue(journal.contains("\"judgeReason\":\"unparseable judge answer: I think it looks fine\""), journal);
    }

    @Test
    void aRateLimitIsWaitedOutWithinTheIterationCappedByMaxWait() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider script = new ScriptedTestProvider(List.of(text("hello\n<promise>DONE</promise>")));
        Provider provider = new RateLimitedTestProvider(script, 2, java.time.Duration.ofSeconds(600));
        StartLoopParams p = params(fx, 5, null, null, null);
        p = new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(), p.provider(),
                p.budget(), p.approval(), p.autoRun(), p.name(), p.check(), p.judge(), p.stop(),
                new dev.loopwire.protocol.WaitsConfig(null, 0.1, null), p.schedule(), p.doneToken());
        try (DefaultLoopEngine engine = engine(fx, provider, null)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(p).loopId();
            events.assertNextStatus("created");
            events.assertNextStatus("running");
            LoopStatusParams waiting = events.assertNextStatus("waiting");
            assertTrue(waiting.reason().startsWith("rate limited by scripted: cooling down 0.1 s before asking again"
                    + " (429 slow down)"), waiting.reason());
            events.assertNextStatus("running");
            events.assertNextStatus("waiting");
            events.assertNextStatus("running");
            events.assertNextIterationWithMemory(1);
            events.assertNextStatus("succeeded");
            assertEquals(1, engine.get(id).iterations().size(), "no iteration was burned");
        }
    }

    @Test
    void cancelEndsACoolDownAtOnce() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Provider provider = new RateLimitedTestProvider(new ScriptedTestProvider(List.of(text("x"))), 1,
                java.time.Duration.ofSeconds(120));
        try (DefaultLoopEngine engine = engine(fx, provider, null)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(params(fx, 5, null, null, null)).loopId();
            events.awaitStatus("waiting");
            long start = System.nanoTime();
            assertEquals("cancelled", engine.cancel(id).status());
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 30, "not the 120 s cool-down");
            assertEquals(List.of("cancelled"), engine.get(id).iterations().stream().map(r -> r.outcome()).toList());
        }
    }

    @Test
    void invalidToolArgumentsAreSentBackWithinTheIterationUntilTheyAreValid() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("writing", call("a", "write_file", Map.of("path", "x.txt"))),
                tools("writing again", call("b", "write_file", Map.of("path", "x.txt", "content", "hi"))),
                text("<promise>DONE</promise>")));
        Run run = run(fx, provider, null, params(fx, 5, null, null, null));
        assertEquals("succeeded", run.end().status(), run.end().reason());
        assertEquals(2, run.loop().iterations().size());
        assertEquals(List.of("ok"), run.loop().iterations().get(0).toolCalls().stream().map(c -> c.status()).toList());
        assertEquals("hi", Files.readString(fx.workspace.resolve("x.txt")));
        var retry = provider.requests.get(1);
        assertEquals(1, retry.iteration(), "asked again within iteration 1");
        assertTrue(retry.prompt().startsWith("Some of your tool calls were invalid"), retry.prompt());
        var errors = retry.history().get(retry.history().size() - 1);
        assertTrue(errors.text().contains("\"error\":\"invalid_arguments\"") && errors.text().contains("content"),
                errors.text());
        assertTrue(provider.requests.get(2).history().stream().noneMatch(m -> "writing".equals(m.text())),
                "the failed attempt is not kept in the conversation");
    }

    @Test
    void twoIterationsInARowEndingInvalidFailWithPlanFailed() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider.Turn bad = tools("oops", call(null, "no_such_tool", Map.of()));
        List<ScriptedTestProvider.Turn> turns = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            turns.add(bad);
        }
        ScriptedTestProvider provider = new ScriptedTestProvider(turns);
        Run run = run(fx, provider, null, params(fx, 10, null, null, new StopConfig(0, 0, new FailureStreak(0, 0))));
        assertEquals("failed", run.end().status());
        assertEquals("plan_failed: 2 iterations in a row ended with invalid tool arguments", run.end().reason());
        assertEquals(2, run.loop().iterations().size());
        assertEquals(8, provider.requests.size(), "1 call + 3 retries per iteration");
    }

    /** Test double: the first {@code times} calls are rate limited with a retry-after, then the script answers. */
    static final class RateLimitedTestProvider implements Provider {
        private final ScriptedTestProvider script;
        private final java.time.Duration retryAfter;
        private int remaining;

        RateLimitedTestProvider(ScriptedTestProvider script, int times, java.time.Duration retryAfter) {
            this.script = script;
            this.remaining = times;
            this.retryAfter = retryAfter;
        }

        @Override
        public TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel)
                throws ProviderException, InterruptedException {
            synchronized (this) {
                if (remaining > 0) {
                    remaining--;
                    throw new ProviderException(ProviderException.Kind.RATE_LIMITED, "429 slow down", retryAfter, null);
                }
            }
            return script.turn(request, sink, cancel);
        }
    }

    /** Test double: a scripted provider whose calls at the given indexes fail with a transient error. */
    static final class FailingCallsTestProvider implements Provider {
        private final ScriptedTestProvider script;
        private final Set<Integer> failing;

        FailingCallsTestProvider(ScriptedTestProvider script, Set<Integer> failing) {
            this.script = script;
            this.failing = failing;
        }

        @Override
        public TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel)
                throws ProviderException, InterruptedException {
            if (failing.contains(request.callIndex())) {
                throw new ProviderException(ProviderException.Kind.TRANSIENT,
                        "upstream 503 at call " + request.callIndex());
            }
            return script.turn(request, sink, cancel);
        }
    }
}
