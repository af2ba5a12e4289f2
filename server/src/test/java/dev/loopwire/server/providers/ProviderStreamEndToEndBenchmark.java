package dev.loopwire.server.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.ClientInfo;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializedParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.MemoryChangedParams;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.services.LoopwireClient;
import dev.loopwire.protocol.services.LoopwireServer;
import dev.loopwire.providers.http.SharedHttpClient;
import dev.loopwire.server.internal.RpcLauncher;
import dev.loopwire.server.testing.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
import org.eclipse.lsp4j.jsonrpc.Launcher;

/**
 * Benchmark (not a test): text deltas per second from a MockWebServer OpenAI SSE stream through
 * the whole of Loopwire (the real {@code loopwire.jar serve} process: the {@code openai} provider,
 * the engine, the JSON-RPC fan-out over stdout) to an lsp4j JSON-RPC client in this JVM counting
 * the deltas in its {@code loop/output} text notifications (the engine coalesces a burst of deltas
 * into fewer notifications), against reading the same stream with okhttp-sse alone (and
 * with okhttp-sse plus a Jackson parse of every event). See {@code bench/provider-stream/README.md}.
 *
 * <p>Rates are measured from the first delta received to the last, so that loop creation and
 * connection set-up are not counted against either side. System properties: {@code deltas}
 * (default 8000), {@code warmup} (3), {@code runs} (5). Needs {@code server/target/loopwire.jar}.
 */
public final class ProviderStreamEndToEndBenchmark {

    /**
     * Below the server's 10,000 queued notifications per client, beyond which it drops
     * {@code loop/output} for a client that falls behind (a MockWebServer streams far faster than
     * any model), so that every delta must reach the client.
     */
    private static final int DELTAS = Integer.getInteger("deltas", 8_000);
    private static final int WARMUP = Integer.getInteger("warmup", 3);
    private static final int RUNS = Integer.getInteger("runs", 5);
    private static final String DELTA = "token ";
    /** loop/output text notifications per loop (the engine coalesces bursts of deltas). */
    private static final List<Long> NOTIFICATIONS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderStreamEndToEndBenchmark() {
    }

