package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.LoopException;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.ErrorCode;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code approval.iterations} for CLI agents (providers that run their own tools). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentTurnApprovalTest {

    @TempDir
    Path temp;

    private static final String DONE = "finished\n<promise>DONE</promise>";

    private static ScriptedTestProvider agent(String... texts) {
        return new ScriptedTestProvider(java.util.Arrays.stream(texts).map(ScriptedTestProvider::text).toList(), true);
    }

    private static ApprovalConfig approval(String mode, String onReject, String iterations) {
        return new ApprovalConfig(mode, null, onReject, iterations, null);
    }

    private record Run(DefaultLoopEngine engine, RecordingEvents events, String loopId) {
    }

    private Run start(EngineFixture fx, ScriptedTestProvider provider, ApprovalConfig approval) throws Exception {
        DefaultLoopEngine engine = fx.engine(provider);
        RecordingEvents events = RecordingEvents.lifecycle();
        engine.subscribe(events);
        StartLoopParams p = fx.params("fix the build", null, approval, true);
        p = new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(),
                new ProviderSpec("scripted", "m-1", Map.of("permissionMode", "acceptEdits")), p.budget(),
                p.approval(), p.autoRun(), p.name(), p.check(), p.judge(), p.stop(), p.waits(), p.schedule(),
                p.doneToken());
        LoopSnapshot s = engine.start(p);
        events.assertNextStatus("created");
        events.assertNextStatus("running");
        return new Run(engine, events, s.loopId());
    }

    private static PendingApproval asked(Run run) {
        PendingApproval approval = run.events().assertNextApprovalRequested(AgentTurnGate.TOOL).approval();
        run.events().assertNextStatus("awaiting_approval");
        return approval;
    }

    private static void answer(Run run, PendingApproval approval, String decision, String note) throws Exception {
        run.engine().approve(new ApproveParams(run.loopId(), approval.approvalId(), decision, note));
        run.events().assertNextApprovalResolved(approval.approvalId(), decision);
        run.events().assertNextStatus("running");
    }

    @Test
    void firstIsTheDefaultAsksBeforeTheFirstTurnOnlyAndShowsThePromptAndOptions() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = agent("working", DONE);
        Run run = start(fx, provider, null);
        try (DefaultLoopEngine engine = run.engine()) {
            PendingApproval approval = asked(run);
            assertEquals("Run scripted for iteration 1", approval.title());
            assertEquals(1, approval.iteration());
            assertEquals("scripted", approval.input().get("provider"));
            assertEquals("m-1", approval.input().get("model"));
            assertEquals(Map.of("permissionMode", "acceptEdits"), approval.input().get("options"));
            String prompt = (String) approval.input().get("prompt");
            assertTrue(prompt.contains("fix the build"), prompt);
            assertTrue(prompt.length() <= 501, "a summary, not the whole prompt");
            assertTrue(approval.approvalId().matches("ap-[0-9a-f]{32}"));
            assertEquals(List.of("allow_once", "allow_always", "reject_once", "reject_always"),
                    approval.options().stream().map(o -> o.decision()).toList());
            assertEquals(0, provider.requests.size(), "nothing runs before the answer");
            assertEquals("awaiting_approval", engine.get(run.loopId()).loop().status());

            answer(run, approval, "allow_once", null);
            run.events().assertNextIterationWithMemory(1);
            run.events().assertNextIterationWithMemory(2);
            run.events().assertNextStatus("succeeded");
            run.events().assertExhausted();
            assertEquals(2, provider.requests.size());
            assertThrows(LoopException.class, () -> engine.approve(new ApproveParams(run.loopId(),
                    approval.approvalId(), "allow_once", null)));
        }
    }

    @Test
    void everyAsksBeforeEachTurnUntilAllowAlways() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = agent("one", "two", DONE);
        Run run = start(fx, provider, approval(null, null, "every"));
        try (DefaultLoopEngine engine = run.engine()) {
            PendingApproval first = asked(run);
            answer(run, first, "allow_once", null);
            run.events().assertNextIterationWithMemory(1);
            PendingApproval second = asked(run);
            assertEquals("Run scripted for iteration 2", second.title());
            assertNotEquals(first.approvalId(), second.approvalId());
            assertEquals(1, provider.requests.size());
            answer(run, second, "allow_always", null);
            run.events().assertNextIterationWithMemory(2);
            run.events().assertNextIterationWithMemory(3);
            run.events().assertNextStatus("succeeded");
            run.events().assertExhausted();
            assertEquals(3, provider.requests.size());
        }
    }

    @Test
    void neverAndAutoModeNeverAsk() throws Exception {
        for (ApprovalConfig config : List.of(approval(null, null, "never"), approval("auto", null, "every"))) {
            EngineFixture fx = new EngineFixture(temp.resolve(config.iterations()));
            ScriptedTestProvider provider = agent("one", DONE);
            Run run = start(fx, provider, config);
            try (DefaultLoopEngine engine = run.engine()) {
                run.events().assertNextIterationWithMemory(1);
                run.events().assertNextIterationWithMemory(2);
                run.events().assertNextStatus("succeeded");
                run.events().assertExhausted();
                assertEquals(2, provider.requests.size());
            }
        }
    }

    @Test
    void denyModeRefusesTheAgentAndEndsTheLoopApprovalDenied() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = agent(DONE);
        Run run = start(fx, provider, approval("deny", null, "never"));
        try (DefaultLoopEngine engine = run.engine()) {
            IterationRecord record = run.events().assertNextIterationWithMemory(1).record();
            assertEquals("failed", record.outcome());
            assertEquals("denied", record.toolCalls().get(0).status());
            var status = run.events().assertNextStatus("approval_denied");
            assertTrue(status.reason().contains("approval mode deny"), status.reason());
            run.events().assertExhausted();
            assertEquals(0, provider.requests.size());
        }
    }

    @Test
    void aRejectedTurnIsNotRunAndItsNoteReachesTheNextPrompt() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = agent(DONE);
        Run run = start(fx, provider, approval(null, null, "every"));
        try (DefaultLoopEngine engine = run.engine()) {
            answer(run, asked(run), "reject_once", "only touch src/, not the tests");
            IterationRecord record = run.events().assertNextIterationWithMemory(1).record();
            assertEquals("failed", record.outcome());
            assertEquals("rejected", record.toolCalls().get(0).status());
            assertTrue(record.summary().contains("only touch src/"), record.summary());
            assertEquals(0, provider.requests.size(), "a rejected turn does not run the agent");
            answer(run, asked(run), "allow_once", null);
            run.events().assertNextIterationWithMemory(2);
            run.events().assertNextStatus("succeeded");
            String prompt = provider.requests.get(0).prompt();
            assertTrue(prompt.contains("only touch src/, not the tests"), prompt);
        }
    }

    @Test
    void repeatedRejectionsEndTheLoopThroughTheFailureStreak() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = agent(DONE);
        Run run = start(fx, provider, approval(null, null, "first"));
        try (DefaultLoopEngine engine = run.engine()) {
            for (int i = 1; i <= 3; i++) {
                PendingApproval approval = asked(run);
                assertEquals("Run scripted for iteration " + i, approval.title(), "first asks until a turn ran");
                answer(run, approval, "reject_once", "no");
                run.events().assertNextIterationWithMemory(i);
            }
            var failed = run.events().assertNextStatus("failed");
            assertTrue(failed.reason().contains("identical failures"), failed.reason());
            assertEquals(0, provider.requests.size());
        }
    }

    @Test
    void onRejectStopEndsTheLoopApprovalDeniedAndRejectAlwaysRefusesLaterTurns() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = agent(DONE);
        Run run = start(fx, provider, approval(null, "stop", null));
        try (DefaultLoopEngine engine = run.engine()) {
            answer(run, asked(run), "reject_always", "not now");
            run.events().assertNextIterationWithMemory(1);
            var denied = run.events().assertNextStatus("approval_denied");
            assertTrue(denied.reason().contains("not now"), denied.reason());
            assertTrue(denied.resumable());
            // resumed: reject_always is remembered, so the next turn is refused without asking
            engine.resume(run.loopId(), null);
            run.events().assertNextStatus("running");
            assertEquals("denied", run.events().assertNextIterationWithMemory(2).record().toolCalls().get(0).status());
            run.events().assertNextStatus("approval_denied");
            run.events().assertExhausted();
            assertEquals(0, provider.requests.size());
        }
    }

    @Test
    void aPendingAgentTurnApprovalSurvivesARestartAndAnsweringItRunsTheTurn() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = agent("one", DONE);
        Run run = start(fx, provider, null);
        PendingApproval approval = asked(run);
        run.engine().close();
        String state = Files.readString(fx.workspace.resolve(".loopwire/loops/" + run.loopId() + "/state.json"));
        assertTrue(state.contains(approval.approvalId()), state);

        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            engine.openWorkspace(fx.workspace);
            assertEquals(approval.approvalId(), engine.pendingApprovals().get(0).approval().approvalId());
            assertEquals("awaiting_approval", engine.get(run.loopId()).loop().status());
            assertEquals(0, provider.requests.size());
            engine.approve(new ApproveParams(run.loopId(), approval.approvalId(), "allow_once", null));
            events.assertNextApprovalResolved(approval.approvalId(), "allow_once");
            events.assertNextStatus("running");
            events.awaitStatus("succeeded");
            assertEquals(2, provider.requests.size());
            assertFalse(engine.get(run.loopId()).iterations().stream().anyMatch(r -> "failed".equals(r.outcome())));
        }
    }

    @Test
    void anAnswerAfterTheLoopMovedOnIsStale() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = agent(DONE);
        Run run = start(fx, provider, null);
        try (DefaultLoopEngine engine = run.engine()) {
            PendingApproval approval = asked(run);
            engine.cancel(run.loopId());
            LoopException stale = assertThrows(LoopException.class, () -> engine.approve(new ApproveParams(
                    run.loopId(), approval.approvalId(), "allow_once", null)));
            assertEquals(ErrorCode.STALE_APPROVAL, stale.code());
            assertEquals(0, provider.requests.size());
        }
    }
}
