package dev.loopwire.server.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.loopwire.protocol.InitializeParams;
import dev.loopwire.protocol.InitializedParams;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.services.LoopwireServer;
import dev.loopwire.server.internal.RpcLauncher;
import dev.loopwire.server.internal.UnixSockets;
import dev.loopwire.server.testing.Frames;
import dev.loopwire.server.testing.RecordingClient;
import dev.loopwire.server.testing.ServerProcess;
import java.io.BufferedInputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input on the real server's stdin (seeded, bounded): random bytes, truncated frames,
 * huge and invalid Content-Length headers, invalid JSON, deep nesting, valid JSON of the wrong
 * shape for every method (wrong types, arrays for objects, missing and string ids, batches,
 * unknown methods), and a flood of 5,000 pipelined requests. The server answers every request
 * that has an id exactly once and never with an internal error, refuses a frame over its limit
 * before reading its body, leaves the loops on disk unchanged, and then serves normal clients.
 *
 * <p>{@code -Dloopwire.fuzz.seed=N} replays a run, {@code -Dloopwire.fuzz.cases=N} (default 600)
 * is the number of fuzz messages, {@code -Dloopwire.fuzz.flood=N} (default 5000) the flood size.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WireFuzzIT {

    /** FramedMessageProducer's documented limit (docs/protocol.md, Transport). */
    private static final long MAX_CONTENT_LENGTH = 64L * 1024 * 1024;
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private static final Map<String, List<String>> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("initialize", List.of("protocolVersion", "clientInfo", "workspaceFolders"));
        FIELDS.put("loop/start", List.of("workspace", "goal", "goalFile", "template", "args", "provider", "budget",
                "approval", "autoRun", "name", "check", "judge", "stop", "waits", "schedule", "doneToken"));
        FIELDS.put("loop/step", List.of("loopId"));
        FIELDS.put("loop/approve", List.of("loopId", "approvalId", "decision", "note"));
        FIELDS.put("loop/cancel", List.of("loopId"));
        FIELDS.put("loop/pause", List.of("loopId"));
        FIELDS.put("loop/resume", List.of("loopId", "budget"));
        FIELDS.put("loop/list", List.of("workspace"));
        FIELDS.put("loop/get", List.of("loopId"));
        FIELDS.put("loop/memory", List.of("loopId"));
        FIELDS.put("providers/list", List.of("x"));
        FIELDS.put("templates/list", List.of("x"));
    }

    @TempDir
    Path dir;

    private Random rnd;
    private long idCounter = 10_000;
    /** Requests sent with an id: key -> what was sent (for messages). */
    private final Map<String, String> expected = new LinkedHashMap<>();
    private final Map<String, Integer> stats = new TreeMap<>();

    @Test
    void hostileInputIsAnsweredAndChangesNothing() throws Exception {
        long seed = Long.getLong("loopwire.fuzz.seed", new SecureRandom().nextLong());
        int cases = Integer.getInteger("loopwire.fuzz.cases", 600);
        int flood = Integer.getInteger("loopwire.fuzz.flood", 5000);
        System.out.println("WireFuzzIT seed=" + seed + " cases=" + cases + " flood=" + flood
                + " (replay: -Dloopwire.fuzz.seed=" + seed + ")");
        rnd = new Random(seed);
        Path ws = ServerProcess.copyTree(ServerProcess.repo().resolve("examples/hello"), dir.resolve("ws"));
        Files.createDirectories(dir.resolve("other"));
        try (RawStdio raw = new RawStdio(ServerProcess.start(dir.resolve("logs"), false))) {
            raw.result("initialize", "{\"protocolVersion\":1,\"workspaceFolders\":[" + GSON.toJson(ws.toString()) + "]}");
            raw.send("{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
            String done = startLoop(raw, ws, "auto");
            awaitStatus(raw, done, "succeeded");
            String waiting = startLoop(raw, ws, "ask");
            awaitStatus(raw, waiting, "awaiting_approval");
            String approvalId = raw.result("loop/get", "{\"loopId\":\"" + waiting + "\"}").getAsJsonObject()
                    .getAsJsonObject("loop").getAsJsonObject("pendingApproval").get("approvalId").getAsString();
            Map<String, String> before = digests(ws);

            long began = System.nanoTime();
            refusesOversizedFrameBeforeItsBody(raw);
            for (int i = 0; i < cases; i++) {
                oneCase(raw, done, waiting);
            }
            System.out.println("WireFuzzIT: " + cases + " cases sent in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms; " + stats);
            awaitEveryAnswer(raw, 120);

            long floodBegan = System.nanoTime();
            flood(raw, flood);
            awaitEveryAnswer(raw, 240);
            System.out.println("WireFuzzIT: flood of " + flood + " loop/list answered in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - floodBegan) + " ms");

            for (Map.Entry<String, java.util.concurrent.atomic.AtomicInteger> e : raw.responseCounts.entrySet()) {
                assertEquals(1, e.getValue().get(), "request " + e.getKey() + " was answered "
                        + e.getValue().get() + " times");
            }
            List<String> internal = new ArrayList<>();
            raw.responses.forEach((k, r) -> {
                if (r.has("error") && r.getAsJsonObject("error").get("code").getAsInt() == -32603) {
                    internal.add(expected.get(k) + " -> " + abbreviate(r.toString()));
                }
            });
            assertTrue(internal.isEmpty(), "internal errors (bugs) for: " + String.join("\n", internal));
            Map<String, Integer> outcomes = new TreeMap<>();
            raw.responses.forEach((k, r) -> outcomes.merge(r.has("error")
                    ? String.valueOf(r.getAsJsonObject("error").get("code").getAsInt()) : "result", 1, Integer::sum));
            System.out.println("WireFuzzIT: answers by code " + outcomes);
            assertTrue(raw.process.process.isAlive(), raw.process.stderrText());
            System.out.println("WireFuzzIT: " + raw.nullIdErrors.size() + " errors with id null; server RSS "
                    + rssKb(raw.process.process.pid()) + " kB");

            assertEquals(before, digests(ws), "the loops on disk changed under hostile input");
            JsonObject loop = raw.result("loop/get", "{\"loopId\":\"" + waiting + "\"}").getAsJsonObject()
                    .getAsJsonObject("loop");
            assertEquals("awaiting_approval", loop.get("status").getAsString());
            assertEquals(approvalId, loop.getAsJsonObject("pendingApproval").get("approvalId").getAsString());

            truncatedFrameThenHangUpOnTheSocket(ws);
            normalClientRunsALoop(ws);
            assertEquals("succeeded", raw.result("loop/get", "{\"loopId\":\"" + done + "\"}").getAsJsonObject()
                    .getAsJsonObject("loop").get("status").getAsString());
            assertNull(raw.readerFailure);
        }
    }

    /**
     * A NUL character in a path the client gives is bad input (-32602, or -32006 as for
     * {@code goalFile}), never an internal error that echoes the exception.
     */
    @Test
    void nulCharacterInAPathIsRefusedAsInvalidParams() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("nul-ws"));
        String nul = GSON.toJson(ws + "/a\u0000b");
        String script = "{\"id\":\"scripted\",\"options\":{\"script\":\"t\\u0000.json\"}}";
        try (RawStdio raw = new RawStdio(ServerProcess.start(dir.resolve("logs"), false))) {
            List<String[]> calls = List.of(
                    new String[] {"initialize", "{\"protocolVersion\":1,\"workspaceFolders\":[" + nul + "]}"},
                    new String[] {"initialize", "{\"protocolVersion\":1,\"workspaceFolders\":[" + GSON.toJson(ws.toString()) + "]}"},
                    new String[] {"loop/list", "{\"workspace\":" + nul + "}"},
                    new String[] {"loop/start", "{\"workspace\":" + nul + ",\"goal\":\"g\",\"provider\":" + script + "}"},
                    new String[] {"loop/start", "{\"workspace\":" + GSON.toJson(ws.toString())
                            + ",\"goal\":\"g\",\"provider\":" + script + "}"});
            List<String> wrong = new ArrayList<>();
            for (String[] c : calls) {
                JsonObject r = raw.call(c[0], c[1]);
                if (c[1].contains("\\u0000") || c[1].contains("\u0000")) {
                    int code = r.has("error") ? r.getAsJsonObject("error").get("code").getAsInt() : 0;
                    if (code != -32602 && code != -32006 && code != -32007) {
                        wrong.add(c[0] + " " + c[1] + " -> " + r);
                    }
                }
            }
            assertTrue(wrong.isEmpty(), "NUL in a path is not refused as bad input:\n" + String.join("\n", wrong));
            // Opening the workspace (the valid initialize) may create .loopwire/ for its socket; a refused
            // loop/start must not create a loop.
            Path loops = ws.resolve(".loopwire").resolve("loops");
            try (var entries = Files.exists(loops) ? Files.list(loops) : java.util.stream.Stream.<Path>empty()) {
                assertTrue(entries.findAny().isEmpty(), "a refused loop/start created a loop");
            }
            try (var top = Files.list(ws)) {
                assertTrue(top.allMatch(p -> p.getFileName().toString().equals(".loopwire")),
                        "a refused request wrote into the workspace");
            }
        }
    }

    private static String startLoop(RawStdio raw, Path ws, String mode) throws Exception {
        return raw.result("loop/start", "{\"workspace\":" + GSON.toJson(ws.toString())
                + ",\"goal\":\"say hello\",\"provider\":{\"id\":\"scripted\",\"options\":{\"script\":\"turns.json\"}},"
                + "\"approval\":{\"mode\":\"" + mode + "\"}}").getAsJsonObject().get("loopId").getAsString();
    }

    private static void awaitStatus(RawStdio raw, String loopId, String status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String now = null;
        while (System.nanoTime() < deadline) {
            now = raw.result("loop/get", "{\"loopId\":\"" + loopId + "\"}").getAsJsonObject()
                    .getAsJsonObject("loop").get("status").getAsString();
            if (now.equals(status)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("loop " + loopId + " is " + now + ", not " + status);
    }

    /** A Content-Length far over the limit is refused at once, before any body byte is sent. */
    private void refusesOversizedFrameBeforeItsBody(RawStdio raw) throws Exception {
        for (long length : new long[] {MAX_CONTENT_LENGTH + 1, 1L << 40, Long.MAX_VALUE}) {
            int before = raw.nullIdErrors.size();
            raw.write("Content-Length: " + length + "\r\n\r\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (raw.nullIdErrors.size() == before && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(raw.nullIdErrors.size() > before, "no refusal of Content-Length " + length);
            JsonObject error = raw.nullIdErrors.get(before).getAsJsonObject("error");
            assertEquals(-32700, error.get("code").getAsInt(), error.toString());
            assertTrue(error.get("message").getAsString().contains("Content-Length"), error.toString());
        }
        String key = request(raw, "providers/list", "{}", "after oversized frames");
        raw.await(key, 60);
    }

    private String nextIdJson() {
        long n = ++idCounter;
        return switch (rnd.nextInt(5)) {
            case 0 -> "\"s-" + n + "\"";
            case 1 -> "\"ü✓-" + n + "\"";
            case 2 -> String.valueOf(9_007_199_254_000_000L + n);
            case 3 -> String.valueOf(-n);
            default -> String.valueOf(n);
        };
    }

    /** Sends a request with a fresh id; returns the key its response is kept under. */
    private String request(RawStdio raw, String method, String params, String what) throws Exception {
        String id = nextIdJson();
        String key = RawStdio.key(com.google.gson.JsonParser.parseString(id));
        expected.put(key, what + ": " + abbreviate(method + " " + params));
        raw.send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":" + GSON.toJson(method)
                + (params == null ? "" : ",\"params\":" + params) + "}");
        return key;
    }

    private void count(String what) {
        stats.merge(what, 1, Integer::sum);
    }

    private void oneCase(RawStdio raw, String doneLoop, String waitingLoop) throws Exception {
        int kind = rnd.nextInt(100);
        if (kind < 10) {
            count("random-bytes");
            byte[] junk = new byte[1 + rnd.nextInt(2000)];
            rnd.nextBytes(junk);
            raw.write(junk);
            raw.write("\r\n\r\n"); // ends whatever header block the junk left open
        } else if (kind < 18) {
            count("truncated-frame");
            byte[] frame = Frames.frame(wrongShape(doneLoop, waitingLoop)[1]);
            int headerEnd = indexOf(frame, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) + 4;
            if (rnd.nextBoolean()) {
                // cut inside "Content-Length: " (before the digits, so no length survives)
                raw.write(java.util.Arrays.copyOf(frame, rnd.nextInt("Content-Length: ".length())));
                raw.write("\r\n\r\n");
            } else {
                // body cut short and padded to the announced length: not JSON any more
                int bodyLength = frame.length - headerEnd;
                int keep = rnd.nextInt(bodyLength);
                byte[] cut = java.util.Arrays.copyOf(frame, headerEnd + bodyLength);
                java.util.Arrays.fill(cut, headerEnd + keep, cut.length, (byte) ' ');
                raw.write(cut);
            }
        } else if (kind < 23) {
            count("bad-content-length");
            String[] bad = {"-1", "abc", "1e3", "99999999999999999999999", String.valueOf(MAX_CONTENT_LENGTH + 1), ""};
            raw.write("Content-Length: " + bad[rnd.nextInt(bad.length)] + "\r\n\r\n");
        } else if (kind < 30) {
            count("invalid-json");
            String[] bodies = {"{not json", "[1,2", "\"open string", "{\"jsonrpc\":\"2.0\",\"id\":1,", "}{", "nul",
                    "{\"a\":tru}", "\u0000\u0001\u0002", "{\"jsonrpc\":\"2.0\",\"method\":\"loop/list\",\"params\":{]}"};
            raw.send(bodies[rnd.nextInt(bodies.length)]);
        } else if (kind < 33) {
            count("deep-nesting");
            int depth = 1_000 + rnd.nextInt(200_000);
            String params = "[".repeat(depth) + "]".repeat(depth);
            int before = raw.nullIdErrors.size();
            String key = request(raw, "loop/list", params, "nesting depth " + depth);
            expected.remove(key);
            // Over the JSON parser's nesting limit the body counts as unparseable: -32700, id null.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!raw.responses.containsKey(key) && raw.nullIdErrors.size() == before
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(raw.responses.containsKey(key) || raw.nullIdErrors.size() > before,
                    "no answer to a request nested " + depth + " deep");
        } else if (kind < 38) {
            count("not-a-request");
            String[] values = {"[]", "42", "\"text\"", "true", "null",
                    "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"loop/list\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":[1],\"method\":\"loop/list\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"loop/list\"}",
                    "{\"jsonrpc\":\"2.0\",\"result\":{},\"id\":\"never-asked\"}",
                    "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":1,\"message\":\"x\"},\"id\":77}"};
            raw.send(values[rnd.nextInt(values.length)]);
        } else if (kind < 43) {
            count("batch");
            JsonArray batch = new JsonArray();
            for (int i = 0, n = 1 + rnd.nextInt(4); i < n; i++) {
                batch.add(com.google.gson.JsonParser.parseString("{\"jsonrpc\":\"2.0\",\"id\":\"batch-" + (++idCounter)
                        + "\",\"method\":\"loop/list\",\"params\":{}}"));
            }
            int before = raw.nullIdErrors.size();
            raw.send(batch.toString());
            // Batches are refused as one message (LSP framing has none): one error with id null.
            String key = request(raw, "providers/list", "{}", "after a batch");
            raw.await(key, 60);
            assertTrue(raw.nullIdErrors.size() > before, "a batch got no answer");
        } else if (kind < 48) {
            count("bad-id-or-version");
            String[] messages = {
                "{\"jsonrpc\":\"1.0\",\"id\":" + nextIdJson() + ",\"method\":\"loop/list\",\"params\":{}}",
                "{\"id\":" + nextIdJson() + ",\"method\":\"loop/list\",\"params\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":" + nextIdJson() + ",\"method\":42,\"params\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":" + nextIdJson() + ",\"params\":{}}"};
            String m = messages[rnd.nextInt(messages.length)];
            String key = RawStdio.key(com.google.gson.JsonParser.parseString(m).getAsJsonObject().get("id"));
            expected.put(key, "bad id or version: " + m);
            raw.send(m);
        } else if (kind < 53) {
            count("unknown-method");
            String[] methods = {"loop/nothing", "", "rpc.discover", "loop/" + "x".repeat(10_000), "$/setTrace",
                    "loop/get/extra", "LOOP/GET", "shutdown/now"};
            String method = methods[rnd.nextInt(methods.length)];
            if (rnd.nextBoolean()) {
                request(raw, method, "{}", "unknown method");
            } else {
                raw.send("{\"jsonrpc\":\"2.0\",\"method\":" + GSON.toJson(method) + ",\"params\":{}}");
            }
        } else if (kind < 60) {
            count("notification-wrong-shape");
            String[] notif = wrongShape(doneLoop, waitingLoop);
            raw.send(notif[1].replaceFirst("\"id\":[^,]*,", ""));
        } else {
            count("wrong-shape");
            String[] r = wrongShape(doneLoop, waitingLoop);
            String id = nextIdJson();
            String key = RawStdio.key(com.google.gson.JsonParser.parseString(id));
            expected.put(key, abbreviate(r[0]));
            raw.send(r[1].replaceFirst("\"id\":0,", "\"id\":" + id + ","));
        }
    }

    /**
     * A request of the wrong shape, with id 0 as a placeholder: {description, json}. Never a valid
     * request that changes a loop: a real loop id only goes with a wrong approval id or a budget
     * that is not an object, and never inside params given as an array.
     */
    private String[] wrongShape(String doneLoop, String waitingLoop) {
        List<String> methods = new ArrayList<>(FIELDS.keySet());
        String method = methods.get(rnd.nextInt(methods.size()));
        JsonObject params = new JsonObject();
        for (String field : FIELDS.get(method)) {
            if (rnd.nextInt(3) == 0) {
                params.add(field, plausible(field));
            }
        }
        String field = FIELDS.get(method).get(rnd.nextInt(FIELDS.get(method).size()));
        params.add(field, wrongValue(field));
        boolean realLoop = rnd.nextInt(4) == 0;
        if (realLoop && method.equals("loop/approve")) {
            params.addProperty("loopId", waitingLoop);
            params.addProperty("approvalId", "not-the-approval-" + rnd.nextInt(1000));
        } else if (realLoop && method.equals("loop/resume")) {
            params.addProperty("loopId", rnd.nextBoolean() ? waitingLoop : doneLoop);
            JsonElement[] notObjects = {new JsonPrimitive(5), new JsonPrimitive("big"), new JsonArray(),
                    new JsonPrimitive(true), com.google.gson.JsonParser.parseString("{\"maxIterations\":\"many\"}")};
            params.add("budget", notObjects[rnd.nextInt(notObjects.length)]);
        } else if (realLoop && (method.equals("loop/get") || method.equals("loop/memory"))) {
            params.addProperty("loopId", rnd.nextBoolean() ? waitingLoop : doneLoop);
        }
        JsonElement wrapped = params;
        boolean readOnlyRealLoop = realLoop && (method.equals("loop/get") || method.equals("loop/memory"));
        int shape = rnd.nextInt(10);
        if (shape == 0 && (!realLoop || readOnlyRealLoop)) {
            JsonArray a = new JsonArray();
            a.add(params);
            wrapped = a;
        } else if (shape == 1) {
            wrapped = wrongValue("params");
        } else if (shape == 2) {
            wrapped = null;
        }
        // A start that turns out valid (Gson reads 5 as "5") must not land in the workspace under test,
        // which is also the default workspace.
        if (method.equals("loop/start") && (!params.has("workspace") || params.get("workspace").isJsonPrimitive()
                && params.get("workspace").getAsJsonPrimitive().isString())) {
            params.addProperty("workspace", dir.resolve("other").toString());
        }
        if (method.equals("initialize") && params.has("protocolVersion")
                && params.get("protocolVersion").isJsonPrimitive()) {
            params.addProperty("protocolVersion", "one");
        }
        String json = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":" + GSON.toJson(method)
                + (wrapped == null ? "" : ",\"params\":" + GSON.toJson(wrapped)) + "}";
        return new String[] {"wrong shape " + json, json};
    }

    /** A value of the right type for a field (or something close), never a real loop id. */
    private JsonElement plausible(String field) {
        return switch (field) {
            case "protocolVersion" -> new JsonPrimitive("one");
            case "autoRun" -> new JsonPrimitive(false);
            case "workspaceFolders" -> new JsonArray();
            case "provider" -> com.google.gson.JsonParser.parseString("{\"id\":\"scripted\",\"options\":{\"script\":\"none.json\"}}");
            case "budget" -> com.google.gson.JsonParser.parseString("{\"maxIterations\":1}");
            case "approval" -> com.google.gson.JsonParser.parseString("{\"mode\":\"deny\"}");
            case "decision" -> new JsonPrimitive("allow_once");
            case "workspace" -> new JsonPrimitive(dir.resolve("other").toString());
            default -> new JsonPrimitive("fuzz-" + rnd.nextInt(100_000));
        };
    }

    private JsonElement wrongValue(String field) {
        return switch (rnd.nextInt(9)) {
            case 0 -> new JsonPrimitive(rnd.nextInt());
            case 1 -> new JsonPrimitive(rnd.nextBoolean());
            case 2 -> new JsonArray();
            case 3 -> com.google.gson.JsonParser.parseString("[1,\"two\",{\"three\":3}]");
            case 4 -> com.google.gson.JsonParser.parseString("{\"nested\":{\"deeper\":[null]}}");
            case 5 -> JsonNull.INSTANCE;
            case 6 -> new JsonPrimitive(1.5e308);
            // NUL characters in paths have their own test (nulCharacterInAPathIsRefusedAsInvalidParams)
            case 7 -> new JsonPrimitive("\u0001\uFFFF\uD83D\uDE80" + "x".repeat(rnd.nextInt(5000)));
            default -> new JsonPrimitive(-rnd.nextLong());
        };
    }

    private void flood(RawStdio raw, int n) throws Exception {
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "\"flood-" + i + "\"";
            expected.put("s:flood-" + i, "flood " + i);
            frames.add(Frames.frame("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"loop/list\",\"params\":{}}"));
        }
        int size = frames.stream().mapToInt(f -> f.length).sum();
        byte[] bytes = new byte[size];
        int at = 0;
        for (byte[] f : frames) {
            System.arraycopy(f, 0, bytes, at, f.length);
            at += f.length;
        }
        raw.write(bytes); // one write: the reader thread drains the answers meanwhile
    }

    private void awaitEveryAnswer(RawStdio raw, long seconds) throws Exception {
        String sentinel = request(raw, "providers/list", "{}", "sentinel");
        raw.await(sentinel, seconds);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<String> missing = new ArrayList<>();
        while (true) {
            missing.clear();
            for (String key : expected.keySet()) {
                if (!raw.responses.containsKey(key)) {
                    missing.add(key + " (" + expected.get(key) + ")");
                }
            }
            if (missing.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(missing.isEmpty(), missing.size() + " requests with an id got no answer, e.g. "
                + missing.subList(0, Math.min(5, missing.size())));
    }

    /** A socket client that sends half a frame and hangs up does not disturb the server. */
    private static void truncatedFrameThenHangUpOnTheSocket(Path ws) throws Exception {
        try (SocketChannel channel = UnixSockets.connect(UnixSockets.socketPath(ws))) {
            OutputStream out = UnixSockets.out(channel);
            out.write("Content-Length: 200\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"meth".getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }

    /** An lsp4j client over the workspace socket starts a loop and sees it succeed. */
    private static void normalClientRunsALoop(Path ws) throws Exception {
        RecordingClient client = new RecordingClient();
        try (SocketChannel channel = UnixSockets.connect(UnixSockets.socketPath(ws))) {
            Launcher<LoopwireServer> launcher = RpcLauncher.create(client, LoopwireServer.class,
                    new BufferedInputStream(UnixSockets.in(channel)), UnixSockets.out(channel), null);
            launcher.startListening();
            LoopwireServer server = launcher.getRemoteProxy();
            server.initialize(new InitializeParams(1, null, null, List.of(ws.toString()))).get(60, TimeUnit.SECONDS);
            server.initialized(new InitializedParams());
            var start = new dev.loopwire.protocol.StartLoopParams(ws.toString(), "after the fuzz", null, null, null,
                    new dev.loopwire.protocol.ProviderSpec("scripted", null, Map.of("script", "turns.json")), null,
                    new dev.loopwire.protocol.ApprovalConfig("auto", null, null, null, null), true, "after-fuzz",
                    null, null, null, null, null, null);
            String id = server.getLoopService().start(start).get(60, TimeUnit.SECONDS).loopId();
            client.awaitStatus(id, "succeeded");
            assertEquals(4, server.getLoopService().get(new LoopIdParams(id)).get(60, TimeUnit.SECONDS)
                    .iterations().size());
            server.exit();
        }
    }

    /** SHA-256 of every file of every loop on disk. */
    private static Map<String, String> digests(Path ws) throws Exception {
        Map<String, String> out = new TreeMap<>();
        Path root = ws.resolve(".loopwire").resolve("loops");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(p)) {
                    byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p));
                    out.put(root.relativize(p).toString(), HexFormat.of().formatHex(d));
                }
            }
        }
        return out;
    }

    private static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
