package dev.loopwire.providers.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnUsage;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.testing.RecordingSink;
import dev.loopwire.providers.testing.TestCancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class ScriptedProviderTest {

    @TempDir
    Path workspace;

    private final ScriptedProviderFactory factory = new ScriptedProviderFactory();

    private Provider provider(String json) throws Exception {
        Files.writeString(workspace.resolve("turns.json"), json);
        return factory.create(new ProviderSpec("scripted", null, Map.of("script", "turns.json")),
                new ProviderContext(workspace, Map.of(), workspace.resolve("config"), ProcessTracker.NONE));
    }

    private TurnRequest request(int callIndex) {
        return new TurnRequest("loop1", callIndex + 1, callIndex, "sys", "prompt", List.of(), List.of(),
                null, null, Map.of(), workspace);
    }

    @Test
    void streamsTextInSeveralChunksAndReturnsToolCallsAndUsage() throws Exception {
        Provider p = provider("""
                {"turns": [
                  {"text": "I will write the file now.", "thought": "plan first",
                   "toolCalls": [{"name": "write_file", "input": {"path": "a.txt", "content": "hi"}},
                                 {"name": "run_command", "input": {"command": "ls"}}],
                   "usage": {"inputTokens": 120, "outputTokens": 30}},
                  {"text": "done\\n<promise>DONE</promise>"}
                ]}""");
        RecordingSink sink = new RecordingSink();
        TurnResult r = p.turn(request(0), sink, Cancellation.NONE);

        assertTrue(sink.texts.size() >= 3, "text streamed in chunks: " + sink.texts);
        assertEquals("I will write the file now.", sink.text());
        assertEquals("I will write the file now.", r.text());
        assertEquals("plan first", String.join("", sink.thoughts));
        assertEquals(List.of("call_0_0", "call_0_1"), r.toolCalls().stream().map(c -> c.id()).toList());
        assertEquals("write_file", r.toolCalls().get(0).name());
        assertEquals(Map.of("path", "a.txt", "content", "hi"), r.toolCalls().get(0).input());
        assertEquals(new TurnUsage(120, 30, 0, 0.0), r.usage());
        assertEquals("tool_use", r.stopReason());

        RecordingSink sink2 = new RecordingSink();
        TurnResult r2 = p.turn(request(1), sink2, Cancellation.NONE);
        assertEquals("done\n<promise>DONE</promise>", sink2.text());
        assertTrue(sink2.texts.size() >= 3);
        assertEquals("end_turn", r2.stopReason());
    }

    @Test
    void sameCallIndexGivesTheSameTurn() throws Exception {
        Provider p = provider("{\"turns\": [{\"text\": \"a\"}, {\"text\": \"b\", "
                + "\"toolCalls\": [{\"name\": \"read_file\", \"input\": {\"path\": \"x\"}}]}]}");
        TurnResult first = p.turn(request(1), new RecordingSink(), Cancellation.NONE);
        TurnResult again = p.turn(request(1), new RecordingSink(), Cancellation.NONE);
        assertEquals(first, again);
        assertEquals("call_1_0", again.toolCalls().get(0).id());
    }

    @Test
    void runningOutOfTurnsIsAFatalErrorNamingTheScript() throws Exception {
        Provider p = provider("{\"turns\": [{\"text\": \"only one\"}]}");
        ProviderException e = assertThrows(ProviderException.class,
                () -> p.turn(request(1), new RecordingSink(), Cancellation.NONE));
        assertEquals(ProviderException.Kind.FATAL, e.kind());
        assertEquals("the script " + workspace.resolve("turns.json") + " has 1 turn and all were used;"
                + " add turns or end with the done token", e.getMessage());
    }

    @Test
    void malformedScriptsNameTheFileAndTheJsonPath() throws Exception {
        assertMalformed("{\"turns\": [{\"text\": \"ok\"}, {\"toolCalls\": [{\"input\": {}}]}]}",
                "$.turns[1].toolCalls[0].name is required");
        assertMalformed("{\"turns\": [{\"text\": 5}]}", "$.turns[0].text must be a string");
        assertMalformed("{\"turns\": [{\"text\": \"a\", \"tool_calls\": []}]}",
                "unknown field $.turns[0].tool_calls");
        assertMalformed("{\"turns\": [{\"text\": \"a\", \"usage\": {\"inputTokens\": -1}}]}",
                "$.turns[0].usage.inputTokens must be a whole number");
        assertMalformed("{\"turns\": [{\"text\": \"a\"}", "invalid JSON at line 1");
        assertMalformed("{\"steps\": []}", "$.turns must be an array");
        ProviderException missing = assertThrows(ProviderException.class, () -> factory.create(
                new ProviderSpec("scripted", null, Map.of("script", "nope.json")),
                new ProviderContext(workspace, Map.of(), workspace, ProcessTracker.NONE)));
        assertTrue(missing.getMessage().contains("nope.json: the file does not exist"), missing.getMessage());
        ProviderException noOption = assertThrows(ProviderException.class, () -> factory.create(
                new ProviderSpec("scripted", null, Map.of()),
                new ProviderContext(workspace, Map.of(), workspace, ProcessTracker.NONE)));
        assertTrue(noOption.getMessage().contains("needs options.script"), noOption.getMessage());
    }

    private void assertMalformed(String json, String expected) {
        ProviderException e = assertThrows(ProviderException.class, () -> provider(json));
        assertTrue(e.getMessage().contains(workspace.resolve("turns.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void absoluteScriptPathsWork() throws Exception {
        Path elsewhere = Files.createTempFile(workspace, "abs", ".json");
        Files.writeString(elsewhere, "{\"turns\": [{\"text\": \"from far away\"}]}");
        Provider p = factory.create(new ProviderSpec("scripted", null, Map.of("script", elsewhere.toString())),
                new ProviderContext(workspace.resolve("other"), Map.of(), workspace, ProcessTracker.NONE));
        assertEquals("from far away", p.turn(request(0), new RecordingSink(), Cancellation.NONE).text());
    }

    @Test
    void scriptedErrorsArePlayedBack() throws Exception {
        Provider p = provider("{\"turns\": [{\"error\": {\"kind\": \"rate_limited\", \"message\": \"slow down\","
                + " \"retryAfterSeconds\": 7}}]}");
        ProviderException e = assertThrows(ProviderException.class,
                () -> p.turn(request(0), new RecordingSink(), Cancellation.NONE));
        assertEquals(ProviderException.Kind.RATE_LIMITED, e.kind());
        assertEquals(7, e.retryAfter().toSeconds());
    }

    @Test
    void cancelEndsADelayedTurnPromptly() throws Exception {
        Provider p = provider("{\"turns\": [{\"text\": \"late\", \"delayMillis\": 60000}]}");
        TestCancellation cancel = new TestCancellation();
        RecordingSink sink = new RecordingSink();
        CompletableFuture<Object> turn = CompletableFuture.supplyAsync(() -> {
            try {
                return p.turn(request(0), sink, cancel);
            } catch (Exception e) {
                return e;
            }
        });
        cancel.cancel();
        Object outcome = turn.get(5, TimeUnit.SECONDS);
        assertInstanceOf(CancellationException.class, outcome);
        assertTrue(sink.texts.isEmpty());
    }

    @Test
    void describeIsAlwaysAvailable() {
        var info = factory.describe(new ProviderContext(null, Map.of(), workspace, ProcessTracker.NONE));
        assertTrue(info.available());
        assertTrue(info.detail().startsWith("deterministic turns from a file: for demos, rehearsing loops and tests"));
    }
}
