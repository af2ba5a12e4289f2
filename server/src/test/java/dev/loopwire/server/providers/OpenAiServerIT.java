package dev.loopwire.server.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.services.LoopwireServer;
import dev.loopwire.server.internal.RpcLauncher;
import dev.loopwire.server.testing.RecordingClient;
import dev.loopwire.server.testing.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.BufferedSink;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code openai} provider end to end: the real {@code loopwire.jar serve} process with
 * {@code OPENAI_API_KEY} in its environment, driven over its stdio, against a MockWebServer that
 * answers with OpenAI chat-completions streams (fixtures in {@code src/test/resources/openai/}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenAiServerIT {

    /** Planted in the server's environment; must never show up in the loop's files or in stderr. */
    static final String KEY = "sk-proj-LOOPWIRE-IT-SECRET-0123456789abcdefXYZ";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private MockWebServer openai;
    private Process process;
    private Path stderr;
    private final RecordingClient client = new RecordingClient();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "it-client");
        t.setDaemon(true);
        return t;
    });
    private LoopwireServer server;

    @BeforeEach
    void start() throws Exception {
        openai = new MockWebServer();
        openai.start(InetAddress.getByName("127.0.0.1"), 0);
        Path home = Files.createDirectories(dir.resolve("home"));
        stderr = dir.resolve("server.stderr");
        ProcessBuilder pb = new ProcessBuilder(ServerProcess.javaCommand("serve"));
        pb.environment().put("OPENAI_API_KEY", KEY);
        pb.environment().put("HOME", home.toString()); // no user config of the machine's owner
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        pb.environment().remove("ANTHROPIC_API_KEY");
        pb.redirectError(stderr.toFile());
        pb.directory(dir.toFile());
        process = pb.start();
        Launcher<LoopwireServer> launcher = RpcLauncher.create(client, LoopwireServer.class,
                process.getInputStream(), process.getOutputStream(), executor);
        launcher.startListening();
        server = launcher.getRemoteProxy();
    }

    @AfterEach
    void stop() throws Exception {
        if (process.isAlive()) {
            try {
                server.shutdown().get(10, TimeUnit.SECONDS);
                server.exit();
            } catch (Exception e) {
                // the process is stopped below either way
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        executor.shutdownNow();
        openai.close();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static String fixture(String name) {
        try (InputStream in = OpenAiServerIT.class.getResourceAsStream("/openai/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockResponse.Builder sse(String name) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(fixture(name));
    }

    private Path workspace() throws IOException {
        return Files.createDirectories(dir.resolve("ws"));
    }

    private StartLoopParams openAiLoop(Path ws, String goal) {
        return new StartLoopParams(ws.toString(), goal, null, null, null,
                new ProviderSpec("openai", "gpt-4.1-mini", Map.of("baseUrl", openai.url("/v1").toString(),
                        "retryBaseMillis", 1)),
                null, new ApprovalConfig("auto", null, null, null, null), true, "openai-it",
                null, null, null, null, null, null);
    }

    /** Every file the loop wrote (journal, state, memory, config), as one text. */
    private static String loopFiles(Path ws) throws IOException {
        StringBuilder all = new StringBuilder();
        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(ws.resolve(".loopwire"))) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("journal.jsonl")), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("state.json")), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("memory.md")), files.toString());
        for (Path f : files) {
            all.append(Files.readString(f, StandardCharsets.ISO_8859_1)).append('\n');
        }
        return all.toString();
    }

    @Test
    void aLoopWritesAFileThroughTheOpenAiProviderAndCountsTokensAndCost() throws Exception {
        Path ws = workspace();
        openai.enqueue(sse("tool-call-split.sse").build());
        openai.enqueue(sse("done.sse").build());

        var init = await(server.initialize(new dev.loopwire.protocol.InitializeParams(1,
                new dev.loopwire.protocol.ClientInfo("it", "1"), null, List.of(ws.toString()))));
        server.initialized(new dev.loopwire.protocol.InitializedParams());
        var openAiInfo = init.capabilities().providers().stream().filter(p -> p.id().equals("openai")).findFirst()
                .orElseThrow();
        assertTrue(openAiInfo.available(), openAiInfo.detail());
        assertFalse(openAiInfo.detail().contains(KEY));

        LoopSnapshot loop = await(server.getLoopService().start(openAiLoop(ws, "Write the todo list to notes/todo.md")));
        String id = loop.loopId();
        LoopOutputParams call = client.awaitNext(LoopOutputParams.class, o -> o.kind().equals("tool_call"));
        assertEquals("write_file", call.toolCall().name());
        client.awaitStatus(id, "succeeded");

        assertEquals("- [x] write tests\n- [ ] ship", Files.readString(ws.resolve("notes/todo.md")));
        GetLoopResult got = await(server.getLoopService().get(new LoopIdParams(id)));
        assertEquals("succeeded", got.loop().status());
        assertEquals(2048 + 2210, got.loop().usage().inputTokens());
        assertEquals(57 + 18, got.loop().usage().outputTokens());
        // gpt-4.1-mini: 0.40 input, 0.10 cached input, 1.60 output (USD per million tokens)
        double expected = ((2048 - 1024) * 0.40 + 1024 * 0.10 + 57 * 1.60) / 1e6
                + ((2210 - 2048) * 0.40 + 2048 * 0.10 + 18 * 1.60) / 1e6;
        assertNotNull(got.loop().usage().costUsd(), "cost is known for gpt-4.1-mini");
        assertEquals(expected, got.loop().usage().costUsd(), 1e-12);
        assertEquals(2, got.iterations().size());
        assertEquals("write_file", got.iterations().get(0).toolCalls().get(0).name());

        assertEquals(2, openai.getRequestCount());
        RecordedRequest first = openai.takeRequest();
        assertEquals("/v1/chat/completions", first.getUrl().encodedPath());
        assertEquals("Bearer " + KEY, first.getHeaders().get("Authorization"));
        JsonNode firstBody = JSON.readTree(first.getBody().utf8());
        assertEquals("gpt-4.1-mini", firstBody.get("model").asText());
        assertTrue(firstBody.get("stream").asBoolean());
        assertTrue(firstBody.at("/stream_options/include_usage").asBoolean());
        assertTrue(firstBody.get("tools").toString().contains("\"write_file\""), "the engine's tools are offered");

        JsonNode messages = JSON.readTree(openai.takeRequest().getBody().utf8()).get("messages");
        JsonNode assistant = null;
        JsonNode toolResult = null;
        for (JsonNode m : messages) {
            if (m.path("tool_calls").isArray() && m.path("tool_calls").size() > 0) {
                assistant = m;
            }
            if ("tool".equals(m.path("role").asText())) {
                toolResult = m;
            }
        }
        assertNotNull(assistant, messages.toString());
        assertEquals("call_DdmO9pD3xa9XTPNJ32zg2hcA", assistant.at("/tool_calls/0/id").asText());
        assertEquals("write_file", assistant.at("/tool_calls/0/function/name").asText());
        assertNotNull(toolResult, "the second request carries the tool result: " + messages);
        assertEquals("call_DdmO9pD3xa9XTPNJ32zg2hcA", toolResult.get("tool_call_id").asText());
        assertTrue(toolResult.get("content").asText().contains("notes/todo.md"), toolResult.toString());

        assertFalse(loopFiles(ws).contains(KEY), "the key is in the loop's files");
        assertFalse(Files.readString(stderr, StandardCharsets.ISO_8859_1).contains(KEY), "the key is in stderr");
    }

    @Test
    void cancelDuringASlowStreamEndsTheLoopPromptly() throws Exception {
        Path ws = workspace();
        // the text stream's first three chunks, then silence until the test releases the rest
        String stream = fixture("text-stream.sse");
        int cut = stream.indexOf("\n\n", stream.indexOf("\n\n", stream.indexOf("\n\n") + 2) + 2) + 2;
        CountDownLatch release = new CountDownLatch(1);
        openai.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream; charset=utf-8")
                .body(new MockResponseBody() {
                    @Override
                    public long getContentLength() {
                        return -1;
                    }

                    @Override
                    public void writeTo(BufferedSink sink) throws IOException {
                        sink.writeUtf8(stream.substring(0, cut));
                        sink.flush();
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        sink.writeUtf8(stream.substring(cut));
                    }
                }).build());
        try {
            cancelMidStream(ws);
        } finally {
            release.countDown();
        }
    }

    private void cancelMidStream(Path ws) throws Exception {
        await(server.initialize(new dev.loopwire.protocol.InitializeParams(1,
                new dev.loopwire.protocol.ClientInfo("it", "1"), null, List.of(ws.toString()))));
        server.initialized(new dev.loopwire.protocol.InitializedParams());

        LoopSnapshot loop = await(server.getLoopService().start(openAiLoop(ws, "Say hello")));
        String id = loop.loopId();
        client.awaitNext(LoopOutputParams.class, o -> o.kind().equals("text") && o.text() != null && !o.text().isEmpty());

        long started = System.nanoTime();
        await(server.getLoopService().cancel(new LoopIdParams(id)));
        client.awaitStatus(id, "cancelled");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("OpenAiServerIT: loop/cancel -> cancelled in " + millis + " ms");
        // the issue asks for 1 s; a loaded CI machine gets some slack
        assertTrue(millis < 3000, "cancelled after " + millis + " ms");

        GetLoopResult got = await(server.getLoopService().get(new LoopIdParams(id)));
        assertEquals("cancelled", got.loop().status());
        assertEquals(1, openai.getRequestCount(), "a cancelled call is not retried");
        assertFalse(loopFiles(ws).contains(KEY));
        assertFalse(Files.readString(stderr, StandardCharsets.ISO_8859_1).contains(KEY));
    }
}
