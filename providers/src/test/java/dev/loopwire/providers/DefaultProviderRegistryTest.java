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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
}
