package dev.loopwire.providers.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.TurnUsage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PricingTest {

    private final Pricing table = Pricing.builtIn();

    @Test
    void theBundledTableHasAnAsOfDateAndTheCommonModels() {
        assertTrue(table.asOf().matches("\\d{4}-\\d{2}-\\d{2}"), table.asOf());
        for (String model : List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3", "o4-mini",
                "claude-sonnet-4", "claude-opus-4", "claude-3-5-haiku")) {
            assertTrue(table.find(model).isPresent(), model);
        }
    }

    @Test
    void datedNamesAliasesAndRouterPrefixesFindTheirModel() {
        assertEquals(table.find("gpt-4o-mini"), table.find("gpt-4o-mini-2024-07-18"));
        assertEquals(table.find("claude-sonnet-4"), table.find("claude-sonnet-4-20250514"));
        assertEquals(table.find("claude-sonnet-4"), table.find("claude-sonnet-4-0"));
        assertEquals(table.find("claude-3-5-haiku"), table.find("claude-3-5-haiku-latest"));
        assertEquals(table.find("claude-opus-4-1"), table.find("claude-opus-4-1-20250805"));
        assertEquals(table.find("gpt-4o"), table.find("openai/gpt-4o"));
        assertEquals(5.00, table.find("gpt-4o-2024-05-13").orElseThrow().input(), "an exact dated entry wins");
    }

    @Test
    void anUnknownModelHasNoCostButKeepsItsTokens() {
        assertFalse(table.find("o3-pro").isPresent(), "a variant is not priced as its base model");
        assertFalse(table.find("llama3.2:3b").isPresent());
        TurnUsage usage = table.usage("my-finetune", 1000, 200, 0, 50);
        assertEquals(new TurnUsage(1000, 50, 200, null), usage);
    }

    @Test
    void costSeparatesUncachedCachedAndCacheWriteTokens() {
        Pricing.Price sonnet = table.find("claude-sonnet-4").orElseThrow();
        assertEquals((700 * 3.0 + 200 * 0.30 + 100 * 3.75 + 50 * 15.0) / 1e6, sonnet.cost(1000, 200, 100, 50), 1e-12);
        Pricing.Price noCachePrice = new Pricing.Price(1.0, 2.0, null, null);
        assertEquals((1000 * 1.0 + 10 * 2.0) / 1e6, noCachePrice.cost(1000, 300, 0, 10), 1e-12);
    }

    @Test
    void userPricesOverrideAndAddModelsAsMapOrJsonText() throws Exception {
        Pricing custom = table.withOverrides(Map.of("gpt-4o", Map.of("input", 1, "output", 2),
                "my-finetune", Map.of("input", 0.5, "output", 1.5, "cachedInput", 0.1)));
        assertEquals(1.0, custom.find("gpt-4o-2024-08-06").orElseThrow().input());
        assertEquals(0.1, custom.find("my-finetune").orElseThrow().cachedInput());
        assertEquals(2.50, table.find("gpt-4o").orElseThrow().input(), "the bundled table is unchanged");
        Pricing fromText = table.withOverrides("{\"qwen2.5-coder:7b\":{\"input\":0,\"output\":0}}");
        assertEquals(0.0, fromText.usage("qwen2.5-coder:7b", 10, 0, 0, 10).costUsd());
        assertEquals(table, table.withOverrides(null));
    }

    @Test
    void malformedUserPricesAreRejectedClearly() {
        ProviderException e = assertThrows(ProviderException.class,
                () -> table.withOverrides(Map.of("x", Map.of("input", "cheap", "output", 1))));
        assertEquals("pricing for 'x' needs numbers input and output (USD per million tokens)", e.getMessage());
        assertThrows(ProviderException.class, () -> table.withOverrides("[1,2]"));
        assertThrows(ProviderException.class, () -> table.withOverrides(Map.of("x", Map.of("input", -1, "output", 1))));
        assertNull(table.find(null).orElse(null));
    }
}
