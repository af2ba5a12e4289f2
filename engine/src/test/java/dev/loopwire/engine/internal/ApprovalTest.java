package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.EngineFixture.approval;
import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.LoopException;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalRule;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.ToolCall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApprovalTest {

    @TempDir
    Path temp;

    private static final String DONE = "ok\n<promise>DONE</promise>";

    private static ScriptedTestProvider guardedThenDone(String... commands) {
        var calls = new dev.loopwire.engine.spi.ToolCallRequest[commands.length];
        for (int i = 0; i < commands.length; i++) {
            calls[i] = call("g" + i, "guarded", Map.of("cmd", commands[i]));
        }
        return new ScriptedTestProvider(List.of(tools("running", calls), text(DONE)));
    }

    private record Run(DefaultLoopEngine engine, RecordingEvents events, String loopId) {
    }

    private Run start(EngineFixture fx, ScriptedTestProvider provider, ApprovalConfig approval) throws Exception {
        DefaultLoopEngine engine = fx.engine(provider);
        RecordingEvents events = RecordingEvents.lifecycle();
        engine.subscribe(events);
        LoopSnapshot s = engine.start(fx.params("goal", null, approval, true));
        events.assertNextStatus("created");
        events.assertNextStatus("running");
        return new Run(engine, events, s.loopId());
    }

    @Test
    void askModeGatesGuardedToolAndAllowOnceRunsIt() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Run run = start(fx, guardedThenDone("make test"), null);
        try (DefaultLoopEngine engine = run.engine()) {
            ApprovalRequestedParams asked = run.events().assertNextApprovalRequested("guarded");
            PendingApproval approval = asked.approval();
            assertEquals("guarded: make test", approval.title());
            assertEquals(List.of("allow_once", "allow_always", "reject_once", "reject_always"),
                    approval.options().stream().map(o -> o.decision()).toList());
            assertTrue(approval.approvalId().matches("ap-[0-9a-f]{32}"));
            var status = run.events().assertNextStatus("awaiting_approval");
            assertTrue(status.recommendedAction().contains("loopwire approve " + run.loopId() + " "
                    + approval.approvalId()), status.recommendedAction());
            assertEquals(0, fx.guarded.runs.get());
            assertEquals(approval.approvalId(), engine.get(run.loopId()).loop().pendingApproval().approvalId());
            assertEquals(1, engine.pendingApprovals().size());

            LoopSnapshot after = engine.approve(new ApproveParams(run.loopId(), approval.approvalId(), "allow_once", null));
            assertNull(after.pendingApproval());
            run.events().assertNextApprovalResolved(approval.approvalId(), "allow_once");
            run.events().assertNextStatus("running");
            run.events().assertNextOutput("tool_call");
            assertEquals("ok", run.events().assertNextOutput("tool_result").toolCall().status());
            run.events().assertNextIterationWithMemory(1);
            run.events().assertNextIterationWithMemory(2);
            run.events().assertNextStatus("succeeded");
            run.events().assertExhausted();
            assertEquals(1, fx.guarded.runs.get());

            LoopException stale = assertThrows(LoopException.class, () -> engine.approve(
                    new ApproveParams(run.loopId(), approval.approvalId(), "allow_once", null)));
            assertEquals(ErrorCode.STALE_APPROVAL, stale.code());
        }
    }

    @Test
    void rejectOnceSendsTheNoteToTheModelAndTheLoopGoesOn() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = guardedThenDone("rm -rf build");
        Run run = start(fx, provider, null);
        try (DefaultLoopEngine engine = run.engine()) {
            String id = run.events().assertNextApprovalRequested("guarded").approval().approvalId();
            run.events().assertNextStatus("awaiting_approval");
            engine.approve(new ApproveParams(run.loopId(), id, "reject_once", "use make clean"));
            run.events().assertNextApprovalResolved(id, "reject_once");
            run.events().assertNextStatus("running");
            ToolCall rejected = run.events().assertNextOutput("tool_result").toolCall();
            assertEquals("rejected", rejected.status());
            assertTrue(rejected.output().contains("use make clean"), rejected.output());
            run.events().awaitStatus("succeeded");
            assertEquals(0, fx.guarded.runs.get());
            var history = provider.requests.get(1).history();
            var toolMessage = history.get(history.size() - 1);
            assertTrue(toolMessage.isError());
            assertTrue(toolMessage.text().contains("use make clean"));
        }
    }

    @Test
    void allowAlwaysIsRememberedPersistedAndAppliesToLaterCallsInTheSameTurn() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Run run = start(fx, guardedThenDone("make", "make", "make install"), null);
        try (DefaultLoopEngine engine = run.engine()) {
            String id = run.events().assertNextApprovalRequested("guarded").approval().approvalId();
            run.events().assertNextStatus("awaiting_approval");
            engine.approve(new ApproveParams(run.loopId(), id, "allow_always", null));
            run.events().assertNextApprovalResolved(id, "allow_always");
            run.events().assertNextStatus("running");
            run.events().assertNextOutput("tool_call");
            run.events().assertNextOutput("tool_result");
            run.events().assertNextOutput("tool_call");
            run.events().assertNextOutput("tool_result");
            // a different command still asks
            String second = run.events().assertNextApprovalRequested("guarded").approval().approvalId();
            assertNotEquals(id, second);
            run.events().assertNextStatus("awaiting_approval");
            assertEquals(2, fx.guarded.runs.get());
            String state = Files.readString(loopDir(fx, run.loopId()).resolve("state.json"));
            assertTrue(state.contains("\"rememberedRules\" : [ {") && state.contains("\"match\" : \"make\""), state);
            engine.approve(new ApproveParams(run.loopId(), second, "reject_always", null));
            run.events().awaitStatus("succeeded");
        }
    }

    @Test
    void onRejectStopEndsTheLoopApprovalDeniedAndResumable() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Run run = start(fx, guardedThenDone("deploy", "deploy again"), approval("ask", "stop"));
        try (DefaultLoopEngine engine = run.engine()) {
            String id = run.events().assertNextApprovalRequested("guarded").approval().approvalId();
            run.events().assertNextStatus("awaiting_approval");
            engine.approve(new ApproveParams(run.loopId(), id, "reject_once", "no deploys"));
            run.events().assertNextApprovalResolved(id, "reject_once");
            run.events().assertNextStatus("running");
            assertEquals("rejected", run.events().assertNextOutput("tool_result").toolCall().status());
            assertEquals("cancelled", run.events().assertNextOutput("tool_result").toolCall().status());
            IterationRecord record = run.events().assertNextIterationWithMemory(1).record();
            assertEquals(2, record.toolCalls().size());
            var denied = run.events().assertNextStatus("approval_denied");
            assertTrue(denied.resumable());
            assertTrue(denied.reason().contains("rejected guarded"), denied.reason());
            run.events().assertExhausted();
            engine.resume(run.loopId(), null);
            run.events().assertNextStatus("running");
            run.events().awaitStatus("succeeded");
        }
    }

    @Test
    void autoModeAsksNothingAndDenyModeRefusesWhatWouldAsk() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Run auto = start(fx, guardedThenDone("make"), approval("auto", null));
        try (DefaultLoopEngine engine = auto.engine()) {
            auto.events().assertNextOutput("tool_call");
            assertEquals("ok", auto.events().assertNextOutput("tool_result").toolCall().status());
            auto.events().awaitStatus("succeeded");
        }
        EngineFixture fx2 = new EngineFixture(temp.resolve("deny"));
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(tools("both",
                call("e", "echo", Map.of("text", "x")), call("g", "guarded", Map.of("cmd", "make"))), text(DONE)));
        Run deny = start(fx2, provider, approval("deny", null));
        try (DefaultLoopEngine engine = deny.engine()) {
            deny.events().assertNextOutput("tool_call");
            assertEquals("ok", deny.events().assertNextOutput("tool_result").toolCall().status());
            ToolCall refused = deny.events().assertNextOutput("tool_result").toolCall();
            assertEquals("denied", refused.status());
            assertTrue(refused.output().contains("approval mode deny"), refused.output());
            deny.events().awaitStatus("succeeded");
            assertEquals(0, fx2.guarded.runs.get());
        }
    }

    @Test
    void rulesAreCheckedFirstAndTheFirstMatchWins() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(tools("rules",
                call("a", "guarded", Map.of("cmd", "ls -la")),
                call("b", "guarded", Map.of("cmd", "rm -rf /")),
                call("c", "echo", Map.of("text", "secret plan"))), text(DONE)));
        Run run = start(fx, provider, approval("ask", null,
                new ApprovalRule("guarded", "ls *", "allow"),
                new ApprovalRule("*", "rm *", "deny"),
                new ApprovalRule("echo", "secret*", "ask")));
        try (DefaultLoopEngine engine = run.engine()) {
            run.events().assertNextOutput("tool_call");
            assertEquals("ok", run.events().assertNextOutput("tool_result").toolCall().status());
            ToolCall denied = run.events().assertNextOutput("tool_result").toolCall();
            assertEquals("denied", denied.status());
            assertTrue(denied.output().contains("rm *"), denied.output());
            String id = run.events().assertNextApprovalRequested("echo").approval().approvalId();
            engine.approve(new ApproveParams(run.loopId(), id, "allow_once", null));
            run.events().awaitStatus("succeeded");
            assertEquals(1, fx.guarded.runs.get());
            assertEquals(1, fx.echo.runs.get());
        }
    }

    @Test
    void unknownOrWrongApprovalIdsChangeNothing() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Run run = start(fx, guardedThenDone("make"), null);
        try (DefaultLoopEngine engine = run.engine()) {
            String id = run.events().assertNextApprovalRequested("guarded").approval().approvalId();
            run.events().assertNextStatus("awaiting_approval");
            Path state = loopDir(fx, run.loopId()).resolve("state.json");
            byte[] before = Files.readAllBytes(state);
            LoopException unknown = assertThrows(LoopException.class, () -> engine.approve(
                    new ApproveParams(run.loopId(), "ap-0000", "allow_once", null)));
            assertEquals(ErrorCode.STALE_APPROVAL, unknown.code());
            assertTrue(unknown.getMessage().contains(id), unknown.getMessage());
            LoopException badDecision = assertThrows(LoopException.class, () -> engine.approve(
                    new ApproveParams(run.loopId(), id, "maybe", null)));
            assertEquals(ErrorCode.INVALID_PARAMS, badDecision.code());
            LoopException unknownLoop = assertThrows(LoopException.class, () -> engine.approve(
                    new ApproveParams("nope", id, "allow_once", null)));
            assertEquals(ErrorCode.UNKNOWN_LOOP, unknownLoop.code());
            assertArrayEquals(before, Files.readAllBytes(state));
            assertEquals("awaiting_approval", engine.get(run.loopId()).loop().status());
            run.events().assertExhausted();
        }
    }

    @Test
    void anUnansweredApprovalExpiresAndResumingAsksAgainWithANewId() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Run run = start(fx, guardedThenDone("make"), new ApprovalConfig("ask", null, null, null, 0.2));
        try (DefaultLoopEngine engine = run.engine()) {
            PendingApproval first = run.events().assertNextApprovalRequested("guarded").approval();
            assertTrue(first.expiresAt() != null);
            run.events().assertNextStatus("awaiting_approval");
            run.events().assertNextApprovalResolved(first.approvalId(), "expired");
            var expired = run.events().assertNextStatus("approval_expired");
            assertTrue(expired.resumable());
            LoopException late = assertThrows(LoopException.class, () -> engine.approve(
                    new ApproveParams(run.loopId(), first.approvalId(), "allow_once", null)));
            assertEquals(ErrorCode.STALE_APPROVAL, late.code());
            engine.resume(run.loopId(), null);
            run.events().assertNextStatus("running");
            String second = run.events().assertNextApprovalRequested("guarded").approval().approvalId();
            assertNotEquals(first.approvalId(), second);
            engine.approve(new ApproveParams(run.loopId(), second, "allow_once", null));
            run.events().awaitStatus("succeeded");
            assertEquals(1, fx.guarded.runs.get());
        }
    }

    @Test
    void aPendingApprovalSurvivesAnEngineRestartWithTheSameId() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = guardedThenDone("make");
        Run run = start(fx, provider, null);
        String id = run.events().assertNextApprovalRequested("guarded").approval().approvalId();
        run.events().assertNextStatus("awaiting_approval");
        run.engine().close();
        assertEquals(1, provider.requests.size());

        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            engine.openWorkspace(fx.workspace);
            assertEquals(id, engine.pendingApprovals().get(0).approval().approvalId());
            assertEquals("awaiting_approval", engine.get(run.loopId()).loop().status());
            engine.approve(new ApproveParams(run.loopId(), id, "allow_once", null));
            events.assertNextApprovalResolved(id, "allow_once");
            events.assertNextStatus("running");
            events.awaitStatus("succeeded");
            // the turn received before the restart was not requested again
            assertEquals(List.of(0, 1), provider.requests.stream().map(r -> r.callIndex()).toList());
            assertEquals(1, fx.guarded.runs.get());
        }
    }

    @Test
    void twoAnswersAtOnceApplyExactlyOne() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        Run run = start(fx, guardedThenDone("make"), null);
        try (DefaultLoopEngine engine = run.engine()) {
            String id = run.events().assertNextApprovalRequested("guarded").approval().approvalId();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.CompletableFuture<String>> answers = new java.util.ArrayList<>();
            for (String decision : List.of("allow_once", "reject_once", "allow_always", "reject_always")) {
                answers.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        engine.approve(new ApproveParams(run.loopId(), id, decision, null));
                        return "applied";
                    } catch (LoopException e) {
                        return e.code().name();
                    } catch (InterruptedException e) {
                        return "interrupted";
                    }
                }));
            }
            go.countDown();
            List<String> outcomes = answers.stream().map(java.util.concurrent.CompletableFuture::join).toList();
            assertEquals(1, outcomes.stream().filter("applied"::equals).count(), outcomes.toString());
            assertEquals(3, outcomes.stream().filter("STALE_APPROVAL"::equals).count(), outcomes.toString());
            run.events().awaitStatus("succeeded");
            assertTrue(fx.guarded.runs.get() <= 1);
        }
    }

    @Test
    void invalidArgumentsAndUnknownToolsGoBackToTheModelAsStructuredErrors() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(tools("bad",
                call("a", "echo", Map.of("txt", "typo")),
                call("b", "launch_rockets", Map.of()),
                new dev.loopwire.engine.spi.ToolCallRequest("c", "echo", Map.of(), "{not json")), text(DONE)));
        Run run = start(fx, provider, null);
        try (DefaultLoopEngine engine = run.engine()) {
            run.events().awaitStatus("succeeded");
            assertEquals(0, fx.echo.runs.get());
            // plan validation: nothing ran; the provider was asked again within iteration 1 with the errors
            var retry = provider.requests.get(1);
            assertEquals(1, retry.iteration());
            var history = retry.history();
            String a = history.get(history.size() - 3).text();
            assertTrue(a.contains("\"invalid_arguments\"") && a.contains("text: expected a string"), a);
            String b = history.get(history.size() - 2).text();
            assertTrue(b.contains("\"unknown_tool\"") && b.contains("echo"), b);
            String c = history.get(history.size() - 1).text();
            assertTrue(c.contains("not a JSON object"), c);
        }
    }

    static Path loopDir(EngineFixture fx, String loopId) {
        return fx.workspace.resolve(".loopwire/loops").resolve(loopId);
    }
}
