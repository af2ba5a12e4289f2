package dev.loopwire.server.trust;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.loopwire.server.testing.Frames;
import dev.loopwire.server.testing.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw bytes to the real server's stdin, and every frame from its stdout read (through
 * {@link Frames#read}, which checks each header) on a thread of its own, so that the test can
 * write floods without a deadlock. Responses are kept by id; errors with {@code id: null} and
 * notifications are counted.
 */
final class RawStdio implements AutoCloseable {

    final ServerProcess process;
    private final OutputStream in;
    final Map<String, JsonObject> responses = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> responseCounts = new ConcurrentHashMap<>();
    final List<JsonObject> nullIdErrors = new CopyOnWriteArrayList<>();
    final AtomicLong notifications = new AtomicLong();
    volatile Throwable readerFailure;
    private final AtomicLong nextId = new AtomicLong(1);
    private final Thread reader;

    RawStdio(ServerProcess process) {
        this.process = process;
        this.in = process.process.getOutputStream();
        InputStream out = process.process.getInputStream();
        reader = new Thread(() -> {
            try {
                while (true) {
                    JsonObject frame = Frames.read(out);
                    if (frame.has("method")) {
                        notifications.incrementAndGet();
                    } else if (!frame.has("id") || frame.get("id").isJsonNull()) {
                        nullIdErrors.add(frame);
                    } else {
                        String key = key(frame.get("id"));
                        responseCounts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        responses.put(key, frame);
                    }
                }
            } catch (IOException e) {
                // the server's stdout ended
            } catch (Throwable e) {
                readerFailure = e;
            }
        }, "raw-stdio-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The same key for an id as sent and as echoed: strings as "s:..." and numbers by value. */
    static String key(JsonElement id) {
        if (id.isJsonPrimitive() && id.getAsJsonPrimitive().isNumber()) {
            return "n:" + new BigDecimal(id.getAsString()).stripTrailingZeros().toPlainString();
        }
        return "s:" + id.getAsString();
    }

    synchronized void write(byte[] bytes) throws IOException {
        in.write(bytes);
        in.flush();
    }

    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void send(String json) throws IOException {
        write(Frames.frame(json));
    }

    /** Sends a request with a fresh numeric id and waits for its response. */
    JsonObject call(String method, String paramsJson) throws Exception {
        long id = nextId.getAndIncrement();
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}");
        return await("n:" + id, 90);
    }

    /** The result of a request that must succeed. */
    JsonElement result(String method, String paramsJson) throws Exception {
        JsonObject r = call(method, paramsJson);
        if (!r.has("result")) {
            throw new AssertionError(method + " " + paramsJson + " failed: " + r);
        }
        return r.get("result");
    }

    JsonObject await(String key, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            JsonObject r = responses.get(key);
            if (r != null) {
                return r;
            }
            if (readerFailure != null) {
                throw new AssertionError("reading the server's output failed", readerFailure);
            }
            if (!process.process.isAlive() && responses.get(key) == null) {
                Thread.sleep(200);
                if (responses.get(key) == null) {
                    throw new AssertionError("the server died; stderr:\n" + process.stderrText());
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no response to " + key + " within " + seconds + " s");
    }

    static JsonObject parse(String json) {
        return JsonParser.parseString(json).getAsJsonObject();
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}
