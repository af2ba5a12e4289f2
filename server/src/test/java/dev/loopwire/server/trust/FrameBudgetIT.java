package dev.loopwire.server.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.loopwire.server.internal.UnixSockets;
import dev.loopwire.server.testing.Frames;
import dev.loopwire.server.testing.ServerProcess;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-wide budget for socket clients' frame bodies, against the real server jar started
 * with {@code -Xmx128m} (and {@code -XX:+ExitOnOutOfMemoryError}) and a 12 MiB budget: ten socket
 * clients send an 8 MiB frame each at the same time, which unbounded would take several times
 * the heap (reading and parsing a frame costs a few times its size); then a client that announces
 * an 8 MiB frame and sends only its start holds the budget while another client's large frames
 * are refused. Throughout, the stdio client is answered; the server never runs out of memory.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class FrameBudgetIT {

    private static final Gson GSON = new Gson();
    private static final int PAD = 8 * 1024 * 1024;
    private static final long BUDGET = 12L * 1024 * 1024;
    private static final int CLIENTS = 10;
    private static final byte[] PAD_BYTES = filled(PAD);

    @TempDir
    Path dir;

    @Test
    void manySocketClientsSendingLargeFramesAtOnceStayWithinTheBudget() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        List<String> jvm = List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError",
                "-Dloopwire.frameBudgetBytes=" + BUDGET, "-Dloopwire.frameBudgetWaitMillis=5000");
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "frame-budget-client");
            t.setDaemon(true);
            return t;
        });
        List<Peer> peers = new CopyOnWriteArrayList<>();
        try (RawStdio stdio = new RawStdio(ServerProcess.start(dir.resolve("logs"), false, jvm))) {
            stdio.result("initialize", "{\"protocolVersion\":1,\"workspaceFolders\":[" + GSON.toJson(ws.toString()) + "]}");
            stdio.send("{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
            Path socket = UnixSockets.socketPath(ws);
            assertTrue(UnixSockets.isLive(socket), "no socket at " + socket);

            // 1. Ten clients send an 8 MiB frame each, all at once; the stdio client goes on meanwhile.
            List<Future<JsonObject>> storm = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String id = "big-" + i;
                storm.add(pool.submit(() -> {
                    Peer p = new Peer(socket);
                    peers.add(p);
                    p.initialize();
                    p.sendLarge(id, ws);
                    return p.await(id, 120);
                }));
            }
            int pings = 0;
            while (!storm.stream().allMatch(Future::isDone)) {
                stdio.result("loop/list", "{}");
                pings++;
            }
            int accepted = 0;
            int refused = 0;
            for (int i = 0; i < CLIENTS; i++) {
                JsonObject r = storm.get(i).get();
                assertEquals("big-" + i, r.get("id").getAsString());
                if (r.has("result")) {
                    assertTrue(r.getAsJsonObject("result").has("loops"), r.toString());
                    accepted++;
                } else {
                    assertRefused(r);
                    refused++;
                }
            }
            System.out.println("FrameBudgetIT: " + CLIENTS + " clients x " + PAD + " bytes: " + accepted
                    + " accepted, " + refused + " refused; stdio answered " + pings + " loop/list meanwhile");
            assertTrue(accepted >= 1, "no large frame was accepted");
            assertTrue(pings >= 1);
            assertAlive(stdio);

            // 2. A client that announces a large frame and sends only its start holds the budget:
            //    another client's large frames are refused (then its next frame is served), small
            //    frames still fit, and the held frame is answered once it is complete.
            Peer probe = new Peer(socket);
            peers.add(probe);
            probe.initialize();
            Peer hog = null;
            String hogId = null;
            JsonObject refusal = null;
            int probes = 0;
            int hogs = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            while (refusal == null) {
                assertTrue(System.nanoTime() < deadline, "no large frame was refused while another one held the budget");
                if (hog == null || hog.answered(hogId)) {
                    // no holder yet, or the holder's frame was itself refused (a probe held the budget then)
                    if (hog != null) {
                        hog.close();
                    }
                    hog = new Peer(socket);
                    peers.add(hog);
                    hog.initialize();
                    hogId = "hog-" + ++hogs;
                    hog.startLarge(hogId, ws, 64 * 1024);
                }
                String id = "probe-" + ++probes;
                probe.sendLarge(id, ws);
                JsonObject r = probe.await(id, 120);
                if (r.has("error")) {
                    assertEquals(id, r.get("id").getAsString(), "the refusal carries the request's id");
                    assertRefused(r);
                    refusal = r;
                }
            }
            System.out.println("FrameBudgetIT: refused while held (after " + probes + " probes, " + hogs + " holders): "
                    + refusal.getAsJsonObject("error").get("message").getAsString());
            probe.send("{\"jsonrpc\":\"2.0\",\"id\":\"after-refusal\",\"method\":\"loop/list\",\"params\":{}}");
            assertTrue(probe.await("after-refusal", 60).has("result"), "the refused frame's body was skipped in step");
            Peer small = new Peer(socket);
            peers.add(small);
            small.initialize();
            String smallJson = "{\"jsonrpc\":\"2.0\",\"id\":\"small\",\"method\":\"loop/list\",\"params\":{\"pad\":\""
                    + "y".repeat(32 * 1024) + "\"}}";
            small.send(smallJson);
            assertTrue(small.await("small", 60).has("result"), "a small frame fits while a large one holds the budget");
            stdio.result("loop/list", "{}");
            hog.finishLarge();
            JsonObject held = hog.await(hogId, 120);
            assertTrue(held.has("result"), "the frame that held the budget is answered once complete: " + held);

            assertAlive(stdio);
            for (Peer p : peers) {
                assertNull(p.failure, "a client's reader failed");
                for (Map.Entry<String, AtomicInteger> e : p.counts.entrySet()) {
                    assertEquals(1, e.getValue().get(), e.getKey() + " was answered " + e.getValue() + " times");
                }
                assertTrue(p.nullIds.isEmpty(), "errors without the request's id: " + p.nullIds);
            }
            assertNull(stdio.readerFailure);
        } finally {
            for (Peer p : peers) {
                p.close();
            }
            pool.shutdownNow();
        }
    }

    private static void assertRefused(JsonObject response) {
        JsonObject error = response.getAsJsonObject("error");
        assertEquals(-32600, error.get("code").getAsInt(), response.toString());
        String message = error.get("message").getAsString();
        assertTrue(message.contains("does not fit in the server's budget") && message.contains("skipped unread"),
                message);
    }

    private static void assertAlive(RawStdio stdio) throws Exception {
        assertTrue(stdio.result("loop/list", "{}").getAsJsonObject().has("loops"));
        assertTrue(stdio.process.process.isAlive(), stdio.process.stderrText());
        assertFalse(stdio.process.stderrText().contains("OutOfMemoryError"), stdio.process.stderrText());
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 'x');
        return b;
    }

    /**
     * A raw client on the workspace socket: frames written as bytes (large ones in pieces),
     * responses read on a thread of its own and kept by id.
     */
    private static final class Peer implements AutoCloseable {

        final SocketChannel channel;
        final OutputStream out;
        final Map<String, JsonObject> responses = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        final List<JsonObject> nullIds = new CopyOnWriteArrayList<>();
        volatile Throwable failure;
        private byte[] pendingSuffix;

        Peer(Path socket) throws IOException {
            channel = UnixSockets.connect(socket);
            out = UnixSockets.out(channel);
            InputStream in = new BufferedInputStream(UnixSockets.in(channel));
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        JsonObject frame = Frames.read(in);
                        if (frame.has("method")) {
                            continue;
                        }
                        JsonElement id = frame.get("id");
                        if (id == null || id.isJsonNull()) {
                            nullIds.add(frame);
                            continue;
                        }
                        String key = id.getAsString();
                        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        responses.put(key, frame);
                    }
                } catch (IOException e) {
                    // closed
                } catch (Throwable e) {
                    failure = e;
                }
            }, "frame-budget-peer");
            reader.setDaemon(true);
            reader.start();
        }

        void initialize() throws Exception {
            send("{\"jsonrpc\":\"2.0\",\"id\":\"init\",\"method\":\"initialize\",\"params\":{\"protocolVersion\":1}}");
            assertTrue(await("init", 60).has("result"));
        }

        synchronized void send(String json) throws IOException {
            out.write(Frames.frame(json));
        }

        /** A loop/list request padded to over 8 MiB. */
        void sendLarge(String id, Path ws) throws IOException {
            startLarge(id, ws, PAD);
            finishLarge();
        }

        /** Sends the header and the body up to {@code padBytes} of the padding. */
        synchronized void startLarge(String id, Path ws, int padBytes) throws IOException {
            byte[] prefix = ("{\"jsonrpc\":\"2.0\",\"id\":" + GSON.toJson(id)
                    + ",\"method\":\"loop/list\",\"params\":{\"workspace\":" + GSON.toJson(ws.toString())
                    + ",\"pad\":\"").getBytes(StandardCharsets.UTF_8);
            byte[] suffix = "\"}}".getBytes(StandardCharsets.UTF_8);
            long length = (long) prefix.length + PAD + suffix.length;
            out.write(("Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(prefix);
            out.write(PAD_BYTES, 0, padBytes);
            pendingSuffix = suffix;
            pendingPadFrom = padBytes;
        }

        private int pendingPadFrom;

        synchronized void finishLarge() throws IOException {
            out.write(PAD_BYTES, pendingPadFrom, PAD - pendingPadFrom);
            out.write(pendingSuffix);
        }

        boolean answered(String id) {
            return responses.containsKey(id);
        }

        JsonObject await(String id, long seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                JsonObject r = responses.get(id);
                if (r != null) {
                    return r;
                }
                if (failure != null) {
                    throw new AssertionError("reading the socket failed", failure);
                }
                if (!nullIds.isEmpty()) {
                    throw new AssertionError("an error without the request's id: " + nullIds);
                }
                Thread.sleep(5);
            }
            throw new AssertionError("no response to " + id + " within " + seconds + " s");
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closed already
            }
        }
    }
}
