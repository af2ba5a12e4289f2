package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.ApprovalRule;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.IterationTrace;
import dev.loopwire.protocol.ToolCallTrace;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** loop/get's per-iteration traces, rebuilt from the journal (also after a restart). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TracesTest {

    @TempDir
    Path temp;

    @Test
    void tracesShowPromptProviderToolCallsAndDecisions() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("trying", call("a", "echo", Map.of("text", "hi")), call("c", "guarded", Map.of("cmd", "rm -rf build"))),
                text("done\n<promise>DONE</promise>")));
        String id;
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            WaitsTest.WaitRecordingEvents statuses = new WaitsTest.WaitRecordingEvents();
            engine.subscribe(statuses);
            id = engine.start(fx.params("trace me", null, EngineFixture.approval("ask", null,
                    new ApprovalRule("echo", null, "allow")), true)).loopId();
            String approval = events.awaitApproval();
            engine.approve(new ApproveParams(id, approval, "reject_once", "not that"));
            statuses.await("succeeded");
            check(engine.get(id), provider.requests.get(0).prompt().length());
        }
        try (DefaultLoopEngine again = fx.engine(provider)) {
            again.openWorkspace(fx.workspace);
            check(again.get(id), provider.requests.get(0).prompt().length());
        }
    }

    private static void check(GetLoopResult result, int firstPromptChars) {
        List<IterationTrace> traces = result.traces();
        assertEquals(2, traces.size(), traces.toString());
        IterationTrace first = traces.get(0);
        assertEquals(1, first.index());
        assertEquals(firstPromptChars, first.promptChars());
        assertEquals(1, first.providerCalls().size());
        assertEquals(100, first.providerCalls().get(0).inputTokens());
        assertEquals(0.01, first.providerCalls().get(0).costUsd());
        assertNotNull(first.providerCalls().get(0).durationSeconds());
        List<ToolCallTrace> calls = first.toolCalls();
        assertEquals(List.of("a", "c"), calls.stream().map(ToolCallTrace::id).toList());
        assertEquals(List.of("ok", "rejected"), calls.stream().map(ToolCallTrace::status).toList());
        assertEquals(List.of("policy", "reject_once"), calls.stream().map(ToolCallTrace::decision).toList());
        assertNotNull(calls.get(0).durationSeconds());
        assertNull(calls.get(1).durationSeconds());
        assertTrue(first.decisions().stream().anyMatch(d -> d.kind().equals("approval_resolved")
                && d.detail().contains("reject_once (not that)")), first.decisions().toString());
        IterationTrace second = traces.get(1);
        assertTrue(second.decisions().stream().anyMatch(d -> d.kind().equals("status")
                && d.detail().startsWith("succeeded")), second.decisions().toString());
    }
}
