package dev.loopwire.server.trust;

import com.google.gson.JsonElement;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.WaitsConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.BufferedSink;

/**
 * Loops of the real {@code loopwire.jar serve} caught in the moments a cancel may come: waiting
 * for an approval, in the middle of a provider stream (the {@code openai} provider reading a
 * MockWebServer stream that never ends), running a tool (a command with children), running a
 * CLI agent's turn (the {@code command} provider with children), waiting for a PID, and, as the
 * baseline, a created loop that runs nothing. Shared by {@link CancelIT}, which proves that each
 * ends {@code cancelled} with nothing left running, and {@link CancelLatencyBenchmark}, which
 * measures how long each takes.
 */
final class CancelCases implements AutoCloseable {

    /** Where the loop is when the cancel comes. */
    enum Moment {
        IDLE("created loop (baseline)"),
        APPROVAL_WAIT("waiting for an approval"),
        PROVIDER_STREAM("during a provider stream"),
        TOOL("during a tool (command with children)"),
        TOOL_IGNORING_TERM("during a tool whose child ignores TERM"),
        AGENT_TURN("during a CLI agent's turn (a child ignores TERM)"),
        PID_WAIT("during a PID wait");

        final String label;

        Moment(String label) {
            this.label = label;
        }
    }

    /**
     * A loop caught in a moment. {@code pids}: the processes the loop started (from the PID files
     * its commands wrote and from {@code state.json}'s {@code processes}), which must be gone after
     * the cancel; {@code streamClosed}: counted down when the provider's HTTP stream was closed
     * by the server (null when there is none); {@code waitedFor}: a process the loop waits for
     * but did not start (never killed).
     */
    record Caught(Moment moment, String loopId, List<Long> pids, CountDownLatch streamClosed, Process waitedFor) {
    }

    final LiveServer server;
    final Path ws;
    private final MockWebServer openai = new MockWebServer();
    private final Map<String, CountDownLatch> streams = new ConcurrentHashMap<>();
    private final Map<String, Long> cancelledAt = new ConcurrentHashMap<>();
    private final List<Process> started = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();

    CancelCases(Path dir) throws Exception {
        this.ws = Files.createDirectories(dir.resolve("ws"));
        openai.setDispatcher(new EndlessStream());
        openai.start(InetAddress.getByName("127.0.0.1"), 0);
        Path home = Files.createDirectories(dir.resolve("home"));
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        env.put("OPENAI_API_KEY", "sk-cancel-cases-0123456789abcdef");
        this.server = LiveServer.start(dir.resolve("logs"), env, false);
        server.onNotification(n -> {
            if (n instanceof LoopStatusParams s && s.status().equals("cancelled")) {
                cancelledAt.putIfAbsent(s.loopId(), System.nanoTime());
            }
        });
        server.initialize(ws);
    }

