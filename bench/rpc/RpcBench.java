import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.loopwire.engine.LoopEngine;
import dev.loopwire.engine.LoopEvents;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.server.internal.EngineFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Loopwire's RPC and engine benchmark (see bench/README.md). Run from the repository root after
 * {@code mvn -B package -DskipTests} and {@code npm ci --prefix bench/rpc/node}:
 *
 * <pre>java -cp server/target/loopwire.jar bench/rpc/RpcBench.java</pre>
 *
 * The same raw-framing client measures the Loopwire server ({@code bin/loopwire serve}) and a
 * minimal vscode-jsonrpc server ({@code bench/rpc/node/server.js}), and prints the ratios.
 */
public class RpcBench {

    static final Path REPO = Path.of("").toAbsolutePath();
    static final List<String[]> ROWS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        int starts = 7;
        int gets = 10_000;
        int floodLoopTurns = 100;
        for (String a : args) {
            if (a.equals("--quick")) {
                starts = 3;
                gets = 2_000;
                floodLoopTurns = 20;
            }
        }
        System.out.printf("Loopwire RPC benchmark on %d cores, %s%n%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version());

        double javaStart = coldStart(loopwire(), starts);
        double nodeStart = coldStart(node(), starts);
        row("cold start: spawn -> initialize response (median ms)", javaStart, nodeStart, "< 400");

        double[] javaGet = roundTrips(loopwire(), gets, true);
        double[] nodeGet = roundTrips(node(), gets, false);
        row("loop/get round trip p50 (ms)", javaGet[0], nodeGet[0], "< 1");
        row("loop/get round trip p99 (ms)", javaGet[1], nodeGet[1], "");

        double[] loop = loopNotifications(floodLoopTurns);
        double nodeRate = nodeFlood(floodLoopTurns * 500);
        row("notifications/s to a client (Java: a fast scripted loop; Node: a flood)", loop[0], nodeRate, ">= 50000");
        row("text deltas/s to a client (Java: the same loop, deltas coalesced into fewer loop/output; Node: a flood, one delta each)",
                loop[1], nodeRate, ">= 50000");

        double transport = transportNotifications(floodLoopTurns * 500);
        row("notifications/s, server transport only (events injected into the fan-out; Node: a flood)", transport, nodeRate, ">= 50000");

        double perIteration = engineIterations(1000);
        row("engine cost per iteration, durable journal, 1000 scripted iterations (ms)", perIteration, Double.NaN, "< 2");

        memory();
        print();
    }

    // ---- processes and framing ----------------------------------------------------------------

    static List<String> loopwire() {
        return List.of(REPO.resolve("bin/loopwire").toString(), "serve", "--no-socket", "--log-level", "WARNING");
    }

    static List<String> node() {
        return List.of("node", REPO.resolve("bench/rpc/node/server.js").toString());
    }

    static final class Peer implements AutoCloseable {
        final Process process;
        final OutputStream in;
        final InputStream out;
        int nextId = 1;

        Peer(OutputStream in, InputStream out) {
            this.process = null;
            this.in = in;
            this.out = out;
        }

        Peer(List<String> command, Map<String, String> env) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(env);
            process = pb.start();
            in = process.getOutputStream();
            out = new BufferedInputStream(process.getInputStream(), 1 << 16);
        }

