package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.withUsage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.LoopException;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.ScheduleConfig;
import dev.loopwire.protocol.ScheduledRun;
import dev.loopwire.protocol.StartLoopParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled loops: runs on an interval with a run history, bad intervals, cancel, pause, restart. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ScheduleTest {

    private static final String DONE = "\n<promise>DONE</promise>";

    @TempDir
    Path temp;

    private static StartLoopParams scheduled(StartLoopParams p, String every) {
        return new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(), p.provider(),
                p.budget(), p.approval(), p.autoRun(), p.name(), p.check(), p.judge(), p.stop(), p.waits(),
                new ScheduleConfig(every), p.doneToken());
    }

    @Test
    void twoRunsHappenEachWithAFreshBudgetAndConversationAndAreKeptInTheHistory() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        // run 1 uses its one iteration without finishing; run 2 gets a fresh budget and finishes
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(withUsage("first pass", 100, 20, 0.01),
                withUsage("second pass" + DONE, 300, 40, 0.03)));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(scheduled(fx.params("report", EngineFixture.iterations(1), null, true), "1s"))
                    .loopId();
            events.awaitStatus("budget_exhausted");
            LoopStatusParams waiting = events.awaitStatus("waiting");
            assertTrue(waiting.reason().startsWith("run 1 ended budget_exhausted"), waiting.reason());
            assertTrue(waiting.reason().contains("; next run 2 at "), waiting.reason());
            events.awaitStatus("running");
            events.awaitStatus("succeeded");
            LoopStatusParams again = events.awaitStatus("waiting");
            assertTrue(again.reason().startsWith("run 2 ended succeeded"), again.reason());

            GetLoopResult got = engine.get(id);
            assertEquals("waiting", got.loop().status());
            List<ScheduledRun> runs = got.runs();
            assertEquals(2, runs.size());
            assertEquals(List.of(1, 2), runs.stream().map(ScheduledRun::run).toList());
            assertEquals(List.of("budget_exhausted", "succeeded"), runs.stream().map(ScheduledRun::status).toList());
            assertEquals(List.of(1, 1), runs.stream().map(ScheduledRun::iterations).toList());
            assertEquals(300, runs.get(1).inputTokens());
            assertEquals(40, runs.get(1).outputTokens());
            assertEquals(0.03, runs.get(1).costUsd(), 1e-9);
            assertTrue(runs.get(1).startedAt().compareTo(runs.get(0).endedAt()) >= 0, runs.toString());
            assertEquals(2, got.iterations().size(), "iterations are numbered on across runs");
            assertTrue(provider.requests.get(1).history().isEmpty(), "run 2 starts a fresh conversation");

            String memory = engine.memory(id).content();
            int run1 = memory.indexOf("Run 1 (started");
            int run2 = memory.indexOf("Run 2 (started");
            assertTrue(run1 >= 0 && run2 > run1, memory);
            assertTrue(memory.indexOf("first pass") > run1 && memory.indexOf("first pass") < run2, memory);

            Path dir = fx.workspace.resolve(".loopwire/loops").resolve(id);
            String journal = Files.readString(dir.resolve(LoopDir.JOURNAL));
            assertEquals(2, journal.split("\"type\":\"run_ended\"", -1).length - 1, journal);
            assertTrue(Files.readString(dir.resolve(LoopDir.STATE_JSON)).contains("\"runs\""));

            engine.cancel(id);
            assertEquals("cancelled", engine.get(id).loop().status());
            assertEquals(2, engine.get(id).runs().size(), "a cancel during the wait adds no run");
        }
    }

    @Test
    void badIntervalsAreRefusedWithAnExampleAndCreateNoLoop() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        try (DefaultLoopEngine engine = fx.engine(new ScriptedTestProvider(List.of(text("x"))))) {
            for (String bad : new String[] {"5x", "0s", "-1m", "", "1.5m", "5", "m5"}) {
                LoopException e = assertThrows(LoopException.class,
                        () -> engine.start(scheduled(fx.params("bad"), bad)), bad);
                assertEquals(ErrorCode.INVALID_LOOP_CONFIG, e.code(), bad);
                assertTrue(e.getMessage().contains("for example {\"every\": \"5m\"}"), e.getMessage());
            }
            LoopException tooSmall = assertThrows(LoopException.class,
                    () -> engine.start(scheduled(fx.params("bad"), "0m")));
            assertTrue(tooSmall.getMessage().contains("at least 1s"), tooSmall.getMessage());
            assertTrue(engine.list(fx.workspace).isEmpty(), "no loop was created");
            assertEquals(Duration.ofMinutes(5), dev.loopwire.engine.internal.schedule.Interval.parse("5m"));
            assertEquals(Duration.ofDays(1), dev.loopwire.engine.internal.schedule.Interval.parse("1d"));
            assertEquals(Duration.ofHours(2), dev.loopwire.engine.internal.schedule.Interval.parse("2h"));
            assertEquals(Duration.ofSeconds(30), dev.loopwire.engine.internal.schedule.Interval.parse("30s"));
        }
    }

    @Test
    void pauseDuringTheWaitThenResumeRunsAtOnceAndCancelDuringTheWaitStopsTheSchedule() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("one" + DONE), text("two" + DONE),
                text("three" + DONE)));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(scheduled(fx.params("daily"), "1d")).loopId();
            events.awaitStatus("waiting");
            assertEquals("paused", engine.pause(id).status());
            engine.resume(id, null); // a resume between runs starts the next run at once
            events.awaitStatus("succeeded");
            events.awaitStatus("waiting");
            assertEquals(2, engine.get(id).runs().size());

            assertEquals("cancelled", engine.cancel(id).status());
            events.awaitStatus("cancelled");
            GetLoopResult got = engine.get(id);
            assertEquals(2, got.runs().size());
            assertEquals(2, provider.requests.size(), "no run after the cancel");
            LoopException e = assertThrows(LoopException.class, () -> engine.resume(id, null));
            assertEquals(ErrorCode.WRONG_STATE, e.code());
        }
    }

    @Test
    void aCancelDuringARunRecordsItAndEndsTheSchedule() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("one" + DONE),
                ScriptedTestProvider.block()));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(scheduled(fx.params("hourly"), "1s")).loopId();
            events.awaitStatus("waiting");
            assertTrue(provider.blocked.await(10, TimeUnit.SECONDS), "run 2 began");
            engine.cancel(id);
            List<ScheduledRun> runs = engine.get(id).runs();
            assertEquals(List.of("succeeded", "cancelled"), runs.stream().map(ScheduledRun::status).toList());
            assertEquals("cancelled", engine.get(id).loop().status());
        }
    }

    @Test
    void aRestartKeepsTheScheduleAndAMissedRunRunsAtOnce() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("one" + DONE), text("two" + DONE)));
        String id;
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            id = engine.start(scheduled(fx.params("daily"), "1d")).loopId();
            events.awaitStatus("waiting");
        } // close: the engine stops while the loop waits a day for run 2
        fx.clock = Clock.offset(Clock.systemUTC(), Duration.ofDays(2));
        try (DefaultLoopEngine second = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            second.subscribe(events);
            second.openWorkspace(fx.workspace);
            events.awaitStatus("running"); // not interrupted: run 2 was due, so it runs at once
            events.awaitStatus("succeeded");
            LoopStatusParams waiting = events.awaitStatus("waiting");
            assertTrue(waiting.reason().startsWith("run 2 ended succeeded"), waiting.reason());
            assertEquals(List.of(1, 2), second.get(id).runs().stream().map(ScheduledRun::run).toList());
            assertEquals(2, provider.requests.size());
            String journal = Files.readString(fx.workspace.resolve(".loopwire/loops").resolve(id)
                    .resolve(LoopDir.JOURNAL));
            assertTrue(journal.contains("\"type\":\"schedule_restored\""), journal);
            assertTrue(!journal.contains("\"status\":\"interrupted\""), journal);
        }
    }
}
