package dev.loopwire.providers.anthropic;

import static dev.loopwire.providers.http.SseFixtures.json;
import static dev.loopwire.providers.http.SseFixtures.read;
import static dev.loopwire.providers.http.SseFixtures.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.http.Json;
import dev.loopwire.providers.http.ManualCancellation;
import dev.loopwire.providers.http.RecordingTurnSink;
import dev.loopwire.providers.http.SseFixtures;
import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AnthropicProviderTest {

    static final String KEY = "sk-ant-api03-LOOPWIRE-SECRET-abcdef123456";

    private MockWebServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    private Provider provider(Map<String, Object> extra) throws ProviderException {
        Map<String, Object> options = new HashMap<>();
        options.put("baseUrl", server.url("/").toString());
        options.put("retryBaseMillis", 1);
        options.putAll(extra);
        return new AnthropicProviderFactory().create(new ProviderSpec("anthropic", "claude-sonnet-4-20250514", options),
                new ProviderContext(null, Map.of("ANTHROPIC_API_KEY", KEY), null, null));
    }

    private static TurnRequest request(List<ChatMessage> history, List<ToolSpec> tools, Long maxOutputTokens) {
        return new TurnRequest("loop-1", 2, 3, "You are a careful agent.", "What is the weather?", history, tools,
                null, maxOutputTokens, Map.of(), null);
    }

    private static TurnRequest simple() {
        return request(List.of(), List.of(), null);
    }

    private static JsonNode body(RecordedRequest recorded) throws IOException {
        return Json.MAPPER.readTree(recorded.getBody().utf8());
    }

    @Test
    void streamsTextWithHeadersAndUsage() throws Exception {
        server.enqueue(sse("anthropic/text-stream.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        TurnResult result = provider(Map.of()).turn(simple(), sink, Cancellation.NONE);

        assertEquals("Hello! How can I help?", result.text());
        assertEquals(result.text(), sink.text());
        assertEquals("end_turn", result.stopReason());
        assertEquals(25, result.usage().inputTokens());
        assertEquals(15, result.usage().outputTokens());
        assertEquals((25 * 3.0 + 15 * 15.0) / 1e6, result.usage().costUsd(), 1e-12);
        RecordedRequest recorded = server.takeRequest();
        assertEquals("/v1/messages", recorded.getUrl().encodedPath());
        assertEquals(KEY, recorded.getHeaders().get("x-api-key"));
        assertEquals("2023-06-01", recorded.getHeaders().get("anthropic-version"));
        assertEquals(null, recorded.getHeaders().get("Authorization"));
        JsonNode body = body(recorded);
        assertEquals("claude-sonnet-4-20250514", body.get("model").asText());
        assertEquals(8192, body.get("max_tokens").asInt());
        assertTrue(body.get("stream").asBoolean());
        assertEquals("You are a careful agent.", body.get("system").asText());
        assertEquals(1, body.get("messages").size());
        assertEquals("user", body.at("/messages/0/role").asText());
        assertEquals("What is the weather?", body.at("/messages/0/content/0/text").asText());
        assertFalse(body.has("tools"));
    }

    @Test
    void sendsToolUseAndToolResultBlocksMergedByRoleAndClampsMaxTokens() throws Exception {
        server.enqueue(sse("anthropic/text-stream.sse"));
        List<ChatMessage> history = List.of(
                ChatMessage.user("Plan the trip."),
                ChatMessage.assistant("Let me check.", List.of(
                        new ToolCallRequest("toolu_1", "get_weather", Map.of("location", "Paris")),
                        new ToolCallRequest("toolu_2", "get_weather", Map.of("location", "Rome")))),
                ChatMessage.toolResult("toolu_1", "get_weather", "18 C, cloudy", false),
                ChatMessage.toolResult("toolu_2", "get_weather", "no such city", true));
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("location", Map.of("type", "string")));
        TurnRequest request = request(history, List.of(new ToolSpec("get_weather", "Current weather", schema)), 300L);

        provider(Map.of()).turn(request, new RecordingTurnSink(), Cancellation.NONE);

        JsonNode body = body(server.takeRequest());
        assertEquals(300, body.get("max_tokens").asInt());
        JsonNode messages = body.get("messages");
        assertEquals(3, messages.size());
        assertEquals("assistant", messages.at("/1/role").asText());
        assertEquals("text", messages.at("/1/content/0/type").asText());
        assertEquals("tool_use", messages.at("/1/content/1/type").asText());
        assertEquals("toolu_1", messages.at("/1/content/1/id").asText());
        assertEquals("Paris", messages.at("/1/content/1/input/location").asText());
        assertEquals("toolu_2", messages.at("/1/content/2/id").asText());
        JsonNode results = messages.get(2);
        assertEquals("user", results.get("role").asText());
        assertEquals("tool_result", results.at("/content/0/type").asText());
        assertEquals("toolu_1", results.at("/content/0/tool_use_id").asText());
        assertEquals("18 C, cloudy", results.at("/content/0/content").asText());
        assertFalse(results.at("/content/0").has("is_error"));
        assertEquals("toolu_2", results.at("/content/1/tool_use_id").asText());
        assertTrue(results.at("/content/1/is_error").asBoolean());
        assertEquals("text", results.at("/content/2/type").asText());
        assertEquals("What is the weather?", results.at("/content/2/text").asText());
        assertEquals("get_weather", body.at("/tools/0/name").asText());
        assertEquals("string", body.at("/tools/0/input_schema/properties/location/type").asText());
    }

    @Test
    void assemblesToolUseInputFromJsonDeltasAndStreamsThinking() throws Exception {
        server.enqueue(sse("anthropic/tool-use.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        TurnResult result = provider(Map.of()).turn(simple(), sink, Cancellation.NONE);

        assertEquals("I need the weather in two cities.", sink.thought());
        assertEquals("Checking both cities.", result.text());
        assertEquals("tool_use", result.stopReason());
        assertEquals(List.of(
                new ToolCallRequest("toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_weather",
                        Map.of("location", "San Francisco, CA", "unit", "fahrenheit"), null),
                new ToolCallRequest("toolu_01VjTc4bRyb9yZ1mCk7pQx2E", "get_weather",
                        Map.of("location", "Paris, France"), null),
                new ToolCallRequest("toolu_01NoArgs000000000000000", "list_files", Map.of(), null)),
                result.toolCalls());
        assertEquals(472 + 2048 + 100, result.usage().inputTokens());
        assertEquals(2048, result.usage().cachedInputTokens());
        assertEquals(89, result.usage().outputTokens());
        assertEquals((472 * 3.0 + 2048 * 0.30 + 100 * 3.75 + 89 * 15.0) / 1e6, result.usage().costUsd(), 1e-12);
    }

    @Test
    void continuesAfterMaxTokens() throws Exception {
        server.enqueue(sse("anthropic/max-tokens-1.sse"));
        server.enqueue(sse("anthropic/max-tokens-2.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        TurnResult result = provider(Map.of("maxTokens", 8)).turn(simple(), sink, Cancellation.NONE);

        assertEquals("Part one of the plan and part two.", result.text());
        assertEquals("end_turn", result.stopReason());
        assertEquals(13, result.usage().outputTokens());
        server.takeRequest();
        JsonNode messages = body(server.takeRequest()).get("messages");
        assertEquals("assistant", messages.at("/1/role").asText());
        assertEquals("Part one of the plan", messages.at("/1/content/0/text").asText(), "no trailing whitespace");
        assertEquals(AnthropicProvider.CONTINUE_NUDGE, messages.at("/2/content/0/text").asText());
    }

    @Test
    void anOverloadedErrorEventBeforeOutputIsRetried() throws Exception {
        server.enqueue(sse("anthropic/error-overloaded.sse"));
        server.enqueue(sse("anthropic/text-stream.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        TurnResult result = provider(Map.of()).turn(simple(), sink, Cancellation.NONE);

        assertEquals("Hello! How can I help?", result.text());
        assertTrue(sink.logs().get(0).contains("overloaded_error: Overloaded"), sink.logs().toString());
    }

    @Test
    void anOverloadedErrorEventIsTransientWhenRetriesRunOut() throws Exception {
        server.enqueue(sse("anthropic/error-overloaded.sse"));

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of("maxRetries", 0)).turn(simple(), new RecordingTurnSink(), Cancellation.NONE));

        assertEquals(ProviderException.Kind.TRANSIENT, e.kind());
        assertEquals("anthropic: error in the anthropic stream: overloaded_error: Overloaded", e.getMessage());
    }

    @Test
    void retries529And429HonouringTheRateLimitResetHeader() throws Exception {
        server.enqueue(json(529, "anthropic/error-529.json").build());
        server.enqueue(json(429, "anthropic/error-429.json")
                .setHeader("anthropic-ratelimit-requests-remaining", "0")
                .setHeader("anthropic-ratelimit-requests-reset", "2020-01-01T00:00:00Z").build());
        server.enqueue(sse("anthropic/text-stream.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        TurnResult result = provider(Map.of()).turn(simple(), sink, Cancellation.NONE);

        assertEquals("Hello! How can I help?", result.text());
        assertEquals(3, server.getRequestCount());
        assertTrue(sink.logs().get(0).startsWith("anthropic: HTTP 529 Overloaded: overloaded_error: Overloaded"),
                sink.logs().toString());
        assertTrue(sink.logs().get(1).startsWith("anthropic: HTTP 429 Too Many Requests: rate_limit_error")
                && sink.logs().get(1).contains("retrying in 0 s"), sink.logs().toString());
    }

    @Test
    void unauthorizedFailsAtOnceWithoutTheKey() throws Exception {
        server.enqueue(json(401, "anthropic/error-401.json").build());
        RecordingTurnSink sink = new RecordingTurnSink();

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of()).turn(simple(), sink, Cancellation.NONE));

        assertEquals(ProviderException.Kind.FATAL, e.kind());
        assertEquals("anthropic: HTTP 401 Unauthorized: authentication_error: invalid x-api-key"
                + " (check the key in ANTHROPIC_API_KEY)", e.getMessage());
        assertFalse(sink.all().contains(KEY));
        assertEquals(1, server.getRequestCount());
    }

    @Test
    void aStreamCutBeforeMessageStopIsAnError() throws Exception {
        server.enqueue(sse("anthropic/cut-stream.sse"));
        RecordingTurnSink sink = new RecordingTurnSink();

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of()).turn(simple(), sink, Cancellation.NONE));

        assertEquals(ProviderException.Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().contains("stream ended before it was complete"), e.getMessage());
        assertEquals("Hello! How", sink.text());
    }

    @Test
    void aMalformedEventIsAProtocolError() throws Exception {
        server.enqueue(sse("anthropic/malformed-event.sse"));

        ProviderException e = assertThrows(ProviderException.class,
                () -> provider(Map.of()).turn(simple(), new RecordingTurnSink(), Cancellation.NONE));

        assertEquals(ProviderException.Kind.PROTOCOL, e.kind());
        assertTrue(e.getMessage().contains("malformed event in the anthropic stream"), e.getMessage());
    }

    @Test
    void cancelStopsASlowStream() throws Exception {
        String[] events = read("anthropic/text-stream.sse").split("\n\n");
        server.enqueue(SseFixtures.stalling(String.join("\n\n", List.of(events).subList(0, 4)) + "\n\n", release));
        RecordingTurnSink sink = new RecordingTurnSink();
        ManualCancellation cancel = new ManualCancellation();
        CompletableFuture.runAsync(() -> {
            try {
                sink.firstText.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            cancel.cancel();
        });

        assertThrows(CancellationException.class, () -> provider(Map.of()).turn(simple(), sink, cancel));
        assertEquals("Hello", sink.text());
    }

    @Test
    void withoutAKeyItIsUnavailable() {
        ProviderInfo info = new AnthropicProviderFactory().describe(new ProviderContext(null, Map.of(), null, null));
        assertFalse(info.available());
        assertEquals("set ANTHROPIC_API_KEY (or options.apiKeyEnv)", info.detail());
        ProviderException e = assertThrows(ProviderException.class, () -> new AnthropicProviderFactory()
                .create(new ProviderSpec("anthropic", null, Map.of()), new ProviderContext(null, Map.of(), null, null)));
        assertEquals(ProviderException.Kind.UNAVAILABLE, e.kind());
    }
}
