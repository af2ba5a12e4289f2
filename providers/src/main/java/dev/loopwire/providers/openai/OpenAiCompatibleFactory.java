package dev.loopwire.providers.openai;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Factory of an OpenAI-compatible provider with the defaults of one {@link OpenAiPreset}.
 *
 * <p>Options: {@code baseUrl}, {@code apiKeyEnv} ({@code none} for servers without auth),
 * {@code maxTokensParam}, {@code maxContinuations} (default 2), {@code includeUsage} (default
 * true), {@code temperature}, {@code reasoningEffort}, {@code extraBody} (a JSON object merged
 * into every request), {@code pricing}, and the HTTP settings of {@link HttpSettings}.
 */
public abstract class OpenAiCompatibleFactory implements ProviderFactory {

    private final OpenAiPreset preset;

    protected OpenAiCompatibleFactory(OpenAiPreset preset) {
        this.preset = preset;
    }

    /** The defaults of this id. */
    public OpenAiPreset preset() {
        return preset;
    }

    @Override
    public String id() {
        return preset.id();
    }

    @Override
    public ProviderInfo describe(ProviderContext context) {
        if (preset.local()) {
            return new ProviderInfo(preset.id(), true, "configured: " + preset.baseUrl()
                    + " (OpenAI-compatible; start the server with `ollama serve`, pick a model with --model;"
                    + " other servers via options.baseUrl)", null);
        }
        String env = preset.apiKeyEnv();
        boolean hasKey = key(context, env) != null;
        String detail = hasKey
                ? "API key from " + env + "; default model " + preset.defaultModel()
                : "set " + env + " (or options.apiKeyEnv)";
        return new ProviderInfo(preset.id(), hasKey, detail, knownModels());
    }

    /** Well-known models of this endpoint, all in the price table (null when not known). */
    protected List<String> knownModels() {
        return preset == OpenAiPreset.OPENAI ? OPENAI_MODELS : null;
    }

    /** Listed by {@link #describe}; a constant, so that describing loads nothing. */
    static final List<String> OPENAI_MODELS = List.of("gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o",
            "gpt-4o-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano", "o3", "o3-mini", "o4-mini");

    @Override
    public Provider create(ProviderSpec spec, ProviderContext context) throws ProviderException {
        Map<String, Object> options = spec.options() == null ? Map.of() : spec.options();
        OptionReader o = new OptionReader(options);
        HttpSettings settings = HttpSettings.fromOptions(options);
        HttpUrl base = baseUrl(o);
        HttpUrl endpoint = base.newBuilder().addPathSegments("chat/completions").build();
        String keyEnv = o.string("apiKeyEnv", preset.apiKeyEnv());
        String apiKey = null;
        if (keyEnv != null && !keyEnv.equalsIgnoreCase("none")) {
            apiKey = key(context, keyEnv);
            if (apiKey == null && (preset.keyRequired() || options.containsKey("apiKeyEnv"))) {
                throw new ProviderException(Kind.UNAVAILABLE, preset.id() + ": set " + keyEnv
                        + (keyEnv.equals(preset.apiKeyEnv()) ? " (or options.apiKeyEnv)" : ""));
            }
        }
        String model = spec.model() != null && !spec.model().isBlank() ? spec.model() : o.string("model", preset.defaultModel());
        String maxTokensParam = o.string("maxTokensParam", preset.maxTokensParam());
        if (!maxTokensParam.equals("max_tokens") && !maxTokensParam.equals("max_completion_tokens")) {
            throw new ProviderException(Kind.FATAL, "option maxTokensParam must be max_tokens or max_completion_tokens");
        }
        Double temperature = o.raw("temperature") == null ? null : o.doubleValue("temperature", 1, 0, 2);
        String effort = o.string("reasoningEffort", null);
        ObjectNode extraBody = extraBody(o.raw("extraBody"));
        OpenAiProvider.Config config = new OpenAiProvider.Config(preset, endpoint, apiKey, model, maxTokensParam,
                o.bool("includeUsage", true), o.intValue("maxContinuations", 2, 0, 10),
                Pricing.builtIn().withOverrides(o.raw("pricing")),
                new OpenAiRequests.RequestExtras(temperature, effort, extraBody));
        Redactor redaction = Redactor.withSecrets(context == null ? null : context.environment(), apiKey == null ? List.of() : List.of(apiKey));
        String authHint = keyEnv == null || keyEnv.equalsIgnoreCase("none") ? "the server wants an API key: set options.apiKeyEnv"
                : "check the key in " + keyEnv;
        SseStreamer streamer = new SseStreamer(SharedHttpClient.with(settings), settings, preset.id(), redaction, authHint);
        return new OpenAiProvider(config, streamer, redaction);
    }

    /**
     * Whether the server answers {@code GET {baseUrl}/models} within {@code timeout}, with the
     * model ids it lists. For the registry's auto-selection (a local Ollama); never called by
     * {@link #describe}. Empty when unreachable or not answering 2xx.
     */
    public Optional<List<String>> probe(ProviderContext context, Map<String, Object> options, Duration timeout) {
        HttpUrl base;
        try {
            base = baseUrl(new OptionReader(options));
        } catch (ProviderException e) {
            return Optional.empty();
        }
        OkHttpClient client = SharedHttpClient.get().newBuilder().callTimeout(timeout).connectTimeout(timeout)
                .readTimeout(timeout).retryOnConnectionFailure(false).build();
        // a one-off look: no pooled connection left behind
        Request.Builder request = new Request.Builder().url(base.newBuilder().addPathSegment("models").build())
                .header("Connection", "close").get();
        String keyEnv = new OptionReader(options).string("apiKeyEnv", preset.apiKeyEnv());
        String key = keyEnv == null || keyEnv.equalsIgnoreCase("none") ? null : key(context, keyEnv);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        Call call = client.newCall(request.build());
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                return Optional.empty();
            }
            List<String> models = new ArrayList<>();
            JsonNode data = Json.MAPPER.readTree(response.body().string()).path("data");
            for (JsonNode m : data) {
                String id = Json.text(m, "id");
                if (id != null) {
                    models.add(id);
                }
            }
            return Optional.of(models);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@link #probe} with the 300 ms timeout used for auto-selection. */
    public Optional<List<String>> probe(ProviderContext context, Map<String, Object> options) {
        return probe(context, options == null ? Map.of() : options, Duration.ofMillis(300));
    }

    private HttpUrl baseUrl(OptionReader o) throws ProviderException {
        String text = o.string("baseUrl", preset.baseUrl());
        HttpUrl url = HttpUrl.parse(text);
        if (url == null) {
            throw new ProviderException(Kind.FATAL, "option baseUrl must be an http(s) URL, got '" + text + "'");
        }
        return url;
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

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + preset.id().toLowerCase(Locale.ROOT) + "]";
    }
}