        void send(String method, String params, boolean request) throws IOException {
            String json = request
                    ? "{\"jsonrpc\":\"2.0\",\"id\":" + (nextId++) + ",\"method\":\"" + method + "\",\"params\":" + params + "}"
                    : "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params + "}";
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            in.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            in.write(body);
            in.flush();
        }

        /** The next frame's body. */
        String read() throws IOException {
            int length = -1;
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            while (true) {
                int b = out.read();
                if (b < 0) {
                    throw new IOException("peer closed its output");
                }
                if (b == '\n') {
                    String h = line.toString(StandardCharsets.US_ASCII).trim();
                    line.reset();
                    if (h.isEmpty()) {
                        break;
                    }
                    if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(h.substring(15).trim());
                    }
                } else {
                    line.write(b);
                }
            }
            return new String(out.readNBytes(length), StandardCharsets.UTF_8);
        }

        /** Reads until the response to the last request; returns it (notifications are skipped). */
        JsonObject response() throws IOException {
            while (true) {
                String body = read();
                if (body.contains("\"id\":" + (nextId - 1) + ",") || body.contains("\"id\":" + (nextId - 1) + "}")) {
                    JsonObject o = JsonParser.parseString(body).getAsJsonObject();
                    if (o.has("id") && !o.get("id").isJsonNull() && o.get("id").getAsInt() == nextId - 1) {
                        return o;
                    }
                }
            }
        }

        JsonObject call(String method, String params) throws IOException {
            send(method, params, true);
            return response();
        }

        @Override
        public void close() throws Exception {
            if (process == null) {
                return;
            }
            try {
                call("shutdown", "null");
                send("exit", "null", false);
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static String init(Path ws) {
        return "{\"protocolVersion\":1" + (ws == null ? "" : ",\"workspaceFolders\":[\"" + ws + "\"]") + "}";
    }

    // ---- measurements -------------------------------------------------------------------------

    static double coldStart(List<String> command, int runs) throws Exception {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            try (Peer p = new Peer(command, Map.of())) {
                p.call("initialize", init(null));
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms[runs / 2];
    }

    static double[] roundTrips(List<String> command, int count, boolean realLoop) throws Exception {
        Path ws = Files.createTempDirectory("bench-get");
        try (Peer p = new Peer(command, Map.of())) {
            p.call("initialize", init(realLoop ? ws : null));
            String loopId = "20261122-021949-3e26";
            if (realLoop) {
                Files.writeString(ws.resolve("turns.json"), "{\"turns\":[{\"text\":\"hello\\n<promise>DONE</promise>\"}]}");
                JsonObject started = p.call("loop/start", "{\"workspace\":\"" + ws + "\",\"goal\":\"bench\","
                        + "\"provider\":{\"id\":\"scripted\",\"options\":{\"script\":\"turns.json\"}}}");
                loopId = started.getAsJsonObject("result").get("loopId").getAsString();
                while (!p.call("loop/get", "{\"loopId\":\"" + loopId + "\"}").toString().contains("\"succeeded\"")) {
                    Thread.sleep(20);
                }
            }
            String params = "{\"loopId\":\"" + loopId + "\"}";
            for (int i = 0; i < Math.max(2000, count / 5); i++) {
                p.call("loop/get", params);
            }
            double[] ms = new double[count];
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                p.call("loop/get", params);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(ms);
            return new double[] {ms[count / 2], ms[(int) (count * 0.99)]};
        } finally {
            delete(ws);
        }
    }

    /**
     * Notifications, and text deltas in them, a stdio client receives per second while a scripted
     * loop streams as fast as it can (500 one-word deltas per turn). The engine coalesces a burst of
     * deltas into few {@code loop/output} notifications, so the second figure is the one to compare
     * with a server that sends one notification per delta.
     */
    static double[] loopNotifications(int turns) throws Exception {
        Path ws = Files.createTempDirectory("bench-notify");
        StringBuilder text = new StringBuilder();
        for (int w = 0; w < 500; w++) {
            text.append("word ");
        }
        StringBuilder script = new StringBuilder("{\"turns\":[");
        for (int t = 0; t < turns; t++) {
            script.append(t == 0 ? "" : ",").append("{\"text\":\"").append(text)
                    .append(t == turns - 1 ? "\\n<promise>DONE</promise>" : "").append("\"}");
        }
        Files.writeString(ws.resolve("turns.json"), script.append("]}"));
        try (Peer p = new Peer(loopwire(), Map.of())) {
            p.call("initialize", init(ws));
            // The scripted turns change no file on purpose: no-progress and stagnation stops are off.
            p.send("loop/start", "{\"workspace\":\"" + ws + "\",\"goal\":\"flood\",\"budget\":{\"maxIterations\":"
                    + (turns + 1) + "},\"stop\":{\"noProgressIterations\":0,\"stagnationRepeats\":0},\"provider\":{\"id\":\"scripted\",\"options\":{\"script\":\"turns.json\"}}}", true);
            long t0 = System.nanoTime();
            long count = 0;
            long deltas = 0;
            while (true) {
                String body = p.read();
                if (body.contains("\"method\"")) {
                    count++;
                    if (body.contains("\"loop/output\"")) {
                        for (int at = body.indexOf("word "); at >= 0; at = body.indexOf("word ", at + 5)) {
                            deltas++;
                        }
                    }
                    if (body.contains("\"loop/status\"") && (body.contains("\"succeeded\"") || body.contains("\"failed\"")
                            || body.contains("\"budget_exhausted\"") || body.contains("\"no_progress\""))) {
                        break;
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (deltas != (long) turns * 500) {
                throw new IllegalStateException(deltas + " of " + turns * 500 + " deltas reached the client");
            }
            return new double[] {count / seconds, deltas / seconds};
        } finally {
            delete(ws);
        }
    }

    /**
     * The server's notification path alone: events handed to the client hub (as a loop runner
     * does) -> per-client queue -> lsp4j -> framing -> a pipe, read by a client thread.
     */
    static double transportNotifications(int count) throws Exception {
        try (LoopEngine engine = EngineFactory.create()) {
            java.io.PipedOutputStream clientOut = new java.io.PipedOutputStream();
            java.io.PipedInputStream serverIn = new java.io.PipedInputStream(clientOut, 1 << 16);
            java.io.PipedOutputStream serverOut = new java.io.PipedOutputStream();
            java.io.PipedInputStream clientIn = new java.io.PipedInputStream(serverOut, 1 << 20);
            dev.loopwire.server.internal.ServerCore core = new dev.loopwire.server.internal.ServerCore(engine, c -> { }, false);
            dev.loopwire.server.internal.Connection.open(core, serverIn, serverOut, true, () -> { });
            Peer client = new Peer(clientOut, new BufferedInputStream(clientIn, 1 << 16));
            client.call("initialize", init(null));
            CountDownLatch received = new CountDownLatch(1);
            // at most 8,000 notifications in flight: below the per-client queue's soft limit, so
            // nothing is dropped and the figure is the delivered rate
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(8_000);
            long[] n = new long[1];
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        String body = client.read();
                        if (body.contains("loop/output")) {
                            n[0]++;
                            inFlight.release();
                        } else if (body.contains("loop/status")) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    // ends the measurement
                }
                received.countDown();
            });
            reader.start();
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                inFlight.acquire();
                core.hub().onOutput(new dev.loopwire.protocol.LoopOutputParams("20261122-021949-3e26", 1, "text", "word ", null));
            }
            core.hub().onStatus(new LoopStatusParams("20261122-021949-3e26", "succeeded", null, false, null));
            received.await(5, TimeUnit.MINUTES);
            double rate = n[0] / ((System.nanoTime() - t0) / 1e9);
            if (n[0] < count) {
                System.out.printf("  (transport: the client fell behind; %d of %d output notifications were dropped by design)%n",
                        count - n[0], count);
            }
            core.close();
            return rate;
        }
    }

    static double nodeFlood(int count) throws Exception {
        try (Peer p = new Peer(node(), Map.of())) {
            p.call("initialize", init(null));
            p.call("bench/flood", "{\"count\":2000}");
            long t0 = System.nanoTime();
            p.send("bench/flood", "{\"count\":" + count + "}", true);
            long n = 0;
            while (true) {
                String body = p.read();
                if (body.contains("\"method\"")) {
                    n++;
                } else {
                    break;
                }
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** In-process engine: start to succeeded of a loop of {@code iterations} scripted iterations. */
    static double engineIterations(int iterations) throws Exception {
        Path ws = Files.createTempDirectory("bench-engine");
        StringBuilder script = new StringBuilder("{\"turns\":[");
        for (int t = 0; t < iterations; t++) {
            script.append(t == 0 ? "" : ",").append("{\"text\":\"iteration ").append(t).append(" did a small step")
                    .append(t == iterations - 1 ? "\\n<promise>DONE</promise>" : "")
                    .append("\",\"usage\":{\"inputTokens\":100,\"outputTokens\":10}}");
        }
        Files.writeString(ws.resolve("turns.json"), script.append("]}"));
        try (LoopEngine engine = EngineFactory.create()) {
            engine.openWorkspace(ws);
            CountDownLatch done = new CountDownLatch(1);
            String[] status = new String[1];
            engine.subscribe(new LoopEvents() {
                @Override
                public void onStatus(LoopStatusParams params) {
                    if (!params.status().equals("running") && !params.status().equals("created")) {
                        status[0] = params.status();
                        done.countDown();
                    }
                }
            });
            long t0 = System.nanoTime();
            engine.start(new StartLoopParams(ws.toString(), "bench", null, null, null,
                    new ProviderSpec("scripted", null, Map.of("script", "turns.json")),
                    new Budget(iterations + 1, null, null, null), new ApprovalConfig("auto", null, null, null, null),
                    true, "bench", null, null, new dev.loopwire.protocol.StopConfig(0, 0, null), null, null, null));
            done.await(10, TimeUnit.MINUTES);
            double ms = (System.nanoTime() - t0) / 1e6;
            if (!"succeeded".equals(status[0])) {
                System.out.println("engine loop ended " + status[0]);
            }
            return ms / iterations;
        } finally {
            delete(ws);
        }
    }

    /** Heap after GC and RSS of the server: idle, then with 100 loops running (in a 256 MB heap). */
    static void memory() throws Exception {
        Path ws = Files.createTempDirectory("bench-mem");
        Files.writeString(ws.resolve("turns.json"), "{\"turns\":[{\"text\":\"waiting\",\"delayMillis\":600000}]}");
        try (Peer p = new Peer(loopwire(), Map.of("LOOPWIRE_JAVA_OPTS", "-Xmx256m"))) {
            p.call("initialize", init(ws));
            long pid = p.process.toHandle().descendants().map(ProcessHandle::pid).findFirst().orElse(p.process.pid());
            long[] idle = heapAndRss(pid);
            for (int i = 0; i < 100; i++) {
                p.call("loop/start", "{\"workspace\":\"" + ws + "\",\"goal\":\"wait " + i + "\",\"approval\":{\"mode\":\"auto\"},"
                        + "\"provider\":{\"id\":\"scripted\",\"options\":{\"script\":\"turns.json\"}}}");
            }
            JsonObject list = p.call("loop/list", "{\"workspace\":\"" + ws + "\"}");
            long running = list.getAsJsonObject("result").getAsJsonArray("loops").asList().stream()
                    .filter(l -> l.getAsJsonObject().get("status").getAsString().equals("running")).count();
            long[] busy = heapAndRss(pid);
            row("server heap after GC, idle (MB)", idle[0] / 1e6, Double.NaN, "");
            row("server RSS, idle (MB)", idle[1] / 1e6, nodeRss() / 1e6, "");
            row("server heap after GC, " + running + " loops running, -Xmx256m (MB)", busy[0] / 1e6, Double.NaN, "< 256");
            row("server RSS, " + running + " loops running (MB)", busy[1] / 1e6, Double.NaN, "");
        } finally {
            delete(ws);
        }
    }

    static long nodeRss() throws Exception {
        try (Peer p = new Peer(node(), Map.of())) {
            p.call("initialize", init(null));
            return rss(p.process.pid());
        }
    }

    static long[] heapAndRss(long pid) throws Exception {
        run("jcmd", Long.toString(pid), "GC.run");
        String info = run("jcmd", Long.toString(pid), "GC.heap_info");
        long used = 0;
        // every generation's or region set's "total NK, used NK" (Serial, Parallel and G1 print these)
        var m = java.util.regex.Pattern.compile("(generation|heap)\\s+total \\d+K, used (\\d+)K").matcher(info);
        while (m.find()) {
            used += Long.parseLong(m.group(2)) * 1024;
        }
        return new long[] {used, rss(pid)};
    }

    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    // ---- output -------------------------------------------------------------------------------

    static void row(String what, double java, double node, String target) {
        String ratio = Double.isNaN(node) || node == 0 ? "" : String.format(Locale.ROOT, "%.2f", java / node);
        ROWS.add(new String[] {what, fmt(java), Double.isNaN(node) ? "" : fmt(node), ratio, target});
        System.out.printf(Locale.ROOT, "  %s: %s%n", what, fmt(java));
    }

    static String fmt(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    static void print() {
        System.out.printf("%n| measure | Loopwire (Java) | Node vscode-jsonrpc | Java/Node | target |%n|---|---|---|---|---|%n");
        for (String[] r : ROWS) {
            System.out.printf("| %s | %s | %s | %s | %s |%n", (Object[]) r);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // temp files left behind are harmless
        }
    }
}
