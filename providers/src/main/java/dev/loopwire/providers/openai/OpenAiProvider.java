package dev.loopwire.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ToolCallRequest;
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
 * An OpenAI-compatible chat completions provider: streams {@code POST {baseUrl}/chat/completions}
 * and returns the assembled text, tool calls and usage. An answer cut at the output limit
 * ({@code finish_reason: "length"}) is continued with a nudge, a bounded number of times.
 */
public final class OpenAiProvider implements Provider {

    /** Sent as a user message after an answer that was cut at the output limit. */
    static final String CONTINUE_NUDGE = "Your previous response was truncated due to output length limits. "
            + "Continue directly from where you stopped. Do not repeat earlier content.";

    private static final MediaType JSON = MediaType.get("application/json");

    /** Everything a provider instance needs, fixed at creation. */
    record Config(
            OpenAiPreset preset,
            HttpUrl endpoint,
            String apiKey,
            String model,
            String maxTokensParam,
            boolean includeUsage,
            int maxContinuations,
            Pricing pricing,
            OpenAiRequests.RequestExtras extras) {
    }

    private final Config config;
    private final SseStreamer streamer;
    private final Redactor redaction;

    OpenAiProvider(Config config, SseStreamer streamer, Redactor redaction) {
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
        String label = config.preset().id();
        String model = request.model() != null && !request.model().isBlank() ? request.model() : config.model();
        Long budget = request.maxOutputTokens();
        List<ObjectNode> extra = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        UsageTotal total = new UsageTotal();
        for (int round = 0; ; round++) {
            Long cap = budget == null ? null : Math.max(1, budget - total.outputTokens());
            ObjectNode body = OpenAiRequests.body(request, model, extra, cap, config.maxTokensParam(),
                    config.includeUsage(), config.extras());
            OpenAiStreamHandler handler = streamer.stream(httpRequest(body),
                    () -> new OpenAiStreamHandler(sink, label, redaction), sink, cancel);
            text.append(handler.text());
            total.add(usage(model, handler));
            String finish = handler.finishReason() == null ? "stop" : handler.finishReason();
            boolean budgetLeft = budget == null || total.outputTokens() < budget;
            if ("length".equals(finish) && round < config.maxContinuations() && !handler.text().isEmpty()
                    && budgetLeft) {
                if (!handler.toolCalls().isEmpty()) {
                    sink.log(label + ": dropped " + handler.toolCalls().size()
                            + " tool call(s) cut at the output limit");
                }
                sink.log(label + ": answer cut at the output limit; asking the model to continue ("
                        + (round + 1) + " of " + config.maxContinuations() + ")");
                extra.add(OpenAiRequests.assistantText(handler.text()));
                extra.add(OpenAiRequests.userText(CONTINUE_NUDGE));
                continue;
            }
            if ("length".equals(finish)) {
                sink.log(label + ": answer cut at the output limit (finish_reason length)");
            }
            List<ToolCallRequest> calls = handler.toolCalls();
            return new TurnResult(text.toString(), calls, total.toUsage(), finish);
        }
    }

    private Request httpRequest(ObjectNode body) throws ProviderException {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new ProviderException(ProviderException.Kind.FATAL, "cannot encode the request: " + e.getOriginalMessage());
        }
        Request.Builder builder = new Request.Builder()
                .url(config.endpoint())
                .header("Accept", "text/event-stream")
                .post(RequestBody.create(bytes, JSON));
        if (config.apiKey() != null) {
            builder.header("Authorization", "Bearer " + config.apiKey());
        }
        if (config.preset() == OpenAiPreset.OPENROUTER) {
            builder.header("X-Title", "Loopwire");
        }
        return builder.build();
    }

    /** Tokens from the usage chunk; cost from the server's own figure, the price table, or 0 when local. */
    private TurnUsage usage(String model, OpenAiStreamHandler handler) {
        JsonNode u = handler.usage();
        if (u == null) {
            return new TurnUsage(0, 0, 0, config.preset().local() ? 0.0 : null);
        }
        long input = Json.number(u, "prompt_tokens", 0);
        long output = Json.number(u, "completion_tokens", 0);
        long cached = Json.number(u.path("prompt_tokens_details"), "cached_tokens", 0);
        JsonNode cost = u.get("cost");
        if (cost != null && cost.isNumber()) {
            return new TurnUsage(input, output, cached, cost.asDouble());
        }
        TurnUsage priced = config.pricing().usage(model, input, cached, 0, output);
        if (priced.costUsd() == null && config.preset().local()) {
            // local inference costs nothing unless the user priced the model
            return new TurnUsage(input, output, cached, 0.0);
        }
        if (priced.costUsd() == null && handler.responseModel() != null) {
            priced = config.pricing().usage(handler.responseModel(), input, cached, 0, output);
        }
        return priced;
    }
}
