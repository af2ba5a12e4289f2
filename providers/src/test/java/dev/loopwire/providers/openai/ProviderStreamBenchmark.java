package dev.loopwire.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderContext;
import dev.loopwire.engine.spi.TurnRequest;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnSink;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.anthropic.AnthropicProviderFactory;
import dev.loopwire.providers.http.Json;
import dev.loopwire.providers.http.SharedHttpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import okio.Buffer;

/**
 * Benchmark (not a test): streamed deltas per second from a MockWebServer SSE stream through the
 * {@code openai} and {@code anthropic} providers to a {@link TurnSink}, against reading the same
 * stream with okhttp-sse alone (events counted, nothing parsed) and with okhttp-sse plus a Jackson
 * parse of each event. Run it as documented in {@code bench/provider-stream/README.md}.
 *
 * <p>System properties: {@code deltas} (default 20000), {@code warmup} (3), {@code runs} (5).
 */
public final class ProviderStreamBenchmark {

    private static final int DELTAS = Integer.getInteger("deltas", 20_000);
    private static final int WARMUP = Integer.getInteger("warmup", 3);
    private static final int RUNS = Integer.getInteger("runs", 5);

    private ProviderStreamBenchmark() {
    }

    /** What a run measured. */
    private interface Run {
        long deltas() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Buffer openAi = openAiStream(DELTAS);
        Buffer anthropic = anthropicStream(DELTAS);
        System.out.printf(Locale.ROOT, "provider-stream: %d deltas per stream (openai %.1f MB, anthropic %.1f MB),"
                + " %d warm-up + %d measured runs, median%n", DELTAS, openAi.size() / 1e6, anthropic.size() / 1e6,
                WARMUP, RUNS);
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            Provider openAiProvider = new OpenAiProviderFactory().create(new ProviderSpec("openai", "gpt-4o-mini",
                    Map.of("baseUrl", server.url("/v1").toString())),
                    new ProviderContext(null, Map.of("OPENAI_API_KEY", "sk-bench-0000000000"), null, null));
            Provider anthropicProvider = new AnthropicProviderFactory().create(new ProviderSpec("anthropic",
                    "claude-sonnet-4", Map.of("baseUrl", server.url("/").toString())),
                    new ProviderContext(null, Map.of("ANTHROPIC_API_KEY", "sk-ant-bench-0000000000"), null, null));

