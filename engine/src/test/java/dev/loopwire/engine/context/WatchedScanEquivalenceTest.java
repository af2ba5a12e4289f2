package dev.loopwire.engine.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loopwire.engine.Cancellation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watched scan reports exactly what the stat-based scan reports: two chains of snapshots
 * over one real tree, one scanned with an {@link ArtifactWatch} and one without, compared after
 * every change (files written, appended, rewritten in the same tick, deleted, directories
 * created, moved and removed, {@code .gitignore} and {@code info/exclude} edits, the loop's own
 * {@code .loopwire/} files), and both compared with what git itself sees.
 */
@Timeout(120)
class WatchedScanEquivalenceTest {

    private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));

    @TempDir
    Path root;
    ArtifactWatch watch;
    Snapshot watched;
    Snapshot statted;
    int trustedTotal;
    int watchedStats;
    int statStats;
    boolean git;

    @BeforeEach
    void setUp() throws Exception {
        for (int i = 0; i < 8; i++) {
            write("d" + i + "/f.txt", "file " + i);
            write("d" + i + "/sub/g.txt", "deep " + i);
            write("d" + i + "/sub/h.log", "ignored " + i);
        }
        write(".gitignore", "*.log\n/build/\n");
        write("build/out.bin", "ignored");
        git = GitTestSupport.available();
        if (git) {
            GitTestSupport.git(root, "init", "-q"); // so that git can say what it sees (empty index)
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.setLastModifiedTime(p, AN_HOUR_AGO);
            }
        }
        watch = ArtifactWatch.start(root).orElse(null);
        assumeTrue(watch != null, "no event-based WatchService on this platform");
        ScanResult w = ArtifactScanner.scan(root, Snapshot.none(), Cancellation.NONE, watch);
        ScanResult s = ArtifactScanner.scan(root, Snapshot.none());
        watched = w.snapshot();
        statted = s.snapshot();
        assertEquals(statted.paths(), watched.paths());
    }

    @AfterEach
    void tearDown() {
        if (watch != null) {
            watch.close();
        }
    }

    private Path write(String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private void deleteTree(String path) throws IOException {
        try (Stream<Path> s = Files.walk(root.resolve(path))) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    private static String describe(List<ArtifactChange> changes) {
        return changes.stream().map(c -> c.status().label() + " " + c.path() + " " + c.size() + " " + c.modified())
                .collect(Collectors.joining("\n"));
    }

    /** Scans both chains and compares them; returns the changes (the same in both). */
    private List<ArtifactChange> both(String step) throws Exception {
        ScanResult w = ArtifactScanner.scan(root, watched, Cancellation.NONE, watch);
        ScanResult s = ArtifactScanner.scan(root, statted);
        assertEquals(describe(s.changes()), describe(w.changes()), step + ": the changes differ");
        assertEquals(s.snapshot().paths(), w.snapshot().paths(), step + ": the visible files differ");
        for (String p : s.snapshot().paths()) {
            Snapshot.FileInfo a = s.snapshot().file(p).orElseThrow();
            Snapshot.FileInfo b = w.snapshot().file(p).orElseThrow();
            assertEquals(a.size() + " " + a.modified(), b.size() + " " + b.modified(), step + ": " + p);
        }
        assertTrue(w.snapshot().paths().stream().noneMatch(p -> p.startsWith(".loopwire") || p.startsWith(".git/")),
                step + ": " + w.snapshot().paths());
        if (git) {
            TreeSet<String> git = GitTestSupport.visibleFiles(root);
            git.removeIf(p -> p.startsWith(".loopwire/"));
            assertEquals(List.copyOf(git), w.snapshot().paths(), step + ": git sees other files");
        }
        assertTrue(watch.disabledReason().isEmpty(), step + ": " + watch.disabledReason());
        trustedTotal += w.stats().directoriesTrusted();
        watchedStats += w.stats().entriesStatted();
        statStats += s.stats().entriesStatted();
        watched = w.snapshot();
        statted = s.snapshot();
        return w.changes();
    }

    @Test
    void everyKindOfChangeIsReportedTheSameWithAndWithoutTheWatch() throws Exception {
        assertEquals("", describe(both("no change")));
        Files.writeString(root.resolve("d1/f.txt"), " appended", StandardOpenOption.APPEND);
        assertEquals(1, both("append").size());
        write("d2/sub/new.txt", "new");
        Files.delete(root.resolve("d3/f.txt"));
        assertEquals(2, both("new and deleted").size());
        write("newdir/a/b/c.txt", "created with its directories");
        write("newdir/top.txt", "t");
        assertEquals(2, both("directories created").size());
        Files.writeString(root.resolve("newdir/a/b/c.txt"), "changed inside a directory the watch just met");
        write("newdir/a/b/d.txt", "and a sibling");
        assertEquals(2, both("change in a new directory").size());
        deleteTree("d4");
        assertEquals(2, both("directory removed").size());
        Files.move(root.resolve("d5"), root.resolve("d5-moved"));
        assertEquals(4, both("directory moved").size());
        Files.writeString(root.resolve("d5-moved/sub/g.txt"), "changed after the move");
        assertEquals(1, both("change in a moved directory").size());
        Files.writeString(root.resolve(".gitignore"), "/build/\n");
        assertEquals(1 + 7, both(".gitignore edit: *.log visible again").size()); // the edit + 7 logs (d4 is gone)
        Files.writeString(root.resolve(".gitignore"), "/build/\nd6/\n*.log\n");
        List<ArtifactChange> hidden = both(".gitignore edit: d6/ and *.log ignored");
        assertEquals("modified .gitignore", hidden.stream().map(c -> c.status().label() + " " + c.path())
                .collect(Collectors.joining("\n")), "ignored files are dropped, not deleted");
        write("d7/.gitignore", "*.txt\n!keep.txt\n");
        write("d7/keep.txt", "kept");
        assertEquals(2, both("nested .gitignore created").size()); // .gitignore, keep.txt; f.txt, sub/g.txt dropped
        Files.delete(root.resolve("d7/.gitignore"));
        assertEquals(3, both("nested .gitignore deleted").size()); // .gitignore deleted, f.txt, sub/g.txt new
        write("build/more.bin", "ignored");
        write("d0/sub/x.log", "ignored");
        assertEquals(0, both("ignored files written").size());
        write(".loopwire/loops/x/state.json", "{}");
        write(".loopwire/loops/x/memory.md", "# memory");
        assertEquals(0, both("the loop's own files").size());
        write("d0/tmp.txt", "t");
        Files.delete(root.resolve("d0/tmp.txt"));
        assertEquals(0, both("created and deleted between scans").size());
        Path racy = write("d0/racy.txt", "aaaa");
        assertEquals(1, both("racy file written").size());
        FileTime t = Files.getLastModifiedTime(racy);
        Files.writeString(racy, "bbbb");
        Files.setLastModifiedTime(racy, t);
        assertEquals(1, both("same size, same time, new content").size());
        Files.delete(root.resolve("d1/f.txt"));
        write("d1/f.txt/inner.txt", "a file became a directory");
        assertEquals(2, both("file replaced by a directory").size());
        Files.createSymbolicLink(root.resolve("d2/link"), root.resolve("d2/f.txt"));
        assertEquals(1, both("symbolic link").size());
        Files.createDirectories(root.resolve(".git/info"));
        Files.writeString(root.resolve(".git/info/exclude"), "newdir/\n");
        assertEquals(0, both("info/exclude edit: newdir/ dropped").size());
        assertEquals(0, both("no change at the end").size());
        assertTrue(trustedTotal > 50, "the watched chain trusted directories: " + trustedTotal);
        assertTrue(watchedStats * 3 < statStats, "watched " + watchedStats + " vs stat " + statStats + " lstats");
    }

    @Test
    void randomChangesAreReportedTheSameWithAndWithoutTheWatch() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            Random random = new Random(seed);
            for (int step = 0; step < 25; step++) {
                int ops = 1 + random.nextInt(4);
                for (int k = 0; k < ops; k++) {
                    randomChange(random);
                }
                both("seed " + seed + " step " + step);
            }
        }
        assertTrue(trustedTotal > 0, "the watched chain trusted directories");
    }

    private void randomChange(Random random) throws IOException {
        String dir = "r" + random.nextInt(4) + (random.nextBoolean() ? "" : "/s" + random.nextInt(3));
        String file = dir + "/f" + random.nextInt(5) + (random.nextInt(5) == 0 ? ".log" : ".txt");
        Path p = root.resolve(file);
        switch (random.nextInt(7)) {
            case 0, 1 -> write(file, "content " + random.nextInt(1000));
            case 2 -> {
                if (Files.isRegularFile(p)) {
                    Files.writeString(p, "+", StandardOpenOption.APPEND);
                }
            }
            case 3 -> Files.deleteIfExists(p);
            case 4 -> {
                if (Files.isDirectory(root.resolve(dir))) {
                    deleteTree(dir);
                }
            }
            case 5 -> {
                Path target = root.resolve("r" + random.nextInt(4) + "-moved" + random.nextInt(1000));
                if (Files.isDirectory(root.resolve(dir)) && !Files.exists(target)) {
                    Files.move(root.resolve(dir), target);
                }
            }
            default -> {
                List<String> rules = new ArrayList<>(List.of("*.log", "/build/"));
                if (random.nextBoolean()) {
                    rules.add("f" + random.nextInt(5) + ".txt");
                }
                if (random.nextBoolean()) {
                    rules.add("r" + random.nextInt(4) + "/");
                }
                write(random.nextBoolean() ? ".gitignore" : "r" + random.nextInt(4) + "/.gitignore",
                        String.join("\n", rules) + "\n");
            }
        }
    }

    @Test
    void eventsDrainedByACancelledScanAreNotLost() throws Exception {
        both("registers every directory");
        write("d3/new.txt", "written before the scan that is cancelled");
        Cancellation cancelled = new Cancellation() {
            @Override
            public boolean isCancelled() {
                return true;
            }

            @Override
            public AutoCloseable onCancel(Runnable hook) {
                hook.run();
                return () -> { };
            }
        };
        assertThrows(CancellationException.class, () -> ArtifactScanner.scan(root, watched, cancelled, watch));
        List<ArtifactChange> changes = both("after the cancelled scan");
        assertEquals("new d3/new.txt", changes.stream().map(c -> c.status().label() + " " + c.path())
                .collect(Collectors.joining("\n")));
    }
}
