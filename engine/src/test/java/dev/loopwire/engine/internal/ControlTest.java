package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.block;
import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.fail;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.LoopException;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ControlTest {

    @TempDir
    Path temp;

    private static final String DONE = "done\n<promise>DONE</promise>";

    @Test
    void cancelDuringAProviderTurnEndsCancelled() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("one"), block()));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("cancel me")).loopId();
            assertTrue(provider.blocked.await(10, TimeUnit.SECONDS));
            LoopSnapshot s = engine.cancel(id);
            assertEquals("cancelled", s.status());
            assertFalse(s.resumable());
            events.assertNextStatus("created");
            events.assertNextStatus("running");
            events.assertNextIterationWithMemory(1);
            events.assertNextMemoryChanged(); // "(cancelled)" progress line of iteration 2
            events.assertNextStatus("cancelled");
            events.assertExhausted();
            IterationRecord cancelled = engine.get(id).iterations().get(1);
            assertEquals("cancelled", cancelled.outcome());
            LoopException again = assertThrows(LoopException.class, () -> engine.cancel(id));
            assertEquals(ErrorCode.WRONG_STATE, again.code());
            LoopException resume = assertThrows(LoopException.class, () -> engine.resume(id, null));
            assertEquals(ErrorCode.WRONG_STATE, resume.code());
        }
    }

    @Test
    void cancelDuringAToolEndsCancelled() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(tools("wait", call("w", "wait", Map.of()))));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            String id = engine.start(fx.params("cancel me")).loopId();
            assertTrue(fx.blocking.started.await(10, TimeUnit.SECONDS));
            assertEquals("cancelled", engine.cancel(id).status());
            assertEquals("cancelled", engine.get(id).loop().status());
        }
    }

    @Test
    void cancelWhileAwaitingApprovalWithdrawsIt() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(tools("g",
                call("g", "guarded", Map.of("cmd", "x")))));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("cancel me")).loopId();
            String approvalId = events.awaitApproval();
            LoopSnapshot s = engine.cancel(id);
            assertEquals("cancelled", s.status());
            assertNull(s.pendingApproval());
            assertTrue(engine.pendingApprovals().isEmpty());
            events.assertNextStatus("awaiting_approval");
            events.assertNextApprovalResolved(approvalId, "withdrawn");
            events.assertNextMemoryChanged();
            events.assertNextStatus("cancelled");
            assertEquals(0, fx.guarded.runs.get());
        }
    }

    @Test
    void cancelDuringTheIntervalWait() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("one"), text("two")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.withInterval(fx.params("slowly"), 3600)).loopId();
            events.assertNextStatus("created");
            events.assertNextStatus("running");
            events.assertNextIterationWithMemory(1);
            events.assertNextStatus("waiting");
            assertEquals("cancelled", engine.cancel(id).status());
            events.assertNextStatus("cancelled");
            events.assertExhausted();
            assertEquals(1, provider.requests.size());
        }
    }

    @Test
    void stepModeRunsOneIterationAtATime() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("first"), text(DONE)));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            LoopSnapshot created = engine.start(fx.params("step", null, null, false));
            assertEquals("created", created.status());
            assertTrue(created.resumable());
            events.assertNextStatus("created");
            events.assertExhausted();
            assertTrue(provider.requests.isEmpty());

            IterationRecord first = engine.step(created.loopId()).get(10, TimeUnit.SECONDS);
            assertEquals(1, first.index());
            assertEquals("paused", engine.get(created.loopId()).loop().status());
            events.assertNextStatus("running");
            events.assertNextIterationWithMemory(1);
            events.assertNextStatus("paused");

            IterationRecord second = engine.step(created.loopId()).get(10, TimeUnit.SECONDS);
            assertEquals("done", second.outcome());
            events.assertNextStatus("running");
            events.assertNextIterationWithMemory(2);
            events.assertNextStatus("succeeded");
            LoopException over = assertThrows(LoopException.class, () -> engine.step(created.loopId()));
            assertEquals(ErrorCode.WRONG_STATE, over.code());
        }
    }

    @Test
    void stepWaitsForAnApprovalAndIsRefusedWhileOneIsPending() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(tools("g",
                call("g", "guarded", Map.of("cmd", "x")))));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("step", null, null, false)).loopId();
            CompletableFuture<IterationRecord> step = engine.step(id);
            String approvalId = events.awaitApproval();
            assertFalse(step.isDone());
            LoopException busy = assertThrows(LoopException.class, () -> engine.step(id));
            assertEquals(ErrorCode.WRONG_STATE, busy.code());
            assertTrue(busy.getMessage().contains(approvalId), busy.getMessage());
            engine.approve(new dev.loopwire.protocol.ApproveParams(id, approvalId, "allow_once", null));
            IterationRecord record = step.get(10, TimeUnit.SECONDS);
            assertEquals("ok", record.toolCalls().get(0).status());
            assertEquals("paused", engine.get(id).loop().status());
        }
    }

    @Test
    void cancellingTheStepFutureLeavesTheLoopPaused() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(block()));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            String id = engine.start(fx.params("step", null, null, false)).loopId();
            CompletableFuture<IterationRecord> step = engine.step(id);
            assertTrue(provider.blocked.await(10, TimeUnit.SECONDS));
            step.cancel(true);
            assertEquals("paused", engine.get(id).loop().status());
            assertTrue(engine.get(id).loop().resumable());
        }
    }

    @Test
    void pauseStopsAfterTheCurrentIterationAndResumeContinues() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(tools("g",
                call("g", "guarded", Map.of("cmd", "x"))), text("two"), text(DONE)));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("pause")).loopId();
            String approvalId = events.awaitApproval();
            events.assertNextStatus("awaiting_approval");
            assertEquals("awaiting_approval", engine.pause(id).status());
            engine.approve(new dev.loopwire.protocol.ApproveParams(id, approvalId, "allow_once", null));
            events.assertNextApprovalResolved(approvalId, "allow_once");
            events.assertNextStatus("running");
            events.assertNextOutput("tool_call");
            events.assertNextOutput("tool_result");
            events.assertNextIterationWithMemory(1);
            var paused = events.assertNextStatus("paused");
            assertTrue(paused.resumable());
            assertEquals("Continue it: loopwire resume " + id, paused.recommendedAction());
            events.assertExhausted();
            assertEquals("paused", engine.pause(id).status());
            engine.resume(id, null);
            events.assertNextStatus("running");
            events.assertNextIterationWithMemory(2);
            events.assertNextIterationWithMemory(3);
            events.assertNextStatus("succeeded");
            LoopException late = assertThrows(LoopException.class, () -> engine.pause(id));
            assertEquals(ErrorCode.WRONG_STATE, late.code());
        }
    }

    @Test
    void aProviderFailureFailsTheLoopAndResumeRetriesTheSameCall() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("one"), fail("HTTP 500 from upstream")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("fail")).loopId();
            var failed = events.awaitStatus("failed");
            assertTrue(failed.reason().contains("HTTP 500 from upstream"), failed.reason());
            assertTrue(failed.resumable());
            engine.resume(id, null);
            events.awaitStatus("failed");
            assertEquals(List.of(0, 1, 1), provider.requests.stream().map(r -> r.callIndex()).toList());
            assertEquals(List.of(1, 2, 2), provider.requests.stream().map(r -> r.iteration()).toList());
        }
    }

    @Test
    void scriptRunningOutFailsWithAClearReason() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(text("one")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            engine.start(fx.params("runs out"));
            assertTrue(events.awaitStatus("failed").reason().contains("the script has no turn 2"));
        }
    }

    @Test
    void unknownLoopsAreRefused() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        try (DefaultLoopEngine engine = fx.engine(new ScriptedTestProvider(List.of()))) {
            for (var call : List.<ThrowingCall>of(() -> engine.get("x"), () -> engine.cancel("x"),
                    () -> engine.pause("x"), () -> engine.resume("x", null), () -> engine.step("x"),
                    () -> engine.memory("x"))) {
                LoopException e = assertThrows(LoopException.class, call::run);
                assertEquals(ErrorCode.UNKNOWN_LOOP, e.code());
            }
        }
    }

    interface ThrowingCall {
        void run() throws Exception;
    }
}
