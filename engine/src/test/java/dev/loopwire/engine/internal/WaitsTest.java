package dev.loopwire.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.LoopEvents;
import dev.loopwire.engine.spi.ChatMessage;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.engine.spi.TurnUsage;
import dev.loopwire.engine.internal.waits.WaitHints;
import dev.loopwire.engine.tools.BuiltinTools;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.WaitsConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Waits between iterations with real processes: PID waits, the wait hint, the interval. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WaitsTest {

    @TempDir
    Path temp;

    private final List<Long> started = new CopyOnWriteArrayList<>();

    @AfterEach
    void killLeftovers() {
        System.clearProperty("loopwire.waits.heartbeatMillis");
        started.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    /**
     * Test double: turn 1 starts {@code command} in the background with {@code run_command};
     * turn 2 reports the PID the command printed ({@code textForPid}); turn 3 says done. Records
     * whether the background job still ran when turn 3 was asked for.
     */
    final class PidReportingTestProvider implements Provider {
        final String command;
        final Function<Long, String> textForPid;
        final List<TurnRequest> requests = Collections.synchronizedList(new ArrayList<>());
        volatile long pid;
        volatile Boolean aliveAtTurn3;

        PidReportingTestProvider(String command, Function<Long, String> textForPid) {
            this.command = command;
            this.textForPid = textForPid;
        }

        @Override
        public TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel)
                throws ProviderException, InterruptedException {
            requests.add(request);
            TurnUsage usage = new TurnUsage(100, 20, 0, 0.01);
            switch (request.callIndex()) {
                case 0 -> {
                    return new TurnResult("starting the job", List.of(new ToolCallRequest("bg", "run_command",
                            Map.of("command", command))), usage, "tool_use");
                }
                case 1 -> {
                    String output = request.history().stream().filter(m -> "tool".equals(m.role()))
                            .map(ChatMessage::text).reduce((a, b) -> b).orElse("");
                    Matcher m = Pattern.compile("PID=(\\d+)").matcher(output);
                    if (!m.find()) {
                        throw new ProviderException(ProviderException.Kind.FATAL, "no PID in " + output);
                    }
                    pid = Long.parseLong(m.group(1));
                    started.add(pid);
                    return new TurnResult(textForPid.apply(pid), List.of(), usage, "end_turn");
                }
                default -> {
                    aliveAtTurn3 = new ProcessHandleTestProbe().isAlive(pid);
                    return new TurnResult("measured.\n<promise>DONE</promise>", List.of(), usage, "end_turn");
                }
            }
        }
    }

    /** Test double: every status, progress and log output, in order. */
    static final class WaitRecordingEvents implements LoopEvents {
        final BlockingQueue<LoopStatusParams> statuses = new LinkedBlockingQueue<>();
        final List<LoopProgressParams> progress = new CopyOnWriteArrayList<>();
        final List<LoopOutputParams> logs = new CopyOnWriteArrayList<>();

        @Override
        public void onStatus(LoopStatusParams params) {
            statuses.add(params);
        }

        @Override
        public void onProgress(LoopProgressParams params) {
            progress.add(params);
        }

        @Override
        public void onOutput(LoopOutputParams params) {
            if ("log".equals(params.kind())) {
                logs.add(params);
            }
        }

        LoopStatusParams await(String status) throws InterruptedException {
            while (true) {
                LoopStatusParams s = statuses.poll(20, TimeUnit.SECONDS);
                if (s == null) {
                    throw new AssertionError("no status " + status);
                }
                if (s.status().equals(status)) {
                    return s;
                }
            }
        }

        List<String> waitMessages() {
            return progress.stream().filter(p -> "wait".equals(p.phase())).map(LoopProgressParams::message).toList();
        }
    }

    private DefaultLoopEngine engine(EngineFixture fx, Provider provider) {
        return new DefaultLoopEngine(fx.options(new TestProviderRegistry().with("scripted", provider)),
                BuiltinTools.all(), StoreObserver.NONE);
    }

    private static StartLoopParams params(EngineFixture fx, WaitsConfig waits) {
        StartLoopParams p = fx.params("measure", null, EngineFixture.approval("auto", null), true);
        return new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(), p.provider(),
                p.budget(), p.approval(), p.autoRun(), p.name(), p.check(), p.judge(), p.stop(), waits,
                p.schedule(), p.doneToken());
    }

    @Test
    void reportedPidIsWaitedForUntilItExitsWithHeartbeats() throws Exception {
        System.setProperty("loopwire.waits.heartbeatMillis", "100");
        EngineFixture fx = new EngineFixture(temp);
        PidReportingTestProvider provider = new PidReportingTestProvider(
                "sleep 1.5 >/dev/null 2>&1 & echo PID=$!", pid -> "job started <pid_number>" + pid + "</pid_number>");
        try (DefaultLoopEngine engine = engine(fx, provider)) {
            WaitRecordingEvents events = new WaitRecordingEvents();
            engine.subscribe(events);
            engine.start(params(fx, new WaitsConfig(null, 20.0, 0.05)));
            LoopStatusParams waiting = events.await("waiting");
            assertTrue(waiting.reason().contains("waiting for PID(s) " + provider.pid), waiting.reason());
            events.await("succeeded");
            assertEquals(Boolean.FALSE, provider.aliveAtTurn3, "the next turn came only after the job exited");
            List<String> waits = events.waitMessages();
            assertTrue(waits.stream().anyMatch(m -> m.startsWith("still waiting for PID(s) " + provider.pid)), waits.toString());
            assertTrue(waits.stream().anyMatch(m -> m.startsWith("PID(s) " + provider.pid + " exited after")), waits.toString());
            assertTrue(events.logs.isEmpty(), events.logs.toString());
        }
    }

    @Test
    void pidWaitGivesUpAtMaxWaitWithAClearReason() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        PidReportingTestProvider provider = new PidReportingTestProvider(
                "sleep 60 >/dev/null 2>&1 & echo PID=$!", pid -> "<pid_number>" + pid + "</pid_number>");
        try (DefaultLoopEngine engine = engine(fx, provider)) {
            WaitRecordingEvents events = new WaitRecordingEvents();
            engine.subscribe(events);
            String id = engine.start(params(fx, new WaitsConfig(null, 0.3, 0.05))).loopId();
            LoopStatusParams failed = events.await("failed");
            assertTrue(failed.reason().startsWith("gave up waiting for PID(s) " + provider.pid + " after 0.3 s"),
                    failed.reason());
            assertTrue(failed.resumable());
            assertEquals(2, provider.requests.size(), "no further turn");
            assertTrue(ProcessHandle.of(provider.pid).map(ProcessHandle::isAlive).orElse(false),
                    "the engine does not kill the agent's job");
            assertEquals("failed", engine.get(id).loop().status());
        }
    }

    @Test
    void cancelEndsAPidWaitAtOnce() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        PidReportingTestProvider provider = new PidReportingTestProvider(
                "sleep 60 >/dev/null 2>&1 & echo PID=$!", pid -> "<pid_number>" + pid + "</pid_number>");
        try (DefaultLoopEngine engine = engine(fx, provider)) {
            WaitRecordingEvents events = new WaitRecordingEvents();
            engine.subscribe(events);
            String id = engine.start(params(fx, new WaitsConfig(null, 600.0, 0.05))).loopId();
            events.await("waiting");
            assertEquals("cancelled", engine.cancel(id).status());
            assertEquals("cancelled", engine.get(id).loop().status());
            assertEquals(2, provider.requests.size());
        }
    }

    @Test
    void aPidThatIsAlreadyGoneIsWarnedAboutAndNotWaitedFor() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        PidReportingTestProvider provider = new PidReportingTestProvider("echo PID=$$",
                pid -> "<pid_number>" + pid + "</pid_number>");
        try (DefaultLoopEngine engine = engine(fx, provider)) {
            WaitRecordingEvents events = new WaitRecordingEvents();
            engine.subscribe(events);
            engine.start(params(fx, new WaitsConfig(null, 600.0, 0.05)));
            events.await("succeeded");
            assertEquals(1, events.logs.size(), events.logs.toString());
            String warning = events.logs.get(0).text();
            assertTrue(warning.startsWith("PID(s) " + provider.pid + " reported with <pid_number> had already exited"),
                    warning);
            assertTrue(events.waitMessages().isEmpty(), events.waitMessages().toString());
        }
    }

    @Test
    void waitHintIsCappedByMaxWait() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        PidReportingTestProvider provider = new PidReportingTestProvider("echo PID=1",
                pid -> "measuring; <wait_seconds>900</wait_seconds>");
        try (DefaultLoopEngine engine = engine(fx, provider)) {
            WaitRecordingEvents events = new WaitRecordingEvents();
            engine.subscribe(events);
            engine.start(params(fx, new WaitsConfig(null, 0.2, null)));
            LoopStatusParams waiting = events.await("waiting");
            assertEquals("waiting 0.2 s: the agent asked to wait 900 s (capped at waits.maxWaitSeconds 0.2 s)",
                    waiting.reason());
            events.await("succeeded");
            assertEquals(3, provider.requests.size());
        }
    }

    @Test
    void badWaitsAndAScheduleAreRejectedAndCreateNoLoop() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        try (DefaultLoopEngine engine = engine(fx, new PidReportingTestProvider("true", pid -> ""))) {
            for (WaitsConfig bad : List.of(new WaitsConfig(null, -1.0, null), new WaitsConfig(null, null, 0.0))) {
                dev.loopwire.engine.LoopException e = org.junit.jupiter.api.Assertions.assertThrows(
                        dev.loopwire.engine.LoopException.class, () -> engine.start(params(fx, bad)));
                assertEquals(dev.loopwire.protocol.ErrorCode.INVALID_LOOP_CONFIG, e.code());
                assertTrue(e.getMessage().startsWith("waits."), e.getMessage());
            }
            StartLoopParams p = params(fx, null);
            StartLoopParams scheduled = new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(),
                    p.args(), p.provider(), p.budget(), p.approval(), p.autoRun(), p.name(), p.check(), p.judge(),
                    p.stop(), p.waits(), new dev.loopwire.protocol.ScheduleConfig("5x"), p.doneToken());
            dev.loopwire.engine.LoopException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.loopwire.engine.LoopException.class, () -> engine.start(scheduled));
            assertTrue(e.getMessage().contains("schedule.every '5x' is not an interval"), e.getMessage());
            assertTrue(engine.list(fx.workspace).isEmpty(), "no loop was created");
        }
    }

    @Test
    void hintsAreParsed() {
        WaitHints hints = WaitHints.parse("a <wait_seconds>5</wait_seconds> b <pid_number> 12 </pid_number>"
                + "<pid_number>12</pid_number><pid_number>7</pid_number><wait_seconds>2.5</wait_seconds>"
                + "<pid_number>x</pid_number>");
        assertEquals(2.5, hints.waitSeconds().getAsDouble());
        assertEquals(List.of(12L, 7L), hints.pids());
        assertFalse(WaitHints.parse("nothing").waitSeconds().isPresent());
    }
}
