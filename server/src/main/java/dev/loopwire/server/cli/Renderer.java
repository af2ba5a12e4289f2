package dev.loopwire.server.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopProgressParams;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.LoopwireProtocol;
import dev.loopwire.protocol.MemoryChangedParams;
import dev.loopwire.protocol.ToolCall;
import dev.loopwire.protocol.Usage;
import dev.loopwire.protocol.services.LoopwireClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Shows one loop's notifications in the terminal: streamed text, tool calls and results, status
 * changes, and on a TTY a status line (iteration k/N, tokens, cost, elapsed time, phase) that is
 * redrawn below the text. With {@code --json} it prints each notification as one JSON line
 * {@code {"method": ..., "params": ...}} instead. Notifications of other loops are ignored; those
 * that arrive before the loop id is known are kept and shown once it is.
 */
final class Renderer implements LoopwireClient {

    static final Gson GSON = wireGson();

    private final PrintStream out;
    private final boolean json;
    private final boolean tty;
    private final LinkedBlockingQueue<String> signals = new LinkedBlockingQueue<>();
    private final List<Object[]> early = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private String loopId;
    private Integer maxIterations;
    private boolean statusShown;
    private boolean atLineStart = true;
    private int iteration;
    private String phase = "starting";
    private Usage usage;
    private String lastStatus;

    Renderer(PrintStream out, boolean json, boolean tty) {
        this.out = out;
        this.json = json;
        this.tty = tty && !json;
    }

    static Gson wireGson() {
        GsonBuilder builder = new GsonBuilder().disableHtmlEscaping();
        LoopwireProtocol.configureGson(builder);
        return builder.create();
    }

    /** Starts showing {@code id}'s notifications (and those already received for it). */
    synchronized void follow(String id, Integer maxIterations) {
        this.loopId = id;
        this.maxIterations = maxIterations;
        List<Object[]> replay = new ArrayList<>(early);
        early.clear();
        for (Object[] event : replay) {
            handle((String) event[0], (String) event[1], event[2]);
        }
    }

    /** Waits up to {@code millis} for a status change or approval request of the followed loop. */
    String awaitSignal(long millis) throws InterruptedException {
        return signals.poll(millis, TimeUnit.MILLISECONDS);
    }

    private synchronized void handle(String method, String id, Object params) {
        if (loopId == null) {
            early.add(new Object[] {method, id, params});
            return;
        }
        if (!loopId.equals(id)) {
            return;
        }
        if (json) {
            JsonObject line = new JsonObject();
            line.addProperty("method", method);
            line.add("params", GSON.toJsonTree(params));
            out.println(GSON.toJson(line));
            out.flush();
        } else {
            render(method, params);
        }
        if (method.equals("loop/status")) {
            lastStatus = ((LoopStatusParams) params).status();
            notifyAll();
        }
        if (method.equals("loop/status") || method.equals("loop/approvalRequested")) {
            signals.offer(method);
        }
    }

    private void render(String method, Object params) {
        switch (method) {
            case "loop/output" -> showOutput((LoopOutputParams) params);
            case "loop/progress" -> {
                LoopProgressParams p = (LoopProgressParams) params;
                iteration = p.iteration();
                phase = p.phase();
                usage = p.usage();
                drawStatus();
            }
            case "loop/status" -> {
                LoopStatusParams p = (LoopStatusParams) params;
                phase = p.status();
                StringBuilder line = new StringBuilder("[" + p.status() + "]");
                if (p.reason() != null) {
                    line.append(' ').append(p.reason());
                }
                if (p.recommendedAction() != null && !p.status().equals("running") && !p.status().equals("created")) {
                    line.append("\n  next: ").append(p.recommendedAction());
                }
                println(line.toString());
            }
            case "loop/iteration" -> {
                LoopIterationParams p = (LoopIterationParams) params;
                Usage u = p.record().usage();
                println(String.format(Locale.ROOT, "-- iteration %d %s (%s tokens, %.1fs)%s", p.record().index(),
                        p.record().outcome(), u == null ? "?" : tokens(u), p.record().durationSeconds(),
                        p.record().summary() == null ? "" : ": " + oneLine(p.record().summary(), 100)));
            }
            case "loop/approvalRequested" -> {
                ApprovalRequestedParams p = (ApprovalRequestedParams) params;
                println("approval needed (" + p.approval().approvalId() + "): " + p.approval().title());
            }
            case "loop/approvalResolved" -> {
                ApprovalResolvedParams p = (ApprovalResolvedParams) params;
                println("approval " + p.approvalId() + ": " + p.decision());
            }
            default -> {
                // memoryChanged: nothing to show
            }
        }
    }

