package dev.loopwire.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProviderException.Kind;
import dev.loopwire.engine.spi.ProviderFactory;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.http.HttpSettings;
import dev.loopwire.providers.http.Json;
import dev.loopwire.providers.http.OptionReader;
import dev.loopwire.providers.http.Pricing;
import dev.loopwire.engine.tools.Redactor;
import dev.loopwire.providers.http.SharedHttpClient;
import dev.loopwire.providers.http.SseStreamer;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * Provider id {@code anthropic}: the Anthropic Messages API with the key from
 * {@code ANTHROPIC_API_KEY}.
 *
 * <p>Options: {@code baseUrl} (default {@code https://api.anthropic.com}), {@code apiKeyEnv},
 * {@code maxTokens} (default 8192, clamped to the budget left), {@code maxContinuations}
 * (default 2), {@code temperature}, {@code extraBody}, {@code pricing}, and the HTTP settings of
 * {@link HttpSettings}.
 */
public final class AnthropicProviderFactory implements ProviderFactory {

    /** The provider id. */
    public static final String ID = "anthropic";
    static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    static final String DEFAULT_KEY_ENV = "ANTHROPIC_API_KEY";
    static final String DEFAULT_MODEL = "claude-sonnet-4-5";
    static final long DEFAULT_MAX_TOKENS = 8192;
    /** Listed by {@link #describe}; a constant, so that describing loads nothing. All are priced. */
    static final List<String> MODELS = List.of("claude-opus-4-5", "claude-opus-4-1", "claude-opus-4",
            "claude-sonnet-4-5", "claude-sonnet-4", "claude-haiku-4-5", "claude-3-7-sonnet", "claude-3-5-haiku");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ProviderInfo describe(ProviderContext context) {
        boolean hasKey = key(context, DEFAULT_KEY_ENV) != null;
        String detail = hasKey ? "API key from " + DEFAULT_KEY_ENV + "; default model " + DEFAULT_MODEL
                : "set " + DEFAULT_KEY_ENV + " (or options.apiKeyEnv)";
        return new ProviderInfo(ID, hasKey, detail, MODELS);
    }

    @Override
    public Provider create(ProviderSpec spec, ProviderContext context) throws ProviderException {
        Map<String, Object> options = spec.options() == null ? Map.of() : spec.options();
        OptionReader o = new OptionReader(options);
        HttpSettings settings = HttpSettings.fromOptions(options);
        String keyEnv = o.string("apiKeyEnv", DEFAULT_KEY_ENV);
        String apiKey = key(context, keyEnv);
        if (apiKey == null) {
            throw new ProviderException(Kind.UNAVAILABLE, "anthropic: set " + keyEnv
                    + (keyEnv.equals(DEFAULT_KEY_ENV) ? " (or options.apiKeyEnv)" : ""));
        }
        String baseText = o.string("baseUrl", DEFAULT_BASE_URL);
        HttpUrl base = HttpUrl.parse(baseText);
        if (base == null) {
            throw new ProviderException(Kind.FATAL, "option baseUrl must be an http(s) URL, got '" + baseText + "'");
        }
        List<String> segments = base.pathSegments();
        boolean hasV1 = segments.contains("v1") && "v1".equals(lastNonEmpty(segments));
        HttpUrl endpoint = base.newBuilder().addPathSegments(hasV1 ? "messages" : "v1/messages").build();
        String model = spec.model() != null && !spec.model().isBlank() ? spec.model() : o.string("model", DEFAULT_MODEL);
        Double temperature = o.raw("temperature") == null ? null : o.doubleValue("temperature", 1, 0, 1);
        AnthropicProvider.Config config = new AnthropicProvider.Config(endpoint, apiKey, model,
                o.longValue("maxTokens", DEFAULT_MAX_TOKENS, 1, 1_000_000),
                o.intValue("maxContinuations", 2, 0, 10),
                Pricing.builtIn().withOverrides(o.raw("pricing")), temperature, extraBody(o.raw("extraBody")));
        Redactor redaction = Redactor.withSecrets(context == null ? null : context.environment(), List.of(apiKey));
        SseStreamer streamer = new SseStreamer(SharedHttpClient.with(settings), settings, ID, redaction,
                "check the key in " + keyEnv);
        return new AnthropicProvider(config, streamer, redaction);
    }

    private static String lastNonEmpty(List<String> segments) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            if (!segments.get(i).isEmpty()) {
                return segments.get(i);
            }
        }
        return "";
    }

    private static ObjectNode extraBody(Object raw) throws ProviderException {
        if (raw == null) {
            return null;
        }
        try {
            JsonNode node = raw instanceof String s ? Json.MAPPER.readTree(s) : Json.MAPPER.valueToTree(raw);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (IOException | IllegalArgumentException e) {
            // reported below
        }
        throw new ProviderException(Kind.FATAL, "option extraBody must be a JSON object");
    }

    private static String key(ProviderContext context, String env) {
        if (env == null || context == null || context.environment() == null) {
            return null;
        }
        String value = context.environment().get(env);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
