package dev.loopwire.engine.context;

import dev.loopwire.engine.Cancellation;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Benchmark of {@link ArtifactScanner} against {@code git status --porcelain} on one tree
 * (not a test; see {@code bench/artifact-scan/README.md}). Arguments: {@code files runs keep}
 * (defaults 100000, 7, false).
 */
public final class ArtifactScanBench {

    private ArtifactScanBench() {
    }

    public static void main(String[] args) throws Exception {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        boolean keep = args.length > 2 && Boolean.parseBoolean(args[2]);
        Path root = Files.createTempDirectory("artifact-scan-bench");
        try {
            run(root, files, runs);
        } finally {
            if (keep) {
                System.out.println("tree kept at " + root);
            } else {
                deleteTree(root);
            }
        }
    }

    private static void run(Path root, int files, int runs) throws Exception {
        System.out.printf(Locale.ROOT, "artifact-scan bench: %d visible files, %d runs each, %s, %d cores, java %s, %s%n",
                files, runs, LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), InetAddress.getLocalHost().getHostName());
        long t0 = System.nanoTime();
        List<Path> visible = BenchTree.build(root, files);
        System.out.printf(Locale.ROOT, "built tree in %.1f s (%d visible files, plus ignored dirs)%n",
                (System.nanoTime() - t0) / 1e9, visible.size());
        t0 = System.nanoTime();
        git(root, "init", "-q");
        git(root, "config", "gc.auto", "0"); // no background gc deleting objects while we measure
        git(root, "config", "maintenance.auto", "false");
        git(root, "add", "-A");
        git(root, "-c", "user.name=bench", "-c", "user.email=bench@example.invalid",
                "commit", "-q", "-m", "tree");
        System.out.printf(Locale.ROOT, "git init/add/commit in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Thread.sleep(3_500); // let every file leave the racy window, as in a workspace at rest
        git(root, "status", "--porcelain"); // refresh the index once, as git users' trees are

        List<Double> full = new ArrayList<>();
        Snapshot snapshot = null;
        for (int i = 0; i <= runs; i++) {
            ScanResult r = ArtifactScanner.scan(root, Snapshot.none());
            check(r.snapshot().fileCount() == visible.size() + 2, "full scan saw " + r.snapshot().fileCount());
            if (i > 0) {
                full.add(ms(r.stats().elapsed().toNanos()));
            }
            snapshot = r.snapshot();
        }
        List<Double> same = new ArrayList<>();
        ScanStats sameStats = null;
        for (int i = 0; i <= runs; i++) {
            ScanResult r = ArtifactScanner.scan(root, snapshot);
            check(r.changes().isEmpty(), "no-change scan reported " + r.changes());
            if (i > 0) {
                same.add(ms(r.stats().elapsed().toNanos()));
            }
            snapshot = r.snapshot();
            sameStats = r.stats();
        }
        List<Double> gitSame = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            long s = System.nanoTime();
            String out = git(root, "status", "--porcelain");
            check(out.isEmpty(), "git status not clean: " + out);
            if (i > 0) {
                gitSame.add(ms(System.nanoTime() - s));
            }
        }
        List<Double> touched = new ArrayList<>();
        List<Double> gitTouched = new ArrayList<>();
        ScanStats touchedStats = null;
        int next = 0;
        for (int i = 0; i <= runs; i++) {
            for (int k = 0; k < 10; k++) {
                Path f = visible.get((next++ * 7919) % visible.size());
                Files.writeString(f, "touched " + i + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.APPEND);
            }
            ScanResult r = ArtifactScanner.scan(root, snapshot);
            check(r.changes().size() == 10, "expected 10 changes, got " + r.changes().size());
            long s = System.nanoTime();
            String out = git(root, "status", "--porcelain");
            long g = System.nanoTime() - s;
            check(out.lines().count() >= 10, "git status saw " + out.lines().count());
            if (i > 0) {
                touched.add(ms(r.stats().elapsed().toNanos()));
                gitTouched.add(ms(g));
            }
            snapshot = r.snapshot();
            touchedStats = r.stats();
        }
        List<Double> watchedSame = new ArrayList<>();
        List<Double> watchedTouched = new ArrayList<>();
        double watchStart = -1;
        ScanStats watchedSameStats = null;
        ScanStats watchedTouchedStats = null;
        try (ArtifactWatch watch = ArtifactWatch.start(root).orElse(null)) {
            if (watch != null) {
                ScanResult r = ArtifactScanner.scan(root, snapshot, Cancellation.NONE, watch);
                watchStart = ms(r.stats().elapsed().toNanos());
                snapshot = r.snapshot();
                for (int i = 0; i <= runs; i++) {
                    r = ArtifactScanner.scan(root, snapshot, Cancellation.NONE, watch);
                    check(r.changes().isEmpty(), "watched no-change scan reported " + r.changes());
                    if (i > 0) {
                        watchedSame.add(ms(r.stats().elapsed().toNanos()));
                    }
                    snapshot = r.snapshot();
                    watchedSameStats = r.stats();
                }
                for (int i = 0; i <= runs; i++) {
                    for (int k = 0; k < 10; k++) {
                        Path f = visible.get((next++ * 7919) % visible.size());
                        Files.writeString(f, "watched " + i + "\n", StandardCharsets.UTF_8,
                                java.nio.file.StandardOpenOption.APPEND);
                    }
                    r = ArtifactScanner.scan(root, snapshot, Cancellation.NONE, watch);
                    check(r.changes().size() == 10, "watched: expected 10 changes, got " + r.changes().size());
                    if (i > 0) {
                        watchedTouched.add(ms(r.stats().elapsed().toNanos()));
                    }
                    snapshot = r.snapshot();
                    watchedTouchedStats = r.stats();
                }
                check(watch.disabledReason().isEmpty(), "watch disabled: " + watch.disabledReason());
            }
        }
        Path file = root.resolve(".loopwire/loops/bench/artifacts.snapshot");
        List<Double> writes = new ArrayList<>();
        List<Double> reads = new ArrayList<>();
        for (int i = 0; i <= runs; i++) {
            long s = System.nanoTime();
            snapshot.write(file);
            long w = System.nanoTime() - s;
            s = System.nanoTime();
            Snapshot back = Snapshot.read(file);
            long rd = System.nanoTime() - s;
            check(back.fileCount() == snapshot.fileCount(), "round trip lost files");
            if (i > 0) {
                writes.add(ms(w));
                reads.add(ms(rd));
            }
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%-48s %10s %10s%n", "measurement", "median ms", "min ms");
        row("full scan (no previous snapshot)", full);
        row("incremental scan, no change", same);
        row("incremental scan, 10 files modified", touched);
        if (watchStart >= 0) {
            System.out.printf(Locale.ROOT, "%-48s %10.1f %10s%n", "first scan with a new ArtifactWatch (registers)", watchStart, "-");
            row("watched incremental scan, no change", watchedSame);
            row("watched incremental scan, 10 files modified", watchedTouched);
        }
        row("git status --porcelain, no change", gitSame);
        row("git status --porcelain, 10 files modified", gitTouched);
        row("snapshot write", writes);
        row("snapshot read", reads);
        System.out.printf(Locale.ROOT, "snapshot file: %d bytes for %d files%n", Files.size(file), snapshot.fileCount());
        System.out.printf(Locale.ROOT, "ratio incremental/git status (no change): %.2f%n", median(same) / median(gitSame));
        System.out.printf(Locale.ROOT, "ratio incremental/git status (10 modified): %.2f%n", median(touched) / median(gitTouched));
        System.out.printf(Locale.ROOT, "ratio incremental/full scan (no change): %.2f%n", median(same) / median(full));
        if (watchStart >= 0) {
            System.out.printf(Locale.ROOT, "ratio watched incremental/git status (no change): %.3f%n", median(watchedSame) / median(gitSame));
            System.out.printf(Locale.ROOT, "ratio watched incremental/git status (10 modified): %.3f%n", median(watchedTouched) / median(gitTouched));
            System.out.println("watched no-change scan: " + watchedSameStats);
            System.out.println("watched 10-modified scan: " + watchedTouchedStats);
        }
        System.out.println("no-change scan: " + sameStats);
        System.out.println("10-modified scan: " + touchedStats);
    }

    private static void row(String name, List<Double> values) {
        System.out.printf(Locale.ROOT, "%-48s %10.1f %10.1f%n", name, median(values),
                values.stream().min(Double::compare).orElse(0.0));
    }

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    public static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    public static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                f.toFile().delete();
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult postVisitDirectory(Path d, IOException e) {
                d.toFile().delete();
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
    }
}