    private void showOutput(LoopOutputParams p) {
        iteration = Math.max(iteration, p.iteration());
        switch (p.kind()) {
            case "text" -> write(p.text());
            case "thought" -> write(tty ? "\u001b[2m" + p.text() + "\u001b[0m" : p.text());
            case "tool_call" -> println("> " + describe(p.toolCall()));
            case "tool_result" -> {
                ToolCall call = p.toolCall();
                String result = call != null && call.output() != null ? call.output() : p.text();
                println("< " + (call == null ? "" : call.name() + " " + call.status() + ": ")
                        + oneLine(result == null ? "" : result, 200));
            }
            default -> println("[log] " + (p.text() == null ? "" : p.text()));
        }
    }

    private static String describe(ToolCall call) {
        if (call == null) {
            return "tool call";
        }
        return call.name() + " " + oneLine(call.input() == null ? "{}" : GSON.toJson(call.input()), 160);
    }

    private static String oneLine(String s, int max) {
        String flat = s.replace('\n', ' ').replace('\r', ' ').strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 3) + "...";
    }

    private static String tokens(Usage u) {
        return (u.inputTokens() + u.outputTokens()) + "";
    }

    private void clearStatus() {
        if (statusShown) {
            out.print("\r\u001b[K");
            statusShown = false;
        }
    }

    private void write(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        clearStatus();
        out.print(text);
        atLineStart = text.endsWith("\n");
        out.flush();
        drawStatus();
    }

    private void println(String line) {
        clearStatus();
        if (!atLineStart) {
            out.println();
        }
        out.println(line);
        atLineStart = true;
        out.flush();
        drawStatus();
    }

    private void drawStatus() {
        if (!tty || !atLineStart) {
            return;
        }
        clearStatus();
        double elapsed = usage != null ? usage.elapsedSeconds() : (System.nanoTime() - startNanos) / 1e9;
        String line = String.format(Locale.ROOT, "iteration %d/%s | tokens %s | cost %s | %s | %s",
                iteration, maxIterations == null ? "-" : maxIterations.toString(),
                usage == null ? "0" : tokens(usage),
                usage == null || usage.costUsd() == null ? "-" : String.format(Locale.ROOT, "$%.4f", usage.costUsd()),
                clock(elapsed), phase);
        out.print("\u001b[7m" + line + "\u001b[0m");
        out.flush();
        statusShown = true;
    }

    private static String clock(double seconds) {
        long s = (long) seconds;
        return String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    /**
     * Waits until the notification of {@code status} was shown (the request that reported it may
     * overtake the notification), at most {@code millis}.
     */
    synchronized void awaitShown(String status, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!status.equals(lastStatus)) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }

    /** Clears the status line before the command prints its own lines. */
    synchronized void pauseStatus() {
        clearStatus();
        if (!atLineStart) {
            out.println();
            atLineStart = true;
        }
        out.flush();
    }

    private void on(String method, String id, Object params) {
        handle(method, id, params);
    }

    @Override
    public void status(LoopStatusParams p) {
        on("loop/status", p.loopId(), p);
    }

    @Override
    public void progress(LoopProgressParams p) {
        on("loop/progress", p.loopId(), p);
    }

    @Override
    public void output(LoopOutputParams p) {
        on("loop/output", p.loopId(), p);
    }

    @Override
    public void iteration(LoopIterationParams p) {
        on("loop/iteration", p.loopId(), p);
    }

    @Override
    public void approvalRequested(ApprovalRequestedParams p) {
        on("loop/approvalRequested", p.loopId(), p);
    }

    @Override
    public void approvalResolved(ApprovalResolvedParams p) {
        on("loop/approvalResolved", p.loopId(), p);
    }

    @Override
    public void memoryChanged(MemoryChangedParams p) {
        on("loop/memoryChanged", p.loopId(), p);
    }
}
