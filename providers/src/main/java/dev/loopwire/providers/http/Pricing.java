package dev.loopwire.providers.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.TurnUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Prices per model in USD per million tokens, from the bundled table
 * ({@code dev/loopwire/providers/pricing.json}, with its as-of date) plus user overrides.
 *
 * <p>A model is found by its exact id, then an alias, then with a provider prefix
 * ({@code openai/}, {@code anthropic/}) or a date/{@code latest} suffix removed
 * ({@code gpt-4o-2024-08-06}, {@code claude-sonnet-4-20250514}). Anything else is unknown:
 * its cost is null while its tokens are still counted.
 */
public final class Pricing {

    /** One model's prices; {@code cachedInput} and {@code cacheWrite} fall back to {@code input}. */
    public record Price(double input, double output, Double cachedInput, Double cacheWrite) {

        /**
         * The cost of a call.
         *
         * @param inputTokens all input tokens, including the cached and cache-written ones
         */
        public double cost(long inputTokens, long cachedTokens, long cacheWriteTokens, long outputTokens) {
            long plain = Math.max(0, inputTokens - cachedTokens - cacheWriteTokens);
            double cached = cachedInput == null ? input : cachedInput;
            double write = cacheWrite == null ? input : cacheWrite;
            return (plain * input + cachedTokens * cached + cacheWriteTokens * write + outputTokens * output) / 1e6;
        }
    }

    private static final Pattern SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{4}|latest)$");
    private static final String RESOURCE = "/dev/loopwire/providers/pricing.json";

    private static final class BuiltIn {
        static final Pricing TABLE = load();
    }

    private final Map<String, Price> models;
    private final Map<String, String> aliases;
    private final String asOf;

    private Pricing(Map<String, Price> models, Map<String, String> aliases, String asOf) {
        this.models = Map.copyOf(models);
        this.aliases = Map.copyOf(aliases);
        this.asOf = asOf;
    }

    /** The bundled table (read once, on first use). */
    public static Pricing builtIn() {
        return BuiltIn.TABLE;
    }

    /** The date the bundled prices were taken. */
    public String asOf() {
        return asOf;
    }

    /** The model ids with a price. */
    public java.util.Set<String> models() {
        return models.keySet();
    }

    /**
     * This table with the user's prices on top. {@code option} is the {@code pricing} option or
     * config object: {@code {"model": {"input": 1.0, "output": 2.0, "cachedInput": 0.1}}}, as a
     * map or as JSON text. Null leaves the table as it is.
     */
    public Pricing withOverrides(Object option) throws ProviderException {
        if (option == null) {
            return this;
        }
        JsonNode root;
        try {
            root = option instanceof String text ? Json.MAPPER.readTree(text) : Json.MAPPER.valueToTree(option);
        } catch (IOException | IllegalArgumentException e) {
            throw bad("option pricing must be a JSON object of model -> {input, output, cachedInput?}");
        }
        if (root == null || !root.isObject()) {
            throw bad("option pricing must be an object of model -> {input, output, cachedInput?}");
        }
        Map<String, Price> merged = new HashMap<>(models);
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            merged.put(e.getKey().toLowerCase(Locale.ROOT), parsePrice(e.getKey(), e.getValue()));
        }
        return new Pricing(merged, aliases, asOf);
    }

    /** The price of a model, if known. */
    public Optional<Price> find(String model) {
        if (model == null || model.isBlank()) {
            return Optional.empty();
        }
        String id = model.trim().toLowerCase(Locale.ROOT);
        Price price = lookup(id);
        if (price == null && id.contains("/")) {
            id = id.substring(id.lastIndexOf('/') + 1);
            price = lookup(id);
        }
        if (price == null) {
            String stripped = SUFFIX.matcher(id).replaceFirst("");
            if (!stripped.equals(id)) {
                price = lookup(stripped);
            }
        }
        return Optional.ofNullable(price);
    }

    private Price lookup(String id) {
        Price price = models.get(id);
        if (price == null && aliases.containsKey(id)) {
            price = models.get(aliases.get(id));
        }
        return price;
    }

    /** Tokens as reported, with the cost when the model's price is known (else null). */
    public TurnUsage usage(String model, long inputTokens, long cachedTokens, long cacheWriteTokens, long outputTokens) {
        Double cost = find(model).map(p -> p.cost(inputTokens, cachedTokens, cacheWriteTokens, outputTokens))
                .orElse(null);
        return new TurnUsage(inputTokens, outputTokens, cachedTokens, cost);
    }

    private static Price parsePrice(String model, JsonNode node) throws ProviderException {
        if (node == null || !node.isObject() || !node.path("input").isNumber() || !node.path("output").isNumber()) {
            throw bad("pricing for '" + model + "' needs numbers input and output (USD per million tokens)");
        }
        Double cached = node.path("cachedInput").isNumber() ? node.get("cachedInput").asDouble() : null;
        Double write = node.path("cacheWrite").isNumber() ? node.get("cacheWrite").asDouble() : null;
        double input = node.get("input").asDouble();
        double output = node.get("output").asDouble();
        if (input < 0 || output < 0 || (cached != null && cached < 0) || (write != null && write < 0)) {
            throw bad("pricing for '" + model + "' must not be negative");
        }
        return new Price(input, output, cached, write);
    }

    private static ProviderException bad(String message) {
        return new ProviderException(ProviderException.Kind.FATAL, message);
    }

    private static Pricing load() {
        try (InputStream in = Pricing.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            JsonNode root = Json.MAPPER.readTree(in);
            Map<String, Price> models = new HashMap<>();
            for (Map.Entry<String, JsonNode> e : root.path("models").properties()) {
                models.put(e.getKey(), parsePrice(e.getKey(), e.getValue()));
            }
            Map<String, String> aliases = new HashMap<>();
            root.path("aliases").properties().forEach(e -> aliases.put(e.getKey(), e.getValue().asText()));
            return new Pricing(models, aliases, root.path("asOf").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ProviderException e) {
            throw new IllegalStateException("bad bundled pricing table: " + e.getMessage(), e);
        }
    }
}
