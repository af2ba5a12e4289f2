package dev.loopwire.server.trust;

import dev.loopwire.server.trust.CancelCases.Caught;
import dev.loopwire.server.trust.CancelCases.Moment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark (not a test): how long {@code loop/cancel} takes in the real {@code loopwire.jar serve}
 * at each moment of {@link CancelCases}, from sending the request to the arrival of the loop's
 * {@code loop/status} {@code cancelled} notification at the client, against the baseline of
 * cancelling a created loop that runs nothing (the request and notification path alone), measured
 * side by side in the same rounds and the same server. Prints per moment the median and the max
 * in milliseconds, the median's ratio to the baseline's, the time from the request until every
 * process the loop started is gone from {@code /proc} (polled every 2 ms; the cases that start
 * processes), and whether both maxima meet the 1 s target of issue 5. A process still running
 * 15 s after the cancel is counted as a leftover. System properties: {@code rounds} (default 7), {@code warmup} (1). See
 * {@code bench/cancel/README.md}.
 */
public final class CancelLatencyBenchmark {

    private static final double TARGET_MS = 1000;

    private CancelLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 7);
        int warmup = Integer.getInteger("warmup", 1);
        if (System.getProperty("loopwire.jar") == null && Files.exists(Path.of("server/target/loopwire.jar"))) {
            System.setProperty("loopwire.jar", Path.of("server/target/loopwire.jar").toAbsolutePath().toString());
        }
        Path dir = Files.createTempDirectory("cancel-bench");
        Map<Moment, List<Double>> millis = new EnumMap<>(Moment.class);
        Map<Moment, List<Double>> gone = new EnumMap<>(Moment.class);
        int leftovers = 0;
        String loadBefore = load();
        try (CancelCases cases = new CancelCases(dir)) {
            for (int round = 0; round < warmup + rounds; round++) {
                for (Moment moment : Moment.values()) {
                    Caught caught = cases.catchIn(moment);
                    long sent = cases.cancel(caught);
                    double ms = (cases.cancelledAt(caught) - sent) / 1e6;
                    long deadline = sent + TimeUnit.SECONDS.toNanos(15);
                    while (caught.pids().stream().anyMatch(CancelCases::running) && System.nanoTime() < deadline) {
                        Thread.sleep(2);
                    }
                    double goneMs = (System.nanoTime() - sent) / 1e6;
                    leftovers += (int) caught.pids().stream().filter(CancelCases::running).count();
                    if (round >= warmup) {
                        millis.computeIfAbsent(moment, m -> new ArrayList<>()).add(ms);
                        if (!caught.pids().isEmpty()) {
                            gone.computeIfAbsent(moment, m -> new ArrayList<>()).add(goneMs);
                        }
                    }
                }
                System.err.printf(Locale.ROOT, "round %d of %d done%n", round + 1, warmup + rounds);
            }
        }
        double base = median(millis.get(Moment.IDLE));
        System.out.printf(Locale.ROOT, "%nloop/cancel -> cancelled notification, real server, %d rounds (+%d warm-up); "
                + "load average before: %s, after: %s; leftover processes: %d%n%n", rounds, warmup, loadBefore, load(),
                leftovers);
        System.out.println("| moment | cancelled: median ms | max ms | median / baseline | processes gone: median ms "
                + "| max ms | both max within 1 s |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        for (Moment moment : Moment.values()) {
            List<Double> ms = millis.get(moment);
            double median = median(ms);
            double max = max(ms);
            List<Double> g = gone.get(moment);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %s | %s | %s | %s |%n", moment.label, median, max,
                    moment == Moment.IDLE ? "1 (baseline)" : String.format(Locale.ROOT, "%.1f", median / base),
                    g == null ? "-" : String.format(Locale.ROOT, "%.1f", median(g)),
                    g == null ? "-" : String.format(Locale.ROOT, "%.1f", max(g)),
                    max <= TARGET_MS && (g == null || max(g) <= TARGET_MS) ? "yes" : "no");
        }
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String load() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
