package dev.loopwire.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loopwire.engine.EngineOptions;
import dev.loopwire.engine.LoopEngine;
import dev.loopwire.engine.LoopEvents;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.providers.DefaultProviderRegistry;
import dev.loopwire.providers.http.Json;
import dev.loopwire.providers.process.ExecCommandRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real engine drives the {@code openai} provider against MockWebServer: the model writes a
 * file with {@code write_file}, sees the result, and finishes; tokens and cost reach the loop.
 */
@Timeout(30)
class OpenAiEngineLoopTest {

    @TempDir
    Path workspace;

    @TempDir
    Path userConfig;

    private static String chunk(ObjectNode delta, String finish) throws IOException {
        ObjectNode c = Json.MAPPER.createObjectNode().put("id", "chatcmpl-e2e").put("object", "chat.completion.chunk")
                .put("created", 1732250000).put("model", "gpt-4o-mini-2024-07-18");
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return "data: " + Json.MAPPER.writeValueAsString(c) + "\n\n";
    }

    private static String usage(int in, int out) {
        return "data: {\"id\":\"chatcmpl-e2e\",\"object\":\"chat.completion.chunk\",\"created\":1732250000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + in
                + ",\"completion_tokens\":" + out + ",\"total_tokens\":" + (in + out)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n";
    }

    private static MockResponse stream(String body) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream").body(body).build();
    }

    @Test
    void aLoopWritesAFileThroughAToolCallAndFinishesWithUsage() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
            ObjectNode call = Json.MAPPER.createObjectNode();
            call.putArray("tool_calls").addObject().put("index", 0).put("id", "call_w1").put("type", "function")
                    .putObject("function").put("name", "write_file").put("arguments", "");
            String args = "{\"path\":\"hello.txt\",\"content\":\"hello\\n\"}";
            StringBuilder first = new StringBuilder(chunk(Json.MAPPER.createObjectNode().put("role", "assistant")
                    .put("content", "I will write the file."), null)).append(chunk(call, null));
            for (int i = 0; i < args.length(); i += 7) {
                ObjectNode part = Json.MAPPER.createObjectNode();
                part.putArray("tool_calls").addObject().put("index", 0).putObject("function")
                        .put("arguments", args.substring(i, Math.min(args.length(), i + 7)));
                first.append(chunk(part, null));
            }
            first.append(chunk(Json.MAPPER.createObjectNode(), "tool_calls")).append(usage(1000, 40)).append("data: [DONE]\n\n");
            String done = chunk(Json.MAPPER.createObjectNode().put("role", "assistant")
                    .put("content", "Wrote hello.txt.\n<promise>DONE</promise>"), null)
                    + chunk(Json.MAPPER.createObjectNode(), "stop") + usage(1200, 10) + "data: [DONE]\n\n";
            server.enqueue(stream(first.toString()));
            for (int i = 0; i < 4; i++) {
                server.enqueue(stream(done));
            }

            List<String> outputs = new CopyOnWriteArrayList<>();
            CountDownLatch finished = new CountDownLatch(1);
            EngineOptions options = new EngineOptions(new DefaultProviderRegistry(List.of(new OpenAiProviderFactory())),
                    new ExecCommandRunner(), Clock.systemUTC(), userConfig,
                    Map.of("OPENAI_API_KEY", OpenAiProviderTest.KEY), 2);
            try (LoopEngine engine = LoopEngine.create(options)) {
                engine.subscribe(new LoopEvents() {
                    @Override
                    public void onStatus(LoopStatusParams params) {
                        if (List.of("succeeded", "failed", "cancelled", "budget_exhausted", "no_progress")
                                .contains(params.status())) {
                            finished.countDown();
                        }
                    }

                    @Override
                    public void onOutput(LoopOutputParams params) {
                        outputs.add(params.kind() + ":" + params.text());
                    }
                });
                LoopSnapshot started = engine.start(new StartLoopParams(workspace.toString(), "Write hello.txt", null,
                        null, null, new ProviderSpec("openai", "gpt-4o-mini", Map.of("baseUrl", server.url("/v1").toString())),
                        null, new ApprovalConfig("auto", null, null, null, null), true, null, null, null, null, null,
                        null, null));
                assertTrue(finished.await(20, TimeUnit.SECONDS), "loop did not finish; output: " + outputs);
                GetLoopResult loop = engine.get(started.loopId());

                assertEquals("succeeded", loop.loop().status(), loop.loop().reason() + " " + outputs);
                assertEquals("hello\n", Files.readString(workspace.resolve("hello.txt")));
                assertEquals(2200, loop.loop().usage().inputTokens());
                assertEquals(50, loop.loop().usage().outputTokens());
                assertNotNull(loop.loop().usage().costUsd());
                assertEquals((2200 * 0.15 + 50 * 0.60) / 1e6, loop.loop().usage().costUsd(), 1e-12);
                assertFalse(String.join("\n", outputs).contains("LOOPWIRE-SECRET"));
            }

            assertEquals(2, server.getRequestCount());
            server.takeRequest();
            RecordedRequest second = server.takeRequest();
            JsonNode messages = Json.MAPPER.readTree(second.getBody().utf8()).get("messages");
            boolean sawToolResult = false;
            for (JsonNode m : messages) {
                if ("tool".equals(m.path("role").asText()) && "call_w1".equals(m.path("tool_call_id").asText())) {
                    sawToolResult = true;
                }
            }
            assertTrue(sawToolResult, messages.toString());
            assertTrue(second.getBody().utf8().contains("\"name\":\"write_file\""), "tools are offered");
        }
    }
}
