package dev.loopwire.server.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalRule;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.ListLoopsParams;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.server.testing.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A planted secret against the whole surface of the real {@code loopwire.jar serve} process. The
 * server runs with a fake OpenAI key ({@code OPENAI_API_KEY}, a known key format) and a custom
 * {@code LOOPWIRE_DEPLOY_TOKEN} (no known format: only the value of a secret variable gives it
 * away) in its environment. Loops then carry both along every path they could leak by: the goal
 * (and the name and id derived from it), tool output ({@code read_file} of a file holding them,
 * {@code run_command} printing them), tool input ({@code write_file} content), approval titles
 * and inputs (a command and a file content holding them, waiting for a person), a person's
 * rejection note, memory updates, the assistant's text and thoughts, a scripted provider error,
 * a CLI agent ({@code command} provider) printing them, the {@code openai} provider against a
 * MockWebServer answering 401 and 500 with bodies that echo them and a stream that breaks after
 * a delta holding them, and requests whose parameters hold them (error responses). Then
 * everything is searched: every file under the workspace's {@code .loopwire/}, every byte the
 * server wrote to its stdout (raw response and notification frames, {@code loop/get},
 * {@code loop/list}, {@code loop/memory} and errors included), its stderr, and what the CLI
 * prints ({@code run}, {@code list}, {@code show}, {@code show --memory}, {@code explain},
 * {@code tail}). Neither value may appear anywhere; {@code [REDACTED]} must (the paths were
 * really taken).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class PlantedSecretIT {

    /** An OpenAI-format key (caught by the key formats and by the variable's value). */
    static final String KEY = "sk-test-PLANTED4key9LOOPWIRE3it7secret0q8w";
    /** A token in no known format: only the value of {@code LOOPWIRE_DEPLOY_TOKEN} gives it away. */
    static final String TOKEN = "plantedDeployTokenQz4Kw9Xv2Lm7";
    static final String TOKEN_VAR = "LOOPWIRE_DEPLOY_TOKEN";
    private static final Set<String> MOVING = Set.of("created", "running", "waiting", "awaiting_approval");

    @TempDir
    Path dir;

    private Map<String, String> environment() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Map<String, String> env = new HashMap<>();
        env.put("OPENAI_API_KEY", KEY);
        env.put(TOKEN_VAR, TOKEN);
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("ANTHROPIC_API_KEY", null);
        return env;
    }

    @Test
    void aPlantedKeyAndTokenAppearNowhere() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(ws.resolve("secret.txt"), "api key: " + KEY + "\ndeploy token: " + TOKEN + "\n");
        Files.writeString(ws.resolve("turns.json"), toolTurns());
        Files.writeString(ws.resolve("cli-turns.json"), """
                {"turns": [{"text": "the key is %s and the token is %s\\n<promise>DONE</promise>"}]}
                """.formatted(KEY, TOKEN));
        Map<String, String> env = environment();
        Map<String, String> seen = new LinkedHashMap<>(); // where -> text, searched at the end
        List<String> loopIds = new ArrayList<>();

        try (MockWebServer openai = new MockWebServer();
                LiveServer s = LiveServer.start(dir.resolve("logs"), env, true)) {
            openai.setDispatcher(new EchoingOpenAi());
            openai.start(InetAddress.getByName("127.0.0.1"), 0);
            s.initialize(ws);

            // 1. scripted: goal, tool output and input, approvals, a note, memory, text, thought, an error
            String tools = LiveServer.await(s.loops().start(new StartLoopParams(ws.toString(),
                    "Find out why deploys fail with " + KEY + " and " + TOKEN, null, null, null,
                    new ProviderSpec("scripted", null, Map.of("script", "turns.json")), new Budget(6, null, null, null),
                    new ApprovalConfig("ask", List.of(new ApprovalRule("write_file", null, "ask")), null, null, null),
                    true, null, null, null, null, null, null, null))).loopId();
            loopIds.add(tools);
            answerApprovalsUntilTheEnd(s, tools);

            // 2. a CLI agent (command provider, a real child process) that prints both
            loopIds.add(runToTheEnd(s, new StartLoopParams(ws.toString(), "print the secrets", null, null, null,
                    new ProviderSpec("command", null, Map.of("argv", List.of("sh", "-c",
                            "cat > /dev/null; cat secret.txt; echo \"env: $OPENAI_API_KEY $" + TOKEN_VAR + "\"; "
                                    + "echo '<promise>DONE</promise>'"))),
                    new Budget(2, null, null, null), new ApprovalConfig("auto", null, null, null, null), true,
                    "agent-prints", null, null, null, null, null, null)));

            // 3. the openai provider: 401 and 500 bodies echoing both, a stream that breaks after a delta holding them
            for (String path : List.of("unauthorized", "server-error", "broken-stream")) {
                loopIds.add(runToTheEnd(s, new StartLoopParams(ws.toString(), "say hello", null, null, null,
                        new ProviderSpec("openai", "gpt-4.1-mini", Map.of("baseUrl", openai.url("/" + path + "/v1").toString(),
                                "retryBaseMillis", 1)),
                        new Budget(2, null, null, null), new ApprovalConfig("auto", null, null, null, null), true,
                        "openai-" + path, null, null, null, null, null, null)));
            }

            // 4. requests holding the secrets: the error responses must not echo them
            expectError(s.loops().get(new LoopIdParams(KEY)));
            expectError(s.loops().approve(new ApproveParams(tools, "ap-" + KEY, "allow_once", TOKEN)));
            expectError(s.loops().start(new StartLoopParams(ws.toString(), null, "../" + KEY + "/" + TOKEN + ".md",
                    null, null, new ProviderSpec("scripted", null, Map.of("script", "turns.json")), null, null, true,
                    null, null, null, null, null, null, null)));
            expectError(s.loops().start(new StartLoopParams(ws.toString(), "goal", null, null, null,
                    new ProviderSpec(KEY, TOKEN, Map.of()), null, null, true, null, null, null, null, null, null, null)));
            expectError(s.loops().start(new StartLoopParams(ws.toString(), "goal", null, TOKEN, null,
                    new ProviderSpec("scripted", null, Map.of("script", "turns.json")), null, null, true, null, null,
                    null, null, null, null, null)));

            // 5. every read the protocol offers
            LiveServer.await(s.loops().list(new ListLoopsParams(ws.toString())));
            LiveServer.await(s.loops().list(new ListLoopsParams(null)));
            for (String id : loopIds) {
                LiveServer.await(s.loops().get(new LoopIdParams(id)));
                LiveServer.await(s.loops().memory(new LoopIdParams(id)));
            }

            // 6. the CLI, over the running server's socket (and the journal for tail), with the same environment
            seen.put("cli run", cli(env, ws, "run", "the CLI goal " + KEY + " " + TOKEN, "--script", "cli-turns.json",
                    "--approval", "auto", "--name", "cli-run"));
            seen.put("cli list", cli(env, ws, "list"));
            for (String id : loopIds) {
                seen.put("cli show " + id, cli(env, ws, "show", id));
                seen.put("cli show --memory " + id, cli(env, ws, "show", id, "--memory"));
                seen.put("cli explain " + id, cli(env, ws, "explain", id));
                seen.put("cli tail " + id, cli(env, ws, "tail", id, "--no-follow"));
            }
            assertTrue(openai.getRequestCount() >= 3, "the openai loops called the mock");

            LiveServer.await(s.server.shutdown());
            s.server.exit();
            assertTrue(s.process.process.waitFor(30, TimeUnit.SECONDS), "the server did not exit");
            seen.put("server stdout (raw frames)", s.rawStdout());
            seen.put("server stderr", s.process.stderrText());
        }
        List<Path> files = new ArrayList<>();
        try (var walk = Files.walk(ws.resolve(".loopwire"))) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path f : files) {
            seen.put(ws.relativize(f).toString(), Files.readString(f, StandardCharsets.ISO_8859_1));
        }
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("journal.jsonl")), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("memory.md")), files.toString());

        List<String> leaks = new ArrayList<>();
        List<String> pieces = pieces();
        seen.forEach((where, text) -> {
            for (String piece : pieces) {
                int at = text.indexOf(piece);
                if (at >= 0) {
                    leaks.add(where + " holds '" + piece + "': ..." + text.substring(Math.max(0, at - 120),
                            Math.min(text.length(), at + piece.length() + 40)) + "...");
                    break;
                }
            }
        });
        if (!leaks.isEmpty()) {
            fail("the planted secret leaked in " + leaks.size() + " place(s):\n" + String.join("\n", leaks));
        }
        // the paths were taken: the redacted values reached the client, the journal, the memory and the CLI
        String stdout = seen.get("server stdout (raw frames)");
        assertTrue(stdout.contains("[REDACTED]"), "no redacted value reached the client at all");
        String memory = seen.entrySet().stream().filter(e -> e.getKey().endsWith("memory.md"))
                .map(Map.Entry::getValue).reduce("", String::concat);
        assertTrue(memory.contains("remember [REDACTED] and [REDACTED]"), memory);
        String journals = seen.entrySet().stream().filter(e -> e.getKey().endsWith("journal.jsonl"))
                .map(Map.Entry::getValue).reduce("", String::concat);
        for (String expected : List.of("api key: [REDACTED]", "deploy token: [REDACTED]", "echo [REDACTED] [REDACTED]",
                "no: [REDACTED] stays out of files", "upstream said [REDACTED] [REDACTED]")) {
            assertTrue(journals.contains(expected), () -> "the journal has no '" + expected + "'");
        }
        assertTrue(seen.get("cli run").contains("[REDACTED]"), seen.get("cli run"));
        assertTrue(seen.get(".loopwire/policy.json").contains("echo [REDACTED] [REDACTED]"), seen.toString());
    }

    /**
     * What counts as a leak: any 12 characters in a row of either secret (past the key's
     * {@code sk-test-} prefix), so that a cut or truncated copy (a name made from the goal, a
     * key split over stream deltas) is found too.
     */
    private static List<String> pieces() {
        List<String> out = new ArrayList<>();
        for (String secret : List.of(KEY.substring("sk-test-".length()), TOKEN)) {
            for (int i = 0; i + 12 <= secret.length(); i++) {
                out.add(secret.substring(i, i + 12));
            }
        }
        return out;
    }

    /** The scripted loop's turns: every tool path, an approval on the command and on a file, an error. */
    private static String toolTurns() {
        return """
                {"turns": [
                  {"thought": "the token %2$s looks odd", "text": "Reading the secrets %1$s and %2$s.",
                   "toolCalls": [
                     {"name": "read_file", "input": {"path": "secret.txt"}},
                     {"name": "run_command", "input": {"command": "cat secret.txt; echo \\"env: $OPENAI_API_KEY $%3$s\\""}},
                     {"name": "run_command", "input": {"command": "echo %1$s %2$s"}},
                     {"name": "write_file", "input": {"path": "leaked.txt", "content": "%1$s %2$s"}},
                     {"name": "update_memory", "input": {"text": "remember %1$s and %2$s"}}
                   ]},
                  {"error": {"kind": "transient", "message": "upstream said %1$s %2$s"}},
                  {"text": "done with %1$s\\n<promise>DONE</promise>"}
                ]}
                """.formatted(KEY, TOKEN, TOKEN_VAR);
    }

    /** Answers the loop's approvals (a file write with a rejection note holding the secrets) until it ends. */
    private static void answerApprovalsUntilTheEnd(LiveServer s, String loopId) throws Exception {
        Set<String> answered = ConcurrentHashMap.newKeySet();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (ApprovalRequestedParams asked : s.received(ApprovalRequestedParams.class)) {
                String id = asked.approval().approvalId();
                if (!asked.loopId().equals(loopId) || !answered.add(id)) {
                    continue;
                }
                ApproveParams answer;
                if (asked.approval().tool().equals("write_file")) {
                    answer = new ApproveParams(loopId, id, "reject_once", "no: " + KEY + " stays out of files");
                } else if (asked.approval().title().contains("echo [REDACTED]")) {
                    // saved to .loopwire/policy.json: the rule's subject is the command holding the secrets
                    answer = new ApproveParams(loopId, id, "allow_always", TOKEN, "workspace");
                } else {
                    answer = new ApproveParams(loopId, id, "allow_once", null);
                }
                LiveServer.await(s.loops().approve(answer));
            }
            if (ended(s, loopId)) {
                return;
            }
            Thread.sleep(20);
        }
        fail("loop " + loopId + " did not end; received: " + s.notifications);
    }

    private static boolean ended(LiveServer s, String loopId) {
        return s.received(LoopStatusParams.class).stream()
                .anyMatch(st -> st.loopId().equals(loopId) && !MOVING.contains(st.status()));
    }

    private static String runToTheEnd(LiveServer s, StartLoopParams start) throws Exception {
        String id = LiveServer.await(s.loops().start(start)).loopId();
        s.awaitNotification(LoopStatusParams.class, st -> st.loopId().equals(id) && !MOVING.contains(st.status()), 120);
        return id;
    }

    private static void expectError(CompletableFuture<?> request) throws Exception {
        try {
            request.get(60, TimeUnit.SECONDS);
            fail("the request was expected to fail");
        } catch (ExecutionException e) {
            // the error response itself is in the raw stdout, searched at the end
        }
    }

    /** The CLI ({@code java -jar loopwire.jar ...}) with the planted environment; stdout and stderr together. */
    private String cli(Map<String, String> env, Path ws, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(args));
        cmd.add("--workspace");
        cmd.add(ws.toString());
        ProcessBuilder pb = new ProcessBuilder(ServerProcess.javaCommand(cmd.toArray(String[]::new)))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        ServerProcess.applyEnvironment(pb, env);
        pb.directory(ws.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "CLI " + cmd + " did not end");
        if (args[0].equals("show") || args[0].equals("list") || args[0].equals("explain") || args[0].equals("tail")) {
            assertEquals(0, p.exitValue(), () -> "CLI " + cmd + ":\n" + out);
        }
        return out;
    }

    /** OpenAI as seen by the loops: a 401 and a 500 whose bodies echo the key, and a stream that breaks. */
    private static final class EchoingOpenAi extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            if (path.startsWith("/unauthorized/")) {
                return new MockResponse.Builder().code(401).setHeader("Content-Type", "application/json")
                        .body("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + " (token " + TOKEN
                                + "). You can find your API key at https://platform.openai.com/account/api-keys.\","
                                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}")
                        .build();
            }
            if (path.startsWith("/server-error/")) {
                return new MockResponse.Builder().code(500).setHeader("Content-Type", "application/json")
                        .body("{\"error\":{\"message\":\"The server had an error processing your request for key "
                                + KEY + " and " + TOKEN + "\",\"type\":\"server_error\",\"param\":null,\"code\":null}}")
                        .build();
            }
            // the deltas holding the secrets, each split in two as a model streams them (the body is
            // throttled to about one chunk per 40 ms, so the halves reach the engine in different
            // coalescing windows), then as much filler; the socket is closed halfway through the body
            StringBuilder sse = new StringBuilder();
            List<String> deltas = new ArrayList<>(List.of("Your key is ", KEY.substring(0, 20), KEY.substring(20),
                    " and the token ", TOKEN.substring(0, 15), TOKEN.substring(15), "."));
            int secretPart = deltas.size();
            for (int i = 0; i < secretPart * 3; i++) {
                deltas.add(" and so on");
            }
            for (String delta : deltas) {
                sse.append("data: {\"id\":\"chatcmpl-planted\",\"object\":\"chat.completion.chunk\",")
                        .append("\"created\":1732250000,\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,")
                        .append("\"delta\":{\"content\":\"").append(delta).append("\"},\"logprobs\":null,")
                        .append("\"finish_reason\":null}],\"usage\":null}\n\n");
            }
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .body(sse.toString()).throttleBody(256, 40, TimeUnit.MILLISECONDS)
                    .onResponseBody(new SocketEffect.CloseSocket(true, false, false)).build();
        }
    }
}