    /** Starts a loop and returns once it is in {@code moment}. */
    Caught catchIn(Moment moment) throws Exception {
        String tag = moment.name().toLowerCase().replace('_', '-') + "-" + counter.incrementAndGet();
        return switch (moment) {
            case IDLE -> {
                String id = start(scripted(tag, "{\"turns\": [{\"text\": \"never runs\"}]}", "auto", null), false);
                server.awaitStatus(id, "created");
                yield new Caught(moment, id, List.of(), null, null);
            }
            case APPROVAL_WAIT -> {
                String id = start(scripted(tag, """
                        {"turns": [{"text": "asking", "toolCalls": [{"name": "run_command",
                          "input": {"command": "echo %s > asked.txt"}}]}]}
                        """.formatted(tag), "ask", null), true);
                server.awaitStatus(id, "awaiting_approval");
                yield new Caught(moment, id, List.of(), null, null);
            }
            case PROVIDER_STREAM -> {
                CountDownLatch closed = new CountDownLatch(1);
                streams.put(tag, closed);
                String id = start(new StartLoopParams(ws.toString(), "say hello", null, null, null,
                        new ProviderSpec("openai", "gpt-4.1-mini", Map.of("baseUrl", openai.url("/" + tag + "/v1")
                                .toString(), "retryBaseMillis", 1)), null, new ApprovalConfig("auto", null, null, null, null),
                        true, tag, null, null, null, null, null, null), true);
                server.awaitNotification(LoopOutputParams.class, o -> o.loopId().equals(id) && o.kind().equals("text")
                        && o.text() != null && !o.text().isEmpty(), 90);
                yield new Caught(moment, id, List.of(), closed, null);
            }
            case TOOL -> {
                String id = start(scripted(tag, """
                        {"turns": [{"text": "working", "toolCalls": [{"name": "run_command", "input": {"command":
                          "sleep 300 & echo $! > %1$s-child.pid; sleep 300 & echo $! > %1$s-child2.pid; echo $$ > %1$s.pid; wait",
                          "timeoutSeconds": 600}}]}]}
                        """.formatted(tag), "auto", null), true);
                yield new Caught(moment, id, processes(id, tag, List.of(tag + ".pid", tag + "-child.pid",
                        tag + "-child2.pid")), null, null);
            }
            case TOOL_IGNORING_TERM -> {
                String id = start(scripted(tag, """
                        {"turns": [{"text": "working", "toolCalls": [{"name": "run_command", "input": {"command":
                          "sh -c 'trap \\"\\" TERM; sleep 300' & echo $! > %1$s-stubborn.pid; echo $$ > %1$s.pid; wait",
                          "timeoutSeconds": 600}}]}]}
                        """.formatted(tag), "auto", null), true);
                yield new Caught(moment, id, processes(id, tag, List.of(tag + ".pid", tag + "-stubborn.pid")), null,
                        null);
            }
            case AGENT_TURN -> {
                String script = "cat > /dev/null; sleep 300 & echo $! > " + tag + "-child.pid; "
                        + "sh -c 'trap \"\" TERM; sleep 300' & echo $! > " + tag + "-stubborn.pid; "
                        + "echo $$ > " + tag + ".pid; echo working; wait";
                String id = start(new StartLoopParams(ws.toString(), "work", null, null, null,
                        new ProviderSpec("command", null, Map.of("argv", List.of("sh", "-c", script))), null,
                        new ApprovalConfig("auto", null, null, null, null), true, tag, null, null, null, null, null,
                        null), true);
                yield new Caught(moment, id, processes(id, tag, List.of(tag + ".pid", tag + "-child.pid",
                        tag + "-stubborn.pid")), null, null);
            }
            case PID_WAIT -> {
                Process job = new ProcessBuilder("sleep", "300").start();
                synchronized (started) {
                    started.add(job);
                }
                String id = start(scripted(tag, """
                        {"turns": [{"text": "started the job <pid_number>%d</pid_number>"},
                                   {"text": "done\\n<promise>DONE</promise>"}]}
                        """.formatted(job.pid()), "auto", new WaitsConfig(null, null, 1.0)), true);
                server.awaitNotification(LoopStatusParams.class, s -> s.loopId().equals(id) && s.status().equals("waiting"),
                        90);
                yield new Caught(moment, id, List.of(), null, job);
            }
        };
    }

    /**
     * Sends {@code loop/cancel}, waits for the {@code cancelled} notification, and returns the
     * {@link System#nanoTime} at which the request was sent.
     */
    long cancel(Caught caught) throws Exception {
        long sent = System.nanoTime();
        LiveServer.await(server.loops().cancel(new LoopIdParams(caught.loopId())));
        server.awaitStatus(caught.loopId(), "cancelled");
        return sent;
    }

    /** When the loop's {@code cancelled} notification arrived ({@link System#nanoTime}). */
    long cancelledAt(Caught caught) {
        return cancelledAt.get(caught.loopId());
    }

    private String start(StartLoopParams params, boolean running) throws Exception {
        String id = LiveServer.await(server.loops().start(params)).loopId();
        if (running) {
            server.awaitStatus(id, "running");
        }
        return id;
    }