            // contenders take turns within every round, so that a busy machine slows them alike
            List<Contender> contenders = List.of(
                    new Contender("okhttp-sse alone (openai stream)", openAi, () -> sseOnly(server, false)),
                    new Contender("okhttp-sse + Jackson per event (openai)", openAi, () -> sseOnly(server, true)),
                    new Contender("openai provider -> TurnSink", openAi, () -> viaProvider(openAiProvider)),
                    new Contender("okhttp-sse alone (anthropic stream)", anthropic, () -> sseOnly(server, false)),
                    new Contender("anthropic provider -> TurnSink", anthropic, () -> viaProvider(anthropicProvider)));
            for (int round = 0; round < WARMUP + RUNS; round++) {
                for (Contender c : contenders) {
                    c.once(server, round >= WARMUP);
                }
            }
            for (Contender c : contenders) {
                c.report();
            }
            // the ratio of each round (same load for both), median over the rounds
            System.out.printf(Locale.ROOT, "overhead openai:    %.2fx vs okhttp-sse alone, %.2fx vs okhttp-sse + Jackson"
                    + " (median of per-round ratios)%n", ratio(contenders.get(0), contenders.get(2)),
                    ratio(contenders.get(1), contenders.get(2)));
            System.out.printf(Locale.ROOT, "overhead anthropic: %.2fx vs okhttp-sse alone%n",
                    ratio(contenders.get(3), contenders.get(4)));
        }
    }

    private static double ratio(Contender baseline, Contender subject) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < baseline.rates.size(); i++) {
            ratios.add(baseline.rates.get(i) / subject.rates.get(i));
        }
        Collections.sort(ratios);
        return ratios.get(ratios.size() / 2);
    }

    /** One way of reading the stream, with the rates of its measured runs. */
    private static final class Contender {
        final String name;
        final Buffer body;
        final Run run;
        final List<Double> rates = new ArrayList<>();

        Contender(String name, Buffer body, Run run) {
            this.name = name;
            this.body = body;
            this.run = run;
        }

        void once(MockWebServer server, boolean measured) throws Exception {
            server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream")
                    .body(body.clone()).build());
            long start = System.nanoTime();
            long deltas = run.deltas();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (deltas != DELTAS) {
                throw new IllegalStateException(name + ": expected " + DELTAS + " deltas, got " + deltas);
            }
            if (measured) {
                rates.add(deltas / seconds);
            }
        }

        void report() {
            List<Double> sorted = new ArrayList<>(rates);
            Collections.sort(sorted);
            double median = sorted.get(sorted.size() / 2);
            System.out.printf(Locale.ROOT, "%-42s %,12.0f deltas/s (min %,.0f, max %,.0f)%n", name, median,
                    sorted.get(0), sorted.get(sorted.size() - 1));
        }
    }

    /** The turn of a provider, counting text deltas in the sink. */
    private static long viaProvider(Provider provider) throws Exception {
        AtomicLong count = new AtomicLong();
        TurnSink sink = new TurnSink() {
            @Override
            public void text(String delta) {
                count.incrementAndGet();
            }
        };
        TurnRequest request = new TurnRequest("bench", 1, 0, "system", "prompt", List.of(), List.of(), null, null,
                Map.of(), null);
        TurnResult result = provider.turn(request, sink, Cancellation.NONE);
        if (result.text().length() != DELTAS * "token ".length()) {
            throw new IllegalStateException("short text: " + result.text().length());
        }
        return count.get();
    }

    /** okhttp-sse's own EventSource on the shared client; with {@code parse}, each event is read with Jackson. */
    private static long sseOnly(MockWebServer server, boolean parse) throws Exception {
        AtomicLong count = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        EventSourceListener listener = new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, String id, String type, String data) {
                if (parse && !data.equals("[DONE]")) {
                    try {
                        JsonNode node = Json.MAPPER.readTree(data);
                        String text = node.at("/choices/0/delta/content").asText(node.at("/delta/text").asText(""));
                        if (!text.isEmpty()) {
                            count.incrementAndGet();
                        }
                    } catch (IOException e) {
                        failure.set(e);
                    }
                } else if (!parse && isDelta(data)) {
                    count.incrementAndGet();
                }
            }

            @Override
            public void onClosed(EventSource source) {
                done.countDown();
            }

            @Override
            public void onFailure(EventSource source, Throwable t, Response response) {
                failure.set(t == null ? new IOException("failed") : t);
                done.countDown();
            }
        };
        Request request = new Request.Builder().url(server.url("/v1/chat/completions")).build();
        EventSources.createFactory(SharedHttpClient.get()).newEventSource(request, listener);
        if (!done.await(60, TimeUnit.SECONDS) || failure.get() != null) {
            throw new IllegalStateException("stream failed", failure.get());
        }
        return count.get();
    }

    /** Without parsing, a delta is any event that is not one of the few framing events. */
    private static boolean isDelta(String data) {
        return data.contains("\"content\":\"token") || data.contains("\"text\":\"token");
    }

    static Buffer openAiStream(int deltas) throws IOException {
        Buffer b = new Buffer();
        String id = "chatcmpl-bench";
        b.writeUtf8(chunk(id, Json.MAPPER.createObjectNode().put("role", "assistant").put("content", ""), null));
        for (int i = 0; i < deltas; i++) {
            b.writeUtf8(chunk(id, Json.MAPPER.createObjectNode().put("content", "token "), null));
        }
        b.writeUtf8(chunk(id, Json.MAPPER.createObjectNode(), "stop"));
        b.writeUtf8("data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1732250000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,"
                + "\"completion_tokens\":" + deltas + ",\"total_tokens\":" + (deltas + 10)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n");
        b.writeUtf8("data: [DONE]\n\n");
        return b;
    }

    private static String chunk(String id, ObjectNode delta, String finish) throws IOException {
        ObjectNode c = Json.MAPPER.createObjectNode().put("id", id).put("object", "chat.completion.chunk")
                .put("created", 1732250000).put("model", "gpt-4o-mini-2024-07-18")
                .put("system_fingerprint", "fp_0ba0d124f1");
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        c.putNull("usage");
        return "data: " + Json.MAPPER.writeValueAsString(c) + "\n\n";
    }

    static Buffer anthropicStream(int deltas) {
        Buffer b = new Buffer();
        b.writeUtf8("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-20250514\","
                + "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":10,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n");
        b.writeUtf8("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (int i = 0; i < deltas; i++) {
            b.writeUtf8("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"token \"}}\n\n");
        }
        b.writeUtf8("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n");
        b.writeUtf8("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + deltas + "}}\n\n");
        b.writeUtf8("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        return b;
    }
}
