package dev.loopwire.providers.openai;

import static dev.loopwire.providers.http.SseFixtures.sse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProviderFactory;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.http.Json;
import dev.loopwire.providers.http.RecordingTurnSink;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OpenAiCompatibleFactoryTest {

    private static ProviderContext env(Map<String, String> env) {
        return new ProviderContext(null, env, null, null);
    }

    @Test
    void factoriesAreFoundByTheServiceLoader() {
        List<String> ids = ServiceLoader.load(ProviderFactory.class).stream().map(p -> p.get().id())
                .collect(Collectors.toList());
        assertTrue(ids.containsAll(List.of("openai", "ollama", "openrouter", "anthropic")), ids.toString());
    }

    @Test
    void withoutAKeyOpenAiIsUnavailableAndSaysHowToEnableIt() {
        ProviderInfo info = new OpenAiProviderFactory().describe(env(Map.of()));
        assertFalse(info.available());
        assertEquals("set OPENAI_API_KEY (or options.apiKeyEnv)", info.detail());

        ProviderException e = assertThrows(ProviderException.class, () -> new OpenAiProviderFactory()
                .create(new ProviderSpec("openai", null, Map.of()), env(Map.of())));
        assertEquals(ProviderException.Kind.UNAVAILABLE, e.kind());
        assertEquals("openai: set OPENAI_API_KEY (or options.apiKeyEnv)", e.getMessage());
    }

    @Test
    void withAKeyOpenAiIsAvailableWithoutShowingTheKey() {
        ProviderInfo info = new OpenAiProviderFactory().describe(env(Map.of("OPENAI_API_KEY", "sk-test-abcdefgh")));
        assertTrue(info.available());
        assertFalse(info.detail().contains("sk-test"));
        assertTrue(info.models().contains("gpt-4.1-mini"), info.models().toString());
    }

    @Test
    void everyListedModelHasAPrice() {
        for (String model : OpenAiCompatibleFactory.OPENAI_MODELS) {
            assertTrue(dev.loopwire.providers.http.Pricing.builtIn().find(model).isPresent(), model);
        }
        for (String model : dev.loopwire.providers.anthropic.AnthropicModels.LISTED) {
            assertTrue(dev.loopwire.providers.http.Pricing.builtIn().find(model).isPresent(), model);
        }
    }

    @Test
    void apiKeyEnvChoosesAnotherVariable() throws Exception {
        ProviderException e = assertThrows(ProviderException.class, () -> new OpenAiProviderFactory()
                .create(new ProviderSpec("openai", null, Map.of("apiKeyEnv", "MY_KEY")), env(Map.of("OPENAI_API_KEY", "x1234"))));
        assertEquals("openai: set MY_KEY", e.getMessage());
        new OpenAiProviderFactory().create(new ProviderSpec("openai", null, Map.of("apiKeyEnv", "MY_KEY")),
                env(Map.of("MY_KEY", "sk-mine-12345678")));
        // a variable whose name does not look secret: the provider declares the key, so the engine redacts it
        var provider = new OpenAiProviderFactory().create(new ProviderSpec("openai", null,
                Map.of("apiKeyEnv", "LLM_ACCESS")), env(Map.of("LLM_ACCESS", "plain-access-value-991")));
        assertEquals(java.util.List.of("plain-access-value-991"), java.util.List.copyOf(provider.secrets()));
        var ollama = new OllamaProviderFactory().create(new ProviderSpec("ollama", null, Map.of()), env(Map.of()));
        assertTrue(ollama.secrets().isEmpty(), "no key, nothing declared");
    }

    @Test
    void malformedOptionsFailWithTheOptionsName() {
        ProviderException e = assertThrows(ProviderException.class, () -> new OpenAiProviderFactory().create(
                new ProviderSpec("openai", null, Map.of("readTimeoutSeconds", "soon")),
                env(Map.of("OPENAI_API_KEY", "sk-test-abcdefgh"))));
        assertEquals(ProviderException.Kind.FATAL, e.kind());
        assertEquals("option readTimeoutSeconds must be a number, got 'soon'", e.getMessage());

        e = assertThrows(ProviderException.class, () -> new OpenAiProviderFactory().create(
                new ProviderSpec("openai", null, Map.of("baseUrl", "localhost:11434")),
                env(Map.of("OPENAI_API_KEY", "sk-test-abcdefgh"))));
        assertTrue(e.getMessage().startsWith("option baseUrl must be an http(s) URL"), e.getMessage());
    }

    @Test
    void ollamaIsConfiguredWithoutAProbeAndNeedsNoKey() throws Exception {
        ProviderInfo info = new OllamaProviderFactory().describe(env(Map.of()));
        assertTrue(info.available());
        assertTrue(info.detail().startsWith("configured: http://127.0.0.1:11434/v1"), info.detail());
        assertNull(info.models());
    }

    @Test
    void ollamaStreamsWithoutAuthorizationAndCostsNothing() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            server.enqueue(sse("openai/text-stream.sse"));
            TurnResult result = new OllamaProviderFactory()
                    .create(new ProviderSpec("ollama", "qwen2.5-coder:7b", Map.of("baseUrl", server.url("/v1").toString())),
                            env(Map.of("OPENAI_API_KEY", "sk-not-for-ollama")))
                    .turn(OpenAiProviderTest.request(List.of(), List.of(), 64L), new RecordingTurnSink(), Cancellation.NONE);

            assertEquals(19, result.usage().inputTokens());
            assertEquals(0.0, result.usage().costUsd());
            RecordedRequest recorded = server.takeRequest();
            assertNull(recorded.getHeaders().get("Authorization"));
            var body = Json.MAPPER.readTree(recorded.getBody().utf8());
            assertEquals("qwen2.5-coder:7b", body.get("model").asText());
            assertEquals(64, body.get("max_tokens").asInt());
        }
    }

    @Test
    void theProbeListsModelsOfAReachableServerAndIsEmptyOtherwise() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                    .body("{\"object\":\"list\",\"data\":[{\"id\":\"llama3.2:latest\",\"object\":\"model\",\"created\":1731000000,\"owned_by\":\"library\"},"
                            + "{\"id\":\"qwen2.5-coder:7b\",\"object\":\"model\",\"created\":1731000001,\"owned_by\":\"library\"}]}")
                    .build());
            // a generous timeout: the 300 ms default is for auto-selection, not for a loaded CI machine
            Optional<List<String>> models = new OllamaProviderFactory()
                    .probe(env(Map.of()), Map.of("baseUrl", server.url("/v1").toString()), Duration.ofSeconds(5));
            assertEquals(Optional.of(List.of("llama3.2:latest", "qwen2.5-coder:7b")), models);
            assertEquals("/v1/models", server.takeRequest().getUrl().encodedPath());
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        assertEquals(Optional.empty(), new OllamaProviderFactory()
                .probe(env(Map.of()), Map.of("baseUrl", "http://127.0.0.1:" + closedPort + "/v1")));
    }

    @Test
    void openRouterUsesItsOwnKeyAndReportedCost() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            String stream = "data: {\"id\":\"gen-1\",\"provider\":\"OpenAI\",\"model\":\"openai/gpt-4o-mini\",\"object\":\"chat.completion.chunk\",\"created\":1732250000,"
                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null,\"native_finish_reason\":null,\"logprobs\":null}]}\n\n"
                    + ": OPENROUTER PROCESSING\n\n"
                    + "data: {\"id\":\"gen-1\",\"provider\":\"OpenAI\",\"model\":\"openai/gpt-4o-mini\",\"object\":\"chat.completion.chunk\",\"created\":1732250000,"
                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":\"stop\",\"native_finish_reason\":\"stop\",\"logprobs\":null}],"
                    + "\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13,\"cost\":0.0000024,\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n"
                    + "data: [DONE]\n\n";
            server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream").body(stream).build());
            TurnResult result = new OpenRouterProviderFactory()
                    .create(new ProviderSpec("openrouter", "openai/gpt-4o-mini", Map.of("baseUrl", server.url("/api/v1").toString())),
                            env(Map.of("OPENROUTER_API_KEY", "sk-or-v1-test-0000")))
                    .turn(OpenAiProviderTest.simple(), new RecordingTurnSink(), Cancellation.NONE);
            assertEquals("Hi", result.text());
            assertEquals(0.0000024, result.usage().costUsd(), 1e-15);
            RecordedRequest recorded = server.takeRequest();
            assertEquals("/api/v1/chat/completions", recorded.getUrl().encodedPath());
            assertEquals("Bearer sk-or-v1-test-0000", recorded.getHeaders().get("Authorization"));
        } catch (IOException e) {
            throw e;
        }
    }
}