    /** One way of reading the stream: returns the seconds from the first delta to the last. */
    private interface Run {
        double seconds() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("loopwire.jar") == null && Files.isRegularFile(Path.of("server/target/loopwire.jar"))) {
            // run from the repository root (mvn -pl server exec:java)
            System.setProperty("loopwire.jar", Path.of("server/target/loopwire.jar").toAbsolutePath().toString());
        }
        if (!Files.isRegularFile(ServerProcess.jar())) {
            throw new IllegalStateException(ServerProcess.jar() + " is missing: mvn -B -o -pl server package -DskipTests");
        }
        Buffer stream = openAiStream(DELTAS);
        Path dir = Files.createTempDirectory("loopwire-bench-");
        Path ws = Files.createDirectories(dir.resolve("ws"));
        System.out.printf(Locale.ROOT, "provider-stream end to end: %d deltas (%.1f MB of OpenAI SSE), %d warm-up + %d"
                + " measured rounds, %d cores, load average %.1f, Java %s%n", DELTAS, stream.size() / 1e6, WARMUP, RUNS,
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.version());
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-client");
            t.setDaemon(true);
            return t;
        });
        CountingClient client = new CountingClient();
        ProcessBuilder pb = new ProcessBuilder(ServerProcess.javaCommand("serve"));
        pb.environment().put("OPENAI_API_KEY", "sk-bench-0000000000000000000000");
        pb.environment().put("HOME", dir.toString());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve(".config").toString());
        pb.redirectError(dir.resolve("server.stderr").toFile());
        Process process = pb.start();
        try (MockWebServer mock = new MockWebServer()) {
            mock.start(InetAddress.getByName("127.0.0.1"), 0);
            Launcher<LoopwireServer> launcher = RpcLauncher.create(client, LoopwireServer.class,
                    process.getInputStream(), process.getOutputStream(), executor);
            launcher.startListening();
            LoopwireServer server = launcher.getRemoteProxy();
            server.initialize(new InitializeParams(1, new ClientInfo("bench", "1"), null, List.of(ws.toString())))
                    .get(120, TimeUnit.SECONDS);
            server.initialized(new InitializedParams());

            List<Contender> contenders = List.of(
                    new Contender("okhttp-sse alone", () -> sseOnly(mock, false)),
                    new Contender("okhttp-sse + Jackson per event", () -> sseOnly(mock, true)),
                    new Contender("loopwire serve -> JSON-RPC client", () -> throughLoopwire(server, client, mock, ws)));
            for (int round = 0; round < WARMUP + RUNS; round++) {
                for (Contender c : contenders) {
                    mock.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream")
                            .body(stream.clone()).build());
                    double seconds = c.run.seconds();
                    if (round >= WARMUP) {
                        c.rates.add(DELTAS / seconds);
                    }
                }
            }
            for (Contender c : contenders) {
                c.report();
            }
            System.out.printf(Locale.ROOT, "overhead of Loopwire end to end: %.2fx vs okhttp-sse alone, %.2fx vs"
                    + " okhttp-sse + Jackson (median of per-round ratios; target < 1.5x vs okhttp-sse alone)%n",
                    ratio(contenders.get(0), contenders.get(2)), ratio(contenders.get(1), contenders.get(2)));
            List<Long> sorted = new ArrayList<>(NOTIFICATIONS);
            Collections.sort(sorted);
            System.out.printf(Locale.ROOT, "every loop delivered all %d deltas (no drops), coalesced into %d-%d loop/output"
                    + " text notifications (median %d)%n", DELTAS, sorted.get(0), sorted.get(sorted.size() - 1),
                    sorted.get(sorted.size() / 2));
            server.shutdown().get(30, TimeUnit.SECONDS);
            server.exit();
        } finally {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            executor.shutdownNow();
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

    /** A contender and the rates of its measured rounds. */
    private static final class Contender {
        final String name;
        final Run run;
        final List<Double> rates = new ArrayList<>();

        Contender(String name, Run run) {
            this.name = name;
            this.run = run;
        }

        void report() {
            List<Double> sorted = new ArrayList<>(rates);
            Collections.sort(sorted);
            System.out.printf(Locale.ROOT, "%-36s %,12.0f deltas/s (median; min %,.0f, max %,.0f)%n", name,
                    sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1));
        }
    }

    /** Counts the text deltas of one loop at a time, and its end. */
    private static final class CountingClient implements LoopwireClient {
        volatile String loopId;
        final AtomicLong deltas = new AtomicLong();
        /** The loop/output text notifications that carried them. */
        final AtomicLong notifications = new AtomicLong();
        volatile long firstNanos;
        volatile long lastNanos;
        volatile CountDownLatch ended = new CountDownLatch(1);
        final AtomicReference<String> endStatus = new AtomicReference<>();

        void expect(String id) {
            deltas.set(0);
            notifications.set(0);
            ended = new CountDownLatch(1);
            endStatus.set(null);
            loopId = id;
        }

        @Override
        public void output(LoopOutputParams params) {
            if (!"text".equals(params.kind()) || params.text() == null) {
                return;
            }
            // the engine coalesces a burst of deltas into one loop/output: count the deltas in its text
            int in = 0;
            for (int at = params.text().indexOf(DELTA); at >= 0; at = params.text().indexOf(DELTA, at + DELTA.length())) {
                in++;
            }
            if (in == 0) {
                return;
            }
            notifications.incrementAndGet();
            long before = deltas.getAndAdd(in);
            long now = System.nanoTime();
            if (before == 0) {
                firstNanos = now;
            }
            lastNanos = now;
        }

        @Override
        public void status(LoopStatusParams params) {
            if (List.of("succeeded", "failed", "cancelled", "budget_exhausted", "no_progress", "interrupted")
                    .contains(params.status())) {
                endStatus.compareAndSet(null, params.loopId() + " " + params.status() + " " + params.reason());
                ended.countDown();
            }
        }

        @Override
        public void progress(LoopProgressParams params) {
        }

        @Override
        public void iteration(LoopIterationParams params) {
        }

        @Override
        public void approvalRequested(ApprovalRequestedParams params) {
        }

        @Override
        public void approvalResolved(ApprovalResolvedParams params) {
        }

        @Override
        public void memoryChanged(MemoryChangedParams params) {
        }
    }

    /** A loop on the {@code openai} provider against the mock; seconds from its first text delta to its last. */
    private static double throughLoopwire(LoopwireServer server, CountingClient client, MockWebServer mock, Path ws)
            throws Exception {
        client.expect(null);
        CompletableFuture<LoopSnapshot> started = server.getLoopService().start(new StartLoopParams(ws.toString(),
                "Stream the tokens.", null, null, null, new ProviderSpec("openai", "gpt-4o-mini",
                        Map.of("baseUrl", mock.url("/v1").toString())), null,
                new ApprovalConfig("auto", null, null, null, null), true, null, null, null, null, null, null, null));
        LoopSnapshot loop = started.get(60, TimeUnit.SECONDS);
        client.loopId = loop.loopId();
        // the status comes after every output of the loop (one ordered queue per client)
        if (!client.ended.await(300, TimeUnit.SECONDS) || !client.endStatus.get().contains(" succeeded ")) {
            throw new IllegalStateException("the loop did not succeed: " + client.endStatus.get());
        }
        long delivered = client.deltas.get();
        if (delivered != DELTAS) {
            // the server drops loop/output beyond 10,000 queued notifications for a client that falls behind
            throw new IllegalStateException("only " + delivered + " of " + DELTAS + " deltas reached the client"
                    + " (the server dropped the rest); use -Ddeltas below 10000");
        }
        NOTIFICATIONS.add(client.notifications.get());
        return (client.lastNanos - client.firstNanos) / 1e9;
    }

    /** okhttp-sse on the providers' shared client; with {@code parse}, each event is read with Jackson. */
    private static double sseOnly(MockWebServer mock, boolean parse) throws Exception {
        AtomicLong count = new AtomicLong();
        long[] first = new long[1];
        long[] last = new long[1];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        EventSourceListener listener = new EventSourceListener() {
            @Override
            public void onEvent(EventSource source, String id, String type, String data) {
                boolean delta;
                if (parse) {
                    if (data.equals("[DONE]")) {
                        return;
                    }
                    try {
                        JsonNode node = JSON.readTree(data);
                        delta = DELTA.equals(node.at("/choices/0/delta/content").asText(""));
                    } catch (IOException e) {
                        failure.set(e);
                        return;
                    }
                } else {
                    delta = data.contains("\"content\":\"" + DELTA + "\"");
                }
                if (delta) {
                    long n = count.incrementAndGet();
                    long now = System.nanoTime();
                    if (n == 1) {
                        first[0] = now;
                    }
                    last[0] = now;
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
        Request request = new Request.Builder().url(mock.url("/v1/chat/completions")).build();
        EventSources.createFactory(SharedHttpClient.get()).newEventSource(request, listener);
        if (!done.await(120, TimeUnit.SECONDS) || failure.get() != null || count.get() != DELTAS) {
            throw new IllegalStateException("stream failed after " + count.get() + " deltas", failure.get());
        }
        return (last[0] - first[0]) / 1e9;
    }

    /** An OpenAI chat-completions stream of {@code deltas} text chunks, then the done token, stop, usage, [DONE]. */
    static Buffer openAiStream(int deltas) {
        Buffer b = new Buffer();
        String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1732250000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,"
                + "\"delta\":";
        String tail = ",\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n";
        b.writeUtf8(head + "{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}" + tail);
        String chunk = head + "{\"content\":\"" + DELTA + "\"}" + tail;
        for (int i = 0; i < deltas; i++) {
            b.writeUtf8(chunk);
        }
        b.writeUtf8(head + "{\"content\":\"\\n<promise>DONE</promise>\"}" + tail);
        b.writeUtf8(head + "{}" + ",\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        b.writeUtf8("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1732250000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,"
                + "\"completion_tokens\":" + (deltas + 5) + ",\"total_tokens\":" + (deltas + 15)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n");
        b.writeUtf8("data: [DONE]\n\n");
        return b;
    }
}
