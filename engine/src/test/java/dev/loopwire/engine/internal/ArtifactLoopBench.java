package dev.loopwire.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.engine.LoopEvents;
import dev.loopwire.engine.context.ArtifactScanBench;
import dev.loopwire.engine.context.BenchTree;
import dev.loopwire.engine.context.Snapshot;
import dev.loopwire.engine.internal.stop.ArtifactProgress;
import dev.loopwire.engine.tools.BuiltinTools;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.protocol.StopConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The engine's own per-iteration artifact scan on a large workspace (not a test; see
 * {@code bench/artifact-scan/README.md}): a real loop (scripted provider, engine in process,
 * the agent appending to 10 files per iteration with {@code run_command}) over a git repository
 * of {@code files} files, once with the loop's file watch and once stat-based
 * ({@code -Dloopwire.artifactWatch=false}), and {@code git status --porcelain} after the same
 * 10-file change, side by side, in {@code rounds} rounds. Per-iteration figures come from the
 * journal's {@code artifactScan} entries (what the engine measured around its own scan).
 * Arguments: {@code files iterations rounds keep} (defaults 100000 15 2 false).
 */
public final class ArtifactLoopBench {

    private ArtifactLoopBench() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean keep = args.length > 3 && Boolean.parseBoolean(args[3]);
        Path temp = Files.createTempDirectory("artifact-loop-bench");
        try {
            run(temp, files, iterations, rounds);
        } finally {
            if (keep) {
                System.out.println("tree kept at " + temp);
            } else {
                ArtifactScanBench.deleteTree(temp);
            }
        }
        System.exit(0); // the engine's pools are gone; exec:java waits for nothing else
    }

    private static void run(Path temp, int files, int iterations, int rounds) throws Exception {
        System.out.printf(Locale.ROOT, "artifact-loop bench: %d visible files, %d iterations per loop, %d rounds, %s,"
                + " %d cores, java %s, load average %s%n", files, iterations, rounds, Instant.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), loadAverage());
        EngineFixture fx = new EngineFixture(temp);
        Path ws = fx.workspace;
        long t0 = System.nanoTime();
        List<Path> visible = BenchTree.build(ws, files);
        ArtifactScanBench.git(ws, "init", "-q");
        ArtifactScanBench.git(ws, "config", "gc.auto", "0");
        ArtifactScanBench.git(ws, "config", "maintenance.auto", "false");
        ArtifactScanBench.git(ws, "add", "-A");
        ArtifactScanBench.git(ws, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                "commit", "-q", "-m", "tree");
        // the loops' own directory is not the project's: git leaves it out as the scanner does
        Files.writeString(ws.resolve(".git/info/exclude"), ".loopwire/\n", StandardOpenOption.APPEND);
        System.out.printf(Locale.ROOT, "built and committed the tree in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Thread.sleep(3_500); // no file is "racy" any more, as in a workspace at rest
        ArtifactScanBench.git(ws, "status", "--porcelain");

        Results watched = new Results();
        Results statted = new Results();
        List<Double> git = new ArrayList<>();
        int[] next = {0};
        for (int r = 0; r < rounds; r++) {
            loop(fx, visible, next, iterations, true, watched);
            loop(fx, visible, next, iterations, false, statted);
            for (int i = 0; i <= iterations; i++) {
                touch(visible, next, "git " + i);
                long s = System.nanoTime();
                String out = ArtifactScanBench.git(ws, "status", "--porcelain");
                long g = System.nanoTime() - s;
                check(out.lines().count() >= 10, "git status saw " + out.lines().count() + " changes");
                if (i > 0) {
                    git.add(g / 1e6);
                }
            }
            System.out.printf(Locale.ROOT, "round %d done, load average %s%n", r + 1, loadAverage());
        }
        Path snapshotFile;
        try (var loops = Files.list(ws.resolve(".loopwire/loops"))) {
            snapshotFile = loops.findFirst().orElseThrow().resolve(ArtifactProgress.SNAPSHOT_FILE);
        }
        List<Double> reads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long s = System.nanoTime();
            check(Snapshot.read(snapshotFile).fileCount() >= files, "snapshot read back");
            reads.add((System.nanoTime() - s) / 1e6);
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "per iteration, %d iterations x %d rounds each      %10s %10s %10s%n",
                iterations, rounds, "median ms", "min ms", "max ms");
        row("engine loop, watched: scan + snapshot write", watched.total);
        row("engine loop, watched: scan alone", watched.scan);
        row("engine loop, stat-based: scan + snapshot write", statted.total);
        row("engine loop, stat-based: scan alone", statted.scan);
        row("git status --porcelain after the same change", git);
        row("snapshot file read (the old path read it twice)", reads);
        System.out.printf(Locale.ROOT, "ratio watched/git status (scan + write): %.3f%n", median(watched.total) / median(git));
        System.out.printf(Locale.ROOT, "ratio watched/git status (scan alone):   %.3f%n", median(watched.scan) / median(git));
        System.out.printf(Locale.ROOT, "ratio stat-based/git status (scan + write): %.2f%n", median(statted.total) / median(git));
        System.out.printf(Locale.ROOT, "ratio watched/stat-based (scan + write): %.3f%n", median(watched.total) / median(statted.total));
        System.out.printf(Locale.ROOT, "lstats per iteration, median: watched %d, stat-based %d; directories trusted,"
                + " median: watched %d of %d%n", (long) median(watched.statted), (long) median(statted.statted),
                (long) median(watched.trusted), (long) median(statted.directories));
        System.out.println("last watched iteration's journal entry: \"artifactScan\":" + watched.last);
        System.out.println("last stat-based iteration's journal entry: \"artifactScan\":" + statted.last);
        System.out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
    }

    /** What one mode's loops recorded, per iteration. */
    private static final class Results {
        final List<Double> total = new ArrayList<>();
        final List<Double> scan = new ArrayList<>();
        final List<Double> statted = new ArrayList<>();
        final List<Double> trusted = new ArrayList<>();
        final List<Double> directories = new ArrayList<>();
        JsonNode last;
    }

    /** One loop from start to succeeded; its iterations' scan figures are added to {@code into}. */
    private static void loop(EngineFixture fx, List<Path> visible, int[] next, int iterations, boolean watch,
            Results into) throws Exception {
        if (watch) {
            System.clearProperty(ArtifactProgress.WATCH_PROPERTY);
        } else {
            System.setProperty(ArtifactProgress.WATCH_PROPERTY, "false");
        }
        List<ScriptedTestProvider.Turn> turns = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            StringBuilder cmd = new StringBuilder();
            for (int k = 0; k < 10; k++) {
                Path f = visible.get((next[0]++ * 7919) % visible.size());
                cmd.append("echo 'iteration ").append(i).append("' >> '").append(fx.workspace.relativize(f)).append("'\n");
            }
            turns.add(ScriptedTestProvider.tools("step " + i, ScriptedTestProvider.call("c" + i, "run_command",
                    Map.of("command", cmd.toString()))));
        }
        turns.add(ScriptedTestProvider.text("<promise>DONE</promise>"));
        ScriptedTestProvider provider = new ScriptedTestProvider(turns);
        String id;
        try (DefaultLoopEngine engine = new DefaultLoopEngine(fx.options(new TestProviderRegistry()
                .with("scripted", provider)), BuiltinTools.all(), StoreObserver.NONE)) {
            CountDownLatch done = new CountDownLatch(1);
            String[] status = new String[1];
            engine.subscribe(new LoopEvents() {
                @Override
                public void onStatus(LoopStatusParams params) {
                    if (StopPoliciesLoopTest.TERMINAL.contains(params.status())) {
                        status[0] = params.status();
                        done.countDown();
                    }
                }
            });
            StartLoopParams p = fx.params("bench", EngineFixture.iterations(iterations + 1),
                    EngineFixture.approval("auto", null), true);
            id = engine.start(new StartLoopParams(p.workspace(), p.goal(), p.goalFile(), p.template(), p.args(),
                    p.provider(), p.budget(), p.approval(), p.autoRun(), p.name(), p.check(), p.judge(),
                    new StopConfig(0, 0, null), p.waits(), p.schedule(), p.doneToken())).loopId();
            check(done.await(30, TimeUnit.MINUTES), "the loop did not finish");
            check("succeeded".equals(status[0]), "the loop ended " + status[0]);
        } finally {
            System.clearProperty(ArtifactProgress.WATCH_PROPERTY);
        }
        for (int i = 1; i <= iterations; i++) {
            String prompt = provider.requests.get(i).prompt();
            check(prompt.contains("since the last iteration (10: 10 modified):"), "iteration " + (i + 1)
                    + " was not told of exactly 10 modified files");
        }
        int n = 0;
        for (String line : Files.readAllLines(fx.workspace.resolve(".loopwire/loops/" + id + "/journal.jsonl"),
                StandardCharsets.UTF_8)) {
            JsonNode e = Json.MAPPER.readTree(line);
            if (!"verification".equals(e.path("type").asText()) || ++n > iterations) {
                continue; // the last verification is the DONE turn's, with no change
            }
            JsonNode s = e.path("artifactScan");
            check(s.path("watched").asBoolean() == watch, "watched " + s);
            into.last = s;
            into.total.add(s.path("millis").asDouble());
            into.scan.add(s.path("scanMillis").asDouble());
            into.statted.add(s.path("entriesStatted").asDouble());
            into.trusted.add(s.path("directoriesTrusted").asDouble());
            into.directories.add((double) (s.path("directoriesTrusted").asInt() + s.path("directoriesReused").asInt()
                    + s.path("directoriesListed").asInt()));
        }
        check(n == iterations + 1, "verifications: " + n);
    }

    private static void touch(List<Path> visible, int[] next, String what) throws Exception {
        for (int k = 0; k < 10; k++) {
            Path f = visible.get((next[0]++ * 7919) % visible.size());
            Files.writeString(f, what + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void row(String name, List<Double> values) {
        System.out.printf(Locale.ROOT, "%-52s %10.1f %10.1f %10.1f%n", name, median(values),
                values.stream().min(Double::compare).orElse(0.0), values.stream().max(Double::compare).orElse(0.0));
    }

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
