package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.ScriptedTestProvider.block;
import static dev.loopwire.engine.internal.ScriptedTestProvider.call;
import static dev.loopwire.engine.internal.ScriptedTestProvider.text;
import static dev.loopwire.engine.internal.ScriptedTestProvider.tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PipelineTest {

    @TempDir
    Path temp;

    @Test
    void aPersonsEditOfTheMemoryFileIsNoticedAndSteersTheNextPrompt() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("noting", call("n", "note", Map.of("text", "the API is at /v2"))),
                text("following the plan\n<promise>DONE</promise>")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("steer", null, null, false)).loopId();
            events.assertNextStatus("created");
            engine.step(id).get(10, TimeUnit.SECONDS);
            events.assertNextStatus("running");
            events.assertNextOutput("tool_call");
            events.assertNextMemoryChanged(); // the note
            events.assertNextOutput("tool_result");
            events.assertNextIterationWithMemory(1);
            events.assertNextStatus("paused");

            Path memory = Path.of(engine.memory(id).path());
            String edited = Files.readString(memory).replace("## Notes", "Person: use plan B.\n\n## Notes");
            Files.writeString(memory, edited);
            engine.step(id).get(10, TimeUnit.SECONDS);
            events.assertNextStatus("running");
            events.assertNextMemoryChanged(); // noticed before the prompt was built
            events.assertNextIterationWithMemory(2);
            events.assertNextStatus("succeeded");
            events.assertExhausted();

            String prompt = provider.requests.get(1).prompt();
            assertTrue(prompt.contains("Person: use plan B."), prompt);
            assertTrue(prompt.contains("- the API is at /v2"), prompt);
            assertTrue(prompt.contains("- #1: noting"), prompt);
            String after = Files.readString(memory);
            assertTrue(after.contains("Person: use plan B.") && after.contains("- #2: following the plan"), after);
            String journal = Files.readString(memory.resolveSibling("journal.jsonl"));
            assertTrue(journal.contains("\"type\":\"memory_edited\""), journal);
        }
    }

    @Test
    void eventsOfOneIterationComeInPipelineOrder() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("Hello there, streaming.", call("e", "echo", Map.of("text", "x"))),
                text("<promise>DONE</promise>")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.all();
            engine.subscribe(events);
            engine.start(fx.params("order"));
            events.assertNextStatus("created");
            events.assertNextStatus("running");
            assertEquals("prompt", events.assertNext(LoopProgressParams.class).phase());
            assertEquals("provider", events.assertNext(LoopProgressParams.class).phase());
            StringBuilder streamed = new StringBuilder();
            Object next = events.next();
            int chunks = 0;
            while (next instanceof LoopOutputParams o && o.kind().equals("text")) {
                streamed.append(o.text());
                chunks++;
                next = events.next();
            }
            assertEquals("Hello there, streaming.", streamed.toString());
            assertTrue(chunks > 1, "streamed in several chunks");
            assertEquals("tool_call", ((LoopOutputParams) next).kind());
            assertEquals("tool", events.assertNext(LoopProgressParams.class).phase());
            events.assertNextOutput("tool_result");
            events.assertNextIterationWithMemory(1);
            events.assertNext(LoopProgressParams.class);
            events.assertNext(LoopProgressParams.class);
            Object event = events.next();
            StringBuilder second = new StringBuilder();
            while (event instanceof LoopOutputParams o && o.kind().equals("text")) {
                second.append(o.text());
                event = events.next();
            }
            assertEquals("<promise>DONE</promise>", second.toString());
            assertTrue(event instanceof dev.loopwire.protocol.MemoryChangedParams, String.valueOf(event));
            events.assertNextIteration(2);
            events.assertNextStatus("succeeded");
            events.assertExhausted();
        }
    }

    @Test
    void cliAgentsRunTheirOwnToolsAndGetAFreshContextWithThePreviousResults() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider agent = new ScriptedTestProvider(List.of(
                tools("edited files", call("t1", "Edit", Map.of("file", "a.txt"))),
                text("<promise>DONE</promise>")), true);
        try (DefaultLoopEngine engine = fx.engine(agent)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            // approval.iterations never: the agent's turns are not gated (AgentTurnApprovalTest covers the gate)
            String id = engine.start(fx.params("agent", null, new dev.loopwire.protocol.ApprovalConfig(null, null, null,
                    "never", null), true)).loopId();
            events.assertNextStatus("created");
            events.assertNextStatus("running");
            assertEquals("Edit", events.assertNextOutput("tool_call").toolCall().name());
            assertEquals("ok", events.assertNextOutput("tool_result").toolCall().status());
            IterationRecord first = events.assertNextIterationWithMemory(1).record();
            assertEquals("agent ran Edit", first.toolCalls().get(0).output());
            events.awaitStatus("succeeded");
            assertTrue(agent.requests.get(0).tools().isEmpty(), "CLI agents are offered no engine tools");
            assertTrue(agent.requests.get(1).history().isEmpty(), "fresh context");
            String prompt = agent.requests.get(1).prompt();
            assertTrue(prompt.contains("# Tool results of the previous iteration (1)"), prompt);
            assertTrue(prompt.contains("Edit {\"file\":\"a.txt\"} -> ok"), prompt);
            assertEquals(0, fx.echo.runs.get());
            assertEquals(2, engine.get(id).iterations().size());
        }
    }

    @Test
    void aPlantedSecretReachesNeitherTheJournalNorTheEvents() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("The key is " + EngineFixture.SECRET, call("e", "echo", Map.of("text", EngineFixture.SECRET))),
                text("<promise>DONE</promise>")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            RecordingEvents events = RecordingEvents.all();
            engine.subscribe(events);
            engine.subscribe(new dev.loopwire.engine.LoopEvents() {
                @Override
                public void onOutput(LoopOutputParams params) {
                    seen.add(params);
                }

                @Override
                public void onIteration(dev.loopwire.protocol.LoopIterationParams params) {
                    seen.add(params);
                }
            });
            String id = engine.start(fx.params("secret")).loopId();
            events.awaitStatus("succeeded");
            String journal = Files.readString(fx.workspace.resolve(".loopwire/loops/" + id + "/journal.jsonl"));
            assertFalse(journal.contains(EngineFixture.SECRET), journal);
            assertTrue(journal.contains("[REDACTED]"), journal);
            for (Object event : seen) {
                assertFalse(Json.line(event).contains("s3cr3t"), Json.line(event));
            }
            assertFalse(Json.line(engine.get(id)).contains(EngineFixture.SECRET));
        }
    }

    @Test
    void toolCallsWithoutOrWithDuplicateIdsGetIdsOfTheirOwn() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider provider = new ScriptedTestProvider(List.of(
                tools("ids", call(null, "echo", Map.of("text", "a")), call("x", "echo", Map.of("text", "b")),
                        call("x", "echo", Map.of("text", "c"))),
                text("<promise>DONE</promise>")));
        try (DefaultLoopEngine engine = fx.engine(provider)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            String id = engine.start(fx.params("ids")).loopId();
            events.awaitStatus("succeeded");
            var calls = engine.get(id).iterations().get(0).toolCalls();
            assertEquals(List.of("call_0_0", "x", "call_0_2"), calls.stream().map(c -> c.id()).toList());
            assertEquals(3, fx.echo.runs.get());
            var history = provider.requests.get(1).history();
            assertEquals("echo: c", history.get(history.size() - 1).text());
        }
    }

    @Test
    void checkpointLeavesRunningLoopsInterruptedAndApprovalsPending() throws Exception {
        EngineFixture fx = new EngineFixture(temp);
        ScriptedTestProvider blocking = new ScriptedTestProvider(List.of(block()));
        ScriptedTestProvider asking = new ScriptedTestProvider(List.of(tools("g",
                call("g", "guarded", Map.of("cmd", "x")))));
        TestProviderRegistry registry = new TestProviderRegistry().with("blocking", blocking).with("asking", asking);
        try (DefaultLoopEngine engine = new DefaultLoopEngine(fx.options(registry), fx.tools, StoreObserver.NONE)) {
            RecordingEvents events = RecordingEvents.lifecycle();
            engine.subscribe(events);
            var p = fx.params("a");
            String runningId = engine.start(new dev.loopwire.protocol.StartLoopParams(p.workspace(), "a", null, null,
                    null, new dev.loopwire.protocol.ProviderSpec("blocking", null, null), null, null, true, "a", null,
                    null, null, null, null, null)).loopId();
            String askingId = engine.start(new dev.loopwire.protocol.StartLoopParams(p.workspace(), "b", null, null,
                    null, new dev.loopwire.protocol.ProviderSpec("asking", null, null), null, null, true, "b", null,
                    null, null, null, null, null)).loopId();
            assertTrue(blocking.blocked.await(10, TimeUnit.SECONDS));
            String approvalId = events.awaitApproval();
            engine.checkpoint();
            assertEquals("interrupted", engine.get(runningId).loop().status());
            assertTrue(engine.get(runningId).loop().resumable());
            assertEquals("awaiting_approval", engine.get(askingId).loop().status());
            assertEquals(approvalId, engine.pendingApprovals().get(0).approval().approvalId());
            String state = Files.readString(fx.workspace.resolve(".loopwire/loops/" + runningId + "/state.json"));
            assertTrue(state.contains("\"status\" : \"interrupted\""), state);
            assertFalse(engine.providers().isEmpty());
        }
    }
}
