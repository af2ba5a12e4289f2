package dev.loopwire.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.engine.spi.TurnUsage;
import dev.loopwire.providers.http.Json;
import dev.loopwire.providers.http.Pricing;
import dev.loopwire.engine.tools.Redactor;
import dev.loopwire.providers.http.SseStreamer;
import dev.loopwire.providers.http.UsageTotal;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The Anthropic Messages API provider: streams {@code POST {baseUrl}/v1/messages} and returns the
 * assembled text, {@code tool_use} calls and usage. An answer cut at {@code max_tokens} is
 * continued with a nudge, a bounded number of times.
 */
public final class AnthropicProvider implements Provider {

    /** The API version header value this provider speaks. */
    public static final String API_VERSION = "2023-06-01";

    static final String CONTINUE_NUDGE = "Your previous response was truncated due to output length limits. "
            + "Continue directly from where you stopped. Do not repeat earlier content.";

    private static final MediaType JSON = MediaType.get("application/json");

    /** Everything a provider instance needs, fixed at creation. */
    record Config(HttpUrl endpoint, String apiKey, String model, long maxTokens, int maxContinuations,
            Pricing pricing, Double temperature, ObjectNode extraBody) {
    }

    private final Config config;
    private final SseStreamer streamer;
    private final Redactor redaction;

    AnthropicProvider(Config config, SseStreamer streamer, Redactor redaction) {
        this.config = config;
        this.streamer = streamer;
        this.redaction = redaction;
    }

    /** The API key, so that the engine redacts it everywhere whatever variable it came from. */
    @Override
    public java.util.Collection<String> secrets() {
        return config.apiKey() == null || config.apiKey().isEmpty() ? java.util.List.of() : java.util.List.of(config.apiKey());
    }

    @Override
    public TurnResult turn(TurnRequest request, TurnSink sink, Cancellation cancel)
            throws ProviderException, InterruptedException {
        String model = request.model() != null && !request.model().isBlank() ? request.model() : config.model();
        Long budget = request.maxOutputTokens();
        List<AnthropicRequests.Turn> extra = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        UsageTotal total = new UsageTotal();
        for (int round = 0; ; round++) {
            long maxTokens = config.maxTokens();
            if (budget != null) {
                maxTokens = Math.max(1, Math.min(maxTokens, budget - total.outputTokens()));
            }
            ObjectNode body = AnthropicRequests.body(request, model, extra, maxTokens, config.temperature(),
                    config.extraBody());
            AnthropicStreamHandler handler = streamer.stream(httpRequest(body),
                    () -> new AnthropicStreamHandler(sink, redaction), sink, cancel);
            text.append(handler.text());
            total.add(usage(model, handler));
            String stop = handler.stopReason() == null ? "end_turn" : handler.stopReason();
            boolean budgetLeft = budget == null || total.outputTokens() < budget;
            if ("max_tokens".equals(stop) && round < config.maxContinuations() && !handler.text().isBlank()
                    && budgetLeft) {
                if (!handler.toolCalls().isEmpty()) {
                    sink.log("anthropic: dropped " + handler.toolCalls().size()
                            + " tool call(s) cut at the output limit");
                }
                sink.log("anthropic: answer cut at max_tokens; asking the model to continue (" + (round + 1)
                        + " of " + config.maxContinuations() + ")");
                extra.add(AnthropicRequests.assistantText(handler.text()));
                extra.add(AnthropicRequests.userText(CONTINUE_NUDGE));
                continue;
            }
            if ("max_tokens".equals(stop)) {
                sink.log("anthropic: answer cut at max_tokens");
            }
            return new TurnResult(text.toString(), handler.toolCalls(), total.toUsage(), stop);
        }
    }

    private Request httpRequest(ObjectNode body) throws ProviderException {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new ProviderException(ProviderException.Kind.FATAL, "cannot encode the request: " + e.getOriginalMessage());
        }
        return new Request.Builder()
                .url(config.endpoint())
                .header("x-api-key", config.apiKey())
                .header("anthropic-version", API_VERSION)
                .header("Accept", "text/event-stream")
                .post(RequestBody.create(bytes, JSON))
                .build();
    }

    private TurnUsage usage(String model, AnthropicStreamHandler h) {
        if (!h.usageSeen()) {
            return new TurnUsage(0, 0, 0, null);
        }
        TurnUsage usage = config.pricing().usage(model, h.inputTokens(), h.cacheRead(), h.cacheWrite(), h.outputTokens());
        if (usage.costUsd() == null && h.responseModel() != null) {
            usage = config.pricing().usage(h.responseModel(), h.inputTokens(), h.cacheRead(), h.cacheWrite(),
                    h.outputTokens());
        }
        return usage;
    }
}
