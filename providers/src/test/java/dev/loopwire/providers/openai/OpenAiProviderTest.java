package dev.loopwire.providers.openai;

import static dev.loopwire.providers.http.SseFixtures.json;
import static dev.loopwire.providers.http.SseFixtures.read;
import static dev.loopwire.providers.http.SseFixtures.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.ChatMessage;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ToolCallRequest;
import dev.loopwire.engine.spi.ToolSpec;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.http.Json;
import dev.loopwire.providers.http.RecordingTurnSink;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class OpenAiProviderTest {

    static final String KEY = "sk-test-LOOPWIRE-SECRET-1234567890";

    private MockWebServer server;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Provider provider(Map<String, Object> extra) throws ProviderException {
        Map<String, Object> options = new HashMap<>();
        options.put("baseUrl", server.url("/v1").toString());
        options.put("retryBaseMillis", 1);
        options.putAll(extra);
        return new OpenAiProviderFactory().create(new ProviderSpec("openai", "gpt-4o-mini", options),
                new ProviderContext(null, Map.of("OPENAI_API_KEY", KEY), null, null));
    }

    static TurnRequest request(List<ChatMessage> history, List<ToolSpec> tools, Long maxOutputTokens) {
        return new TurnRequest("loop-1", 1, 0, "You are a careful agent.", "Write the todo file.", history, tools,
                null, maxOutputTokens, Map.of(), null);
    }

    static TurnRequest simple() {
        return request(List.of(), List.of(), null);
    }

    private JsonNode body(RecordedRequest recorded) throws IOException {
        return Json.MAPPER.readTree(recorded.getBody().utf8());
    }

    @Test
    void streamsTextAndCountsUsageFromTheFinalChunk() throws Exception {
        server.enqueue(sse("openai/text-stream.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        TurnResult result = provider(Map.of()).turn(simple(), sink, Cancellation.NONE);

        assertEquals("Hello! How can I help you today?", result.text());
        assertEquals(result.text(), sink.text());
        assertEquals("stop", result.stopReason());
        assertTrue(result.toolCalls().isEmpty());
        assertEquals(19, result.usage().inputTokens());
        assertEquals(10, result.usage().outputTokens());
        assertEquals(0, result.usage().cachedInputTokens());
        assertEquals((19 * 0.15 + 10 * 0.60) / 1e6, result.usage().costUsd(), 1e-12);

        RecordedRequest recorded = server.takeRequest();
        assertEquals("POST", recorded.getMethod());
        assertEquals("/v1/chat/completions", recorded.getUrl().encodedPath());
        assertEquals("Bearer " + KEY, recorded.getHeaders().get("Authorization"));
        JsonNode body = body(recorded);
        assertEquals("gpt-4o-mini", body.get("model").asText());
        assertTrue(body.get("stream").asBoolean());
        assertTrue(body.at("/stream_options/include_usage").asBoolean());
        assertEquals("system", body.at("/messages/0/role").asText());
        assertEquals("You are a careful agent.", body.at("/messages/0/content").asText());
        assertEquals("user", body.at("/messages/1/role").asText());
        assertEquals("Write the todo file.", body.at("/messages/1/content").asText());
        assertEquals(2, body.get("messages").size());
        assertFalse(body.has("tools"));
        assertFalse(body.has("max_completion_tokens"));
    }

    @Test
    void sendsHistoryWithToolCallsAndResultsToolsAndTheOutputCap() throws Exception {
        server.enqueue(sse("openai/text-stream.sse"));
        List<ChatMessage> history = List.of(
                ChatMessage.user("Start."),
                ChatMessage.assistant("Reading.", List.of(new ToolCallRequest("call_1", "read_file", Map.of("path", "a.txt")))),
                ChatMessage.toolResult("call_1", "read_file", "hello", false),
                ChatMessage.assistant("", List.of(new ToolCallRequest("call_2", "list_files", Map.of(), "[1,2]"))),
                ChatMessage.toolResult("call_2", "list_files", "arguments must be an object", true));
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("path", Map.of("type", "string")),
                "required", List.of("path"));
        TurnRequest request = request(history, List.of(new ToolSpec("read_file", "Reads a file", schema)), 500L);

        provider(Map.of()).turn(request, new RecordingTurnSink(), Cancellation.NONE);

        JsonNode body = body(server.takeRequest());
        JsonNode messages = body.get("messages");
        assertEquals(7, messages.size());
        assertEquals("Start.", messages.at("/1/content").asText());
        assertEquals("assistant", messages.at("/2/role").asText());
        assertEquals("Reading.", messages.at("/2/content").asText());
        assertEquals("call_1", messages.at("/2/tool_calls/0/id").asText());
        assertEquals("function", messages.at("/2/tool_calls/0/type").asText());
        assertEquals("read_file", messages.at("/2/tool_calls/0/function/name").asText());
        assertEquals("{\"path\":\"a.txt\"}", messages.at("/2/tool_calls/0/function/arguments").asText());
        assertEquals("tool", messages.at("/3/role").asText());
        assertEquals("call_1", messages.at("/3/tool_call_id").asText());
        assertEquals("hello", messages.at("/3/content").asText());
        assertTrue(messages.at("/4/content").isNull());
        assertEquals("[1,2]", messages.at("/4/tool_calls/0/function/arguments").asText());
        assertEquals("Error: arguments must be an object", messages.at("/5/content").asText());
        assertEquals("user", messages.at("/6/role").asText());
        assertEquals("Write the todo file.", messages.at("/6/content").asText());
        assertEquals("function", body.at("/tools/0/type").asText());
        assertEquals("read_file", body.at("/tools/0/function/name").asText());
        assertEquals("Reads a file", body.at("/tools/0/function/description").asText());
        assertEquals("string", body.at("/tools/0/function/parameters/properties/path/type").asText());
        assertEquals(500, body.get("max_completion_tokens").asInt());
        assertFalse(body.has("max_tokens"));
    }

    @Test
    void assemblesAToolCallSplitAcrossManyChunksAndStreamsReasoning() throws Exception {
        server.enqueue(sse("openai/tool-call-split.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        TurnResult result = provider(Map.of()).turn(simple(), sink, Cancellation.NONE);

        assertEquals(1, result.toolCalls().size());
        ToolCallRequest call = result.toolCalls().get(0);
        assertEquals("call_DdmO9pD3xa9XTPNJ32zg2hcA", call.id());
        assertEquals("write_file", call.name());
        assertEquals(Map.of("path", "notes/todo.md", "content", "- [x] write tests\n- [ ] ship"), call.input());
        assertNull(call.rawInput());
        assertEquals("The user wants a todo file.", sink.thought());
        assertEquals("", result.text());
        assertEquals("tool_calls", result.stopReason());
        assertEquals(2048, result.usage().inputTokens());
        assertEquals(1024, result.usage().cachedInputTokens());
        assertEquals(57, result.usage().outputTokens());
        assertEquals(((2048 - 1024) * 0.15 + 1024 * 0.075 + 57 * 0.60) / 1e6, result.usage().costUsd(), 1e-12);
    }

    @Test
    void returnsSeveralToolCallsOfOneTurnInOrder() throws Exception {
        server.enqueue(sse("openai/tool-calls-parallel.sse"));

        TurnResult result = provider(Map.of()).turn(simple(), new RecordingTurnSink(), Cancellation.NONE);

        assertEquals("Let me look around.", result.text());
        assertEquals(3, result.toolCalls().size());
        assertEquals(new ToolCallRequest("call_a1", "read_file", Map.of("path", "README.md"), null),
                result.toolCalls().get(0));
        assertEquals(new ToolCallRequest("call_b2", "run_command",
                Map.of("command", "mvn -q test", "timeoutSeconds", 120), null), result.toolCalls().get(1));
        ToolCallRequest notAnObject = result.toolCalls().get(2);
        assertEquals("list_files", notAnObject.name());
        assertTrue(notAnObject.input().isEmpty());
        assertEquals("[\"src\", \"docs\"]", notAnObject.rawInput());
    }

    @Test
    void continuesAnAnswerCutAtTheOutputLimitWithinTheBudget() throws Exception {
        server.enqueue(sse("openai/length-1.sse"));
        server.enqueue(sse("openai/length-2.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        TurnResult result = provider(Map.of()).turn(request(List.of(), List.of(), 20L), sink, Cancellation.NONE);

        assertEquals("Step 1: read the file. Step 2: write the tests.", result.text());
        assertEquals(result.text(), sink.text());
        assertEquals("stop", result.stopReason());
        assertEquals(230, result.usage().inputTokens());
        assertEquals(21, result.usage().outputTokens());
        assertTrue(sink.logs().stream().anyMatch(l -> l.contains("continue (1 of 2)")), sink.logs().toString());
        assertEquals(20, body(server.takeRequest()).get("max_completion_tokens").asInt());
        JsonNode second = body(server.takeRequest());
        assertEquals(4, second.get("max_completion_tokens").asInt());
        JsonNode messages = second.get("messages");
        int n = messages.size();
        assertEquals("assistant", messages.get(n - 2).get("role").asText());
        assertEquals("Step 1: read the file. Step 2:", messages.get(n - 2).get("content").asText());
        assertEquals("user", messages.get(n - 1).get("role").asText());
        assertEquals(OpenAiProvider.CONTINUE_NUDGE, messages.get(n - 1).get("content").asText());
    }

    @Test
    void stopsContinuingAfterTheConfiguredNumberOfNudges() throws Exception {
        server.enqueue(sse("openai/length-1.sse"));

        TurnResult result = provider(Map.of("maxContinuations", 0)).turn(simple(), new RecordingTurnSink(),
                Cancellation.NONE);

        assertEquals("length", result.stopReason());
        assertEquals("Step 1: read the file. Step 2:", result.text());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void retriesA429HonouringRetryAfterInsteadOfTheBackoff() throws Exception {
        // a backoff of a minute would hit the test timeout: only the server's Retry-After: 0 is fast
        server.enqueue(json(429, "openai/error-429.json").setHeader("Retry-After", "0").build());
        server.enqueue(sse("openai/text-stream.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        TurnResult result = provider(Map.of("retryBaseMillis", 60_000, "retryMaxMillis", 60_000))
                .turn(simple(), sink, Cancellation.NONE);

        assertEquals("Hello! How can I help you today?", result.text());
        assertEquals(2, server.getRequestCount());
        assertTrue(sink.logs().stream().anyMatch(l -> l.startsWith("openai: HTTP 429") && l.contains("retrying in 0 s")),
                sink.logs().toString());
        assertFalse(sink.all().contains(KEY));
    }

    @Test
    void retriesA500ThenSucceeds() throws Exception {
        server.enqueue(json(500, "openai/error-500.json").build());
        server.enqueue(sse("openai/text-stream.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        TurnResult result = provider(Map.of()).turn(simple(), sink, Cancellation.NONE);

        assertEquals("Hello! How can I help you today?", result.text());
        assertEquals(2, server.getRequestCount());
        assertTrue(sink.logs().get(0).contains("HTTP 500 Internal Server Error: server_error"), sink.logs().toString());
    }

    @Test
    void givesUpAfterMaxRetriesAsRateLimitedWithTheServersWait() throws Exception {
        for (int i = 0; i < 2; i++) {
            server.enqueue(json(429, "openai/error-429.json").setHeader("retry-after-ms", "5").build());
        }

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of("maxRetries", 1)).turn(simple(), new RecordingTurnSink(), Cancellation.NONE));

        assertEquals(ProviderException.Kind.RATE_LIMITED, e.kind());
        assertEquals(Duration.ofMillis(5), e.retryAfter());
        assertTrue(e.getMessage().contains("HTTP 429") && e.getMessage().contains("gave up after 2 tries"), e.getMessage());
        assertEquals(2, server.getRequestCount());
    }

    @Test
    void aServerWaitLongerThanAllowedFailsAtOnceCarryingTheWait() throws Exception {
        server.enqueue(json(429, "openai/error-429.json").setHeader("Retry-After", "90").build());

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of()).turn(simple(), new RecordingTurnSink(), Cancellation.NONE));

        assertEquals(ProviderException.Kind.RATE_LIMITED, e.kind());
        assertEquals(Duration.ofSeconds(90), e.retryAfter());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void unauthorizedFailsAtOnceWithoutEchoingTheKey() throws Exception {
        server.enqueue(json(401, "openai/error-401.json").build());
        RecordingTurnSink sink = new RecordingTurnSink();

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of()).turn(simple(), sink, Cancellation.NONE));

        assertEquals(ProviderException.Kind.FATAL, e.kind());
        assertTrue(e.getMessage().startsWith("openai: HTTP 401 Unauthorized: invalid_request_error: Incorrect API key"),
                e.getMessage());
        assertTrue(e.getMessage().contains("check the key in OPENAI_API_KEY"), e.getMessage());
        assertTrue(read("openai/error-401.json").contains(KEY), "the fixture echoes the key");
        assertFalse(e.getMessage().contains("LOOPWIRE-SECRET"), e.getMessage());
        assertFalse(sink.all().contains("LOOPWIRE-SECRET"));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aStreamThatEndsBeforeDoneIsAnErrorNotAShortAnswer() throws Exception {
        server.enqueue(sse("openai/cut-stream.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of()).turn(simple(), sink, Cancellation.NONE));

        assertEquals(ProviderException.Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("stream ended before it was complete"), e.getMessage());
        assertEquals("Hello! How can", sink.text());
        assertEquals(1, server.getRequestCount(), "text already went out: no retry");
    }

    @Test
    void aConnectionDroppedMidStreamIsAnError() throws Exception {
        server.enqueue(dev.loopwire.providers.http.SseFixtures.aborting("openai/text-stream.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of()).turn(simple(), sink, Cancellation.NONE));

        assertEquals(ProviderException.Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("stream broke after"), e.getMessage());
        assertTrue("Hello! How can I help you today?".startsWith(sink.text()), sink.text());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aMalformedChunkIsAProtocolError() throws Exception {
        server.enqueue(sse("openai/malformed-chunk.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of()).turn(simple(), sink, Cancellation.NONE));

        assertEquals(ProviderException.Kind.PROTOCOL, e.kind());
        assertTrue(e.getMessage().contains("malformed chunk in the openai stream"), e.getMessage());
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aTransientErrorChunkBeforeAnyOutputIsRetried() throws Exception {
        String error = "data: {\"error\":{\"message\":\"The server is overloaded\",\"type\":\"server_error\",\"code\":null}}\n\n";
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream")
                .body(error).build());
        server.enqueue(sse("openai/text-stream.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        TurnResult result = provider(Map.of()).turn(simple(), sink, Cancellation.NONE);

        assertEquals("Hello! How can I help you today?", result.text());
        assertTrue(sink.logs().get(0).contains("server_error: The server is overloaded"), sink.logs().toString());
    }

    @Test
    void aNonStreamingResponseIsAProtocolError() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"choices\":[]}").build());

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of()).turn(simple(), new RecordingTurnSink(), Cancellation.NONE));

        assertEquals(ProviderException.Kind.PROTOCOL, e.kind());
        assertTrue(e.getMessage().contains("expected a text/event-stream response"), e.getMessage());
    }
}
