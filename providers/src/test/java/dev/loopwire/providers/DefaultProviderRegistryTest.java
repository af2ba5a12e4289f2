package dev.loopwire.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProviderFactory;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.anthropic.AnthropicProviderFactory;
import dev.loopwire.providers.openai.OllamaProviderFactory;
import dev.loopwire.providers.openai.OpenAiProviderFactory;
import dev.loopwire.providers.scripted.ScriptedProviderFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class DefaultProviderRegistryTest {

    @TempDir
    Path tmp;

    /** A factory test double with fixed availability that records the specs it was given. */
    static final class FixedTestFactory implements ProviderFactory {
        final String id;
        final boolean available;
        final List<ProviderSpec> created = new ArrayList<>();

        FixedTestFactory(String id, boolean available) {
            this.id = id;
            this.available = available;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public ProviderInfo describe(ProviderContext context) {
            return new ProviderInfo(id, available, available ? "ready" : "not here", List.of());
        }

        @Override
        public Provider create(ProviderSpec spec, ProviderContext context) {
            created.add(spec);
            return new Provider() {
                @Override
                public TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel) {
                    return new TurnResult("", List.of(), null, "end_turn");
                }
            };
        }
    }

    private ProviderContext context() {
        return new ProviderContext(tmp.resolve("ws"), Map.of(), tmp.resolve("user"), ProcessTracker.NONE);
    }

    private void userConfig(String json) throws Exception {
        Files.createDirectories(tmp.resolve("user"));
        Files.writeString(tmp.resolve("user/config.json"), json);
    }

    private void workspaceConfig(String json) throws Exception {
        Files.createDirectories(tmp.resolve("ws/.loopwire"));
        Files.writeString(tmp.resolve("ws/.loopwire/config.json"), json);
    }

    @Test
    void serviceLoaderFindsTheBuiltInProvidersInAStableOrder() {
        DefaultProviderRegistry registry = Providers.registry();
        List<String> ids = registry.ids();
        assertTrue(ids.containsAll(List.of("scripted", "claude-code", "codex", "command")), ids.toString());
        assertEquals(ids, Providers.registry().ids());
        List<String> known = ids.stream().filter(DefaultProviderRegistry.LIST_ORDER::contains).toList();
        assertEquals(DefaultProviderRegistry.LIST_ORDER.stream().filter(known::contains).toList(), known);
        List<ProviderInfo> infos = registry.list(context());
        assertEquals(ids, infos.stream().map(ProviderInfo::id).toList());
        assertTrue(infos.stream().filter(i -> i.id().equals("scripted")).findFirst().orElseThrow().available());
    }

    @Test
    void ordersKnownIdsFirstThenOthersAlphabetically() {
        DefaultProviderRegistry r = new DefaultProviderRegistry(List.of(new FixedTestFactory("zeta", true),
                new FixedTestFactory("scripted", true), new FixedTestFactory("alpha", true),
                new FixedTestFactory("codex", false), new FixedTestFactory("claude-code", false)));
        assertEquals(List.of("claude-code", "codex", "scripted", "alpha", "zeta"), r.ids());
    }

    @Test
    void configOptionsAreMergedUnderTheLoopsOwnAndTheWorkspaceWins() throws Exception {
        userConfig("""
                {"providers": {"x": {"binary": "/user/bin/x", "model": "user-model", "nested": {"a": 1, "b": 1},
                                     "timeoutSeconds": 10}}}""");
        workspaceConfig("""
                {"providers": {"x": {"binary": "/ws/bin/x", "nested": {"b": 2}}}}""");
        FixedTestFactory x = new FixedTestFactory("x", true);
        DefaultProviderRegistry r = new DefaultProviderRegistry(List.of(x));
        r.create(new ProviderSpec("x", null, Map.of("timeoutSeconds", 99)), context());
        ProviderSpec got = x.created.get(0);
        assertEquals("user-model", got.model());
        assertEquals("/ws/bin/x", got.options().get("binary"));
        assertEquals(Map.of("a", 1, "b", 2), got.options().get("nested"));
        assertEquals(99, got.options().get("timeoutSeconds"));

        r.create(new ProviderSpec("x", "loop-model", null), context());
        assertEquals("loop-model", x.created.get(1).model());
    }

    @Test
    void autoSelectPrefersTheConfiguredDefault() throws Exception {
        userConfig("{\"provider\": {\"id\": \"openai\", \"model\": \"gpt-4o\"}}");
        workspaceConfig("{\"provider\": {\"id\": \"scripted\", \"options\": {\"script\": \"t.json\"}}}");
        DefaultProviderRegistry r = new DefaultProviderRegistry(List.of(new FixedTestFactory("claude-code", true)));
        ProviderSpec spec = r.autoSelect(context()).orElseThrow();
        assertEquals("scripted", spec.id());
        assertEquals("gpt-4o", spec.model());
        assertEquals(Map.of("script", "t.json"), spec.options());
    }

    @Test
    void autoSelectTakesTheFirstAvailableInPreferenceOrder() {
        DefaultProviderRegistry r = new DefaultProviderRegistry(List.of(new FixedTestFactory("ollama", true),
                new FixedTestFactory("openai", true), new FixedTestFactory("claude-code", false),
                new FixedTestFactory("scripted", true)));
        assertEquals("openai", r.autoSelect(context()).orElseThrow().id());

        DefaultProviderRegistry none = new DefaultProviderRegistry(List.of(new FixedTestFactory("codex", false),
                new FixedTestFactory("scripted", true)));
        assertEquals(Optional.empty(), none.autoSelect(context()));
    }

    @Test
    void unknownIdsAndBrokenConfigGiveClearErrors() throws Exception {
        DefaultProviderRegistry r = new DefaultProviderRegistry(List.of(new FixedTestFactory("x", true)));
        ProviderException unknown = assertThrows(ProviderException.class,
                () -> r.create(new ProviderSpec("nope", null, null), context()));
        assertEquals(ProviderException.Kind.UNAVAILABLE, unknown.kind());
        assertEquals("unknown provider 'nope'; known providers: x", unknown.getMessage());

        workspaceConfig("{\"providers\": {\"x\": \"not an object\"}}");
        ProviderException broken = assertThrows(ProviderException.class,
                () -> r.create(new ProviderSpec("x", null, null), context()));
        assertTrue(broken.getMessage().contains(tmp.resolve("ws/.loopwire/config.json").toString()), broken.getMessage());
        assertTrue(broken.getMessage().contains("\"providers.x\" must be an object"), broken.getMessage());

        workspaceConfig("{\"providers\": ");
        ProviderException invalid = assertThrows(ProviderException.class,
                () -> r.create(new ProviderSpec("x", null, null), context()));
        assertTrue(invalid.getMessage().contains("invalid JSON at line 1"), invalid.getMessage());
    }

    /** {@code GET /v1/models} as Ollama answers it. */
    private static MockResponse ollamaModels(String... ids) {
        StringBuilder data = new StringBuilder();
        for (String id : ids) {
            data.append(data.length() == 0 ? "" : ",").append("{\"id\":\"").append(id)
                    .append("\",\"object\":\"model\",\"created\":1731000000,\"owned_by\":\"library\"}");
        }
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
                .body("{\"object\":\"list\",\"data\":[" + data + "]}").build();
    }

    /** The real factories of the auto-selection order, without keys or CLI binaries on PATH. */
    private static DefaultProviderRegistry realApiFactories() {
        return new DefaultProviderRegistry(List.of(new FixedTestFactory("claude-code", false),
                new FixedTestFactory("codex", false), new AnthropicProviderFactory(), new OpenAiProviderFactory(),
                new OllamaProviderFactory(), new ScriptedProviderFactory()));
    }

    @Test
    void autoSelectChoosesOllamaOnlyWhenItsConfiguredServerAnswers() throws Exception {
        try (MockWebServer ollama = new MockWebServer()) {
            ollama.start(InetAddress.getByName("127.0.0.1"), 0);
            String baseUrl = ollama.url("/v1").toString();
            userConfig("{\"providers\": {\"ollama\": {\"baseUrl\": \"" + baseUrl + "\"}}}");
            // warm the shared HTTP client up so that class loading on a busy machine does not eat the 300 ms
            ollama.enqueue(ollamaModels("llama3.2:latest"));
            new OllamaProviderFactory().probe(context(), Map.of("baseUrl", baseUrl), Duration.ofSeconds(5));
            ollama.takeRequest();

            ollama.enqueue(ollamaModels("llama3.2:latest", "qwen2.5-coder:7b"));
            ProviderSpec spec = realApiFactories().autoSelect(context()).orElseThrow();
            assertEquals("ollama", spec.id());
            assertEquals(null, spec.model(), "the preset's llama3.2 is served, so it stays the default");
            assertEquals("/v1/models", ollama.takeRequest().getUrl().encodedPath());

            ollama.enqueue(ollamaModels("qwen2.5-coder:7b"));
            assertEquals("qwen2.5-coder:7b", realApiFactories().autoSelect(context()).orElseThrow().model(),
                    "without the default model the first one served is taken");

            ollama.enqueue(new MockResponse.Builder().code(503).body("starting").build());
            assertEquals(Optional.empty(), realApiFactories().autoSelect(context()), "a server that is not ready is not chosen");

            // a key wins over a reachable Ollama: OPENAI_API_KEY comes first in the order
            ProviderContext withKey = new ProviderContext(tmp.resolve("ws"), Map.of("OPENAI_API_KEY", "sk-test-0123456789abcdef"),
                    tmp.resolve("user"), ProcessTracker.NONE);
            int before = ollama.getRequestCount();
            assertEquals("openai", realApiFactories().autoSelect(withKey).orElseThrow().id());
            assertEquals(before, ollama.getRequestCount(), "no probe when an earlier provider is available");
        }
    }

    @Test
    void autoSelectFindsNothingWhenNoProviderIsReachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        workspaceConfig("{\"providers\": {\"ollama\": {\"baseUrl\": \"http://127.0.0.1:" + closedPort + "/v1\"}}}");
        DefaultProviderRegistry registry = realApiFactories();
        assertEquals(Optional.empty(), registry.autoSelect(context()));
        // listing still makes no network call and shows ollama as configured
        assertTrue(registry.list(context()).stream().anyMatch(i -> i.id().equals("ollama") && i.available()));
    }

    @Test
    void theHowToConfigureMessageNamesEverySetupAndTheScriptedProviderRunsTheExamples() throws Exception {
        String how = Providers.HOW_TO_CONFIGURE;
        for (String part : List.of("`claude` is on PATH", "providers.claude-code.binary", "`codex` is on PATH",
                "providers.codex.binary", "export ANTHROPIC_API_KEY=", "export OPENAI_API_KEY=", "ollama serve",
                "http://127.0.0.1:11434", "providers.ollama.baseUrl", "--provider ID", "~/.config/loopwire/config.json",
                "<workspace>/.loopwire/config.json", "--provider scripted --script turns.json")) {
            assertTrue(how.contains(part), "missing: " + part);
        }
        String spec = "{\"id\": \"scripted\", \"options\": {\"script\": \"turns.json\"}}";
        assertTrue(how.contains(spec));
        // the spec the message gives really plays the example's turns to its done token
        Path example = Path.of("..", "examples", "hello").toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(example.resolve("turns.json")), example.toString());
        var parsed = new com.fasterxml.jackson.databind.ObjectMapper().readValue(spec, Map.class);
        @SuppressWarnings("unchecked")
        ProviderSpec scripted = new ProviderSpec("scripted", null, (Map<String, Object>) parsed.get("options"));
        ProviderContext ctx = new ProviderContext(example, Map.of(), tmp.resolve("user"), ProcessTracker.NONE);
        Provider provider = Providers.registry().create(scripted, ctx);
        StringBuilder text = new StringBuilder();
        for (int call = 0; call < 20 && !text.toString().contains("<promise>DONE</promise>"); call++) {
            TurnResult turn = provider.turn(new TurnRequest("hello-test", call + 1, call, "system", "go", List.of(), List.of(), null, null,
                    scripted.options(), example),
                    TurnSink.NONE, Cancellation.NONE);
            text.append(turn.text());
        }
        assertTrue(text.toString().contains("<promise>DONE</promise>"), text.toString());
    }

    @Test
    void topLevelPricingIsMergedUnderEveryProvidersOwnAndTheLoopsPricingWins() throws Exception {
        userConfig("""
                {"pricing": {"shared-model": {"input": 1.0, "output": 2.0}, "tuned": {"input": 3.0, "output": 12.0},
                             "loop-model": {"input": 9.0, "output": 9.0}}}""");
        workspaceConfig("""
                {"pricing": {"ws-model": {"input": 0.5, "output": 0.5}},
                 "providers": {"x": {"pricing": {"tuned": {"output": 10.0}}}}}""");
        FixedTestFactory x = new FixedTestFactory("x", true);
        FixedTestFactory y = new FixedTestFactory("y", true);
        DefaultProviderRegistry r = new DefaultProviderRegistry(List.of(x, y));
        r.create(new ProviderSpec("x", null, Map.of("pricing", Map.of("loop-model", Map.of("input", 4.0, "output", 5.0)))),
                context());
        assertEquals(Map.of(
                "shared-model", Map.of("input", 1.0, "output", 2.0),
                "tuned", Map.of("input", 3.0, "output", 10.0),
                "loop-model", Map.of("input", 4.0, "output", 5.0),
                "ws-model", Map.of("input", 0.5, "output", 0.5)), x.created.get(0).options().get("pricing"));

        // a provider without a pricing of its own gets the shared table; JSON text from the CLI is merged too
        r.create(new ProviderSpec("y", null, Map.of("pricing", "{\"tuned\": {\"input\": 1, \"output\": 1}}")), context());
        @SuppressWarnings("unchecked")
        Map<String, Object> got = (Map<String, Object>) y.created.get(0).options().get("pricing");
        assertEquals(Map.of("input", 1, "output", 1), got.get("tuned"));
        assertEquals(Map.of("input", 1.0, "output", 2.0), got.get("shared-model"));

        workspaceConfig("{\"pricing\": [1, 2]}");
        ProviderException bad = assertThrows(ProviderException.class, () -> r.create(new ProviderSpec("x", null, null), context()));
        assertTrue(bad.getMessage().contains("\"pricing\" must be an object"), bad.getMessage());
    }

    @Test
    void theOpenAiProviderPricesAModelFromTheTopLevelConfigPricing() throws Exception {
        userConfig("{\"pricing\": {\"my-finetune\": {\"input\": 3.0, \"output\": 12.0}}}");
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            server.enqueue(dev.loopwire.providers.http.SseFixtures.sse("openai/text-stream.sse"));
            ProviderContext ctx = new ProviderContext(tmp.resolve("ws"), Map.of("OPENAI_API_KEY", "sk-test-0123456789abcdef"),
                    tmp.resolve("user"), ProcessTracker.NONE);
            Provider p = realApiFactories().create(new ProviderSpec("openai", "my-finetune",
                    Map.of("baseUrl", server.url("/v1").toString())), ctx);
            TurnResult result = p.turn(new TurnRequest("l", 1, 0, "s", "go", List.of(), List.of(), null, null, Map.of(),
                    tmp.resolve("ws")), TurnSink.NONE, Cancellation.NONE);
            assertEquals(19, result.usage().inputTokens());
            assertEquals((19 * 3.0 + 10 * 12.0) / 1e6, result.usage().costUsd(), 1e-12);
        }
    }
}