    private StartLoopParams scripted(String tag, String turns, String mode, WaitsConfig waits) throws IOException {
        Files.writeString(ws.resolve(tag + ".json"), turns);
        return new StartLoopParams(ws.toString(), "cancel me", null, null, null,
                new ProviderSpec("scripted", null, Map.of("script", tag + ".json")), null,
                new ApprovalConfig(mode, null, null, null, null), !tag.startsWith("idle"), tag,
                null, null, null, waits, null, null);
    }

    /** The PIDs the loop's command wrote, once each file is there and the first is in {@code state.json}. */
    private List<Long> processes(String loopId, String tag, List<String> pidFiles) throws Exception {
        Set<Long> pids = new LinkedHashSet<>();
        for (String f : pidFiles) {
            pids.add(awaitPid(ws.resolve(f)));
        }
        long first = pids.iterator().next();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<Long> recorded = recorded(loopId);
        while (!recorded.contains(first) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            recorded = recorded(loopId);
        }
        if (!recorded.contains(first)) {
            throw new AssertionError(tag + ": process " + first + " is not recorded in state.json: " + recorded);
        }
        pids.addAll(recorded);
        return List.copyOf(pids);
    }

    /** The PIDs in the loop's {@code state.json} {@code processes}. */
    List<Long> recorded(String loopId) throws IOException {
        Path state = CrashChecks.loopDir(ws, loopId).resolve("state.json");
        List<Long> out = new ArrayList<>();
        try {
            var processes = CrashChecks.parseObject(state).getAsJsonArray("processes");
            if (processes != null) {
                for (JsonElement p : processes) {
                    out.add(p.getAsJsonObject().get("pid").getAsLong());
                }
            }
        } catch (NoSuchFileException e) {
            // not written yet
        }
        return out;
    }

    private static long awaitPid(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String s = Files.readString(file).strip();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + file + " within 60 s");
    }

    /**
     * Whether {@code pid} is a running process: {@code /proc/<pid>/stat} exists and its state is
     * not zombie or dead (an orphan may wait as a zombie for a reaper that is slow or absent).
     */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** The PIDs of {@code pids} still running after up to {@code seconds}. */
    static List<Long> stillRunning(List<Long> pids, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<Long> alive = pids.stream().filter(CancelCases::running).toList();
            if (alive.isEmpty() || System.nanoTime() > deadline) {
                return alive;
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            server.close();
        } finally {
            synchronized (started) {
                started.forEach(Process::destroyForcibly);
            }
            openai.close();
        }
    }

    /**
     * OpenAI as the provider stream case sees it: two text deltas, then SSE comments every 50 ms
     * for as long as the client reads, up to 120 s; the request's latch (by the first path segment)
     * is counted down when a write fails because the client closed the connection.
     */
    private final class EndlessStream extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String tag = request.getUrl().pathSegments().get(0);
            CountDownLatch closed = streams.get(tag);
            return new MockResponse.Builder().code(200).setHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .body(new MockResponseBody() {
                        @Override
                        public long getContentLength() {
                            return -1;
                        }

                        @Override
                        public void writeTo(BufferedSink sink) throws IOException {
                            try {
                                for (String delta : List.of("Hello", " there")) {
                                    sink.writeUtf8("data: {\"id\":\"chatcmpl-cancel\",\"object\":\"chat.completion.chunk\","
                                            + "\"created\":1732250000,\"model\":\"gpt-4.1-mini\",\"choices\":[{\"index\":0,"
                                            + "\"delta\":{\"content\":\"" + delta + "\"},\"finish_reason\":null}]}\n\n");
                                    sink.flush();
                                }
                                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                                while (System.nanoTime() < end) {
                                    Thread.sleep(50);
                                    sink.writeUtf8(": still thinking\n\n");
                                    sink.flush();
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new InterruptedIOException();
                            } catch (IOException e) {
                                if (closed != null) {
                                    closed.countDown();
                                }
                                throw e;
                            }
                        }
                    }).build();
        }
    }
}
