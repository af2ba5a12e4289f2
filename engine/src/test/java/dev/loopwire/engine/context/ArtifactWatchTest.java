package dev.loopwire.engine.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loopwire.engine.Cancellation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ArtifactWatchTest {

    private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));

    @TempDir
    Path root;
    ArtifactWatch watch;

    @BeforeEach
    void setUp() throws IOException {
        for (int i = 0; i < 10; i++) {
            write("d" + i + "/f.txt", "file " + i);
            write("d" + i + "/sub/g.txt", "deep " + i);
        }
        write(".gitignore", "*.log\n");
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.setLastModifiedTime(p, AN_HOUR_AGO);
            }
        }
        watch = ArtifactWatch.start(root).orElse(null);
        assumeTrue(watch != null, "no event-based WatchService on this platform");
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

    private ScanResult scan(Snapshot previous) throws IOException {
        return ArtifactScanner.scan(root, previous, Cancellation.NONE, watch);
    }

    private static String describe(ScanResult r) {
        return r.changes().stream().map(c -> c.status().label() + " " + c.path())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void quietDirectoriesAreNotStatted() throws Exception {
        ScanResult first = scan(Snapshot.none());
        assertEquals(0, first.stats().directoriesTrusted());
        ScanResult second = scan(first.snapshot());
        assertTrue(second.changes().isEmpty(), describe(second));
        assertEquals(21, second.stats().directoriesTrusted()); // root + 10 + 10
        assertEquals(0, second.stats().entriesStatted());
        assertEquals(first.snapshot().paths(), second.snapshot().paths());
        assertTrue(second.snapshot().paths().stream().noneMatch(p -> p.startsWith(".loopwire")));
    }

    @Test
    void changesAreSeenInTheDirectoriesThatHadEvents() throws Exception {
        Snapshot s = scan(Snapshot.none()).snapshot();
        Files.writeString(root.resolve("d3/sub/g.txt"), "appended", java.nio.file.StandardOpenOption.APPEND);
        Files.delete(root.resolve("d5/f.txt"));
        write("d7/new.txt", "n");
        write("d7/ignored.log", "i");
        ScanResult r = scan(s);
        assertEquals("modified d3/sub/g.txt\ndeleted d5/f.txt\nnew d7/new.txt", describe(r));
        assertEquals(18, r.stats().directoriesTrusted());
        assertTrue(r.stats().entriesStatted() < 10, r.stats().toString());
        ScanResult again = scan(r.snapshot());
        assertTrue(again.changes().isEmpty(), describe(again));
        assertEquals(21, again.stats().directoriesTrusted());
    }

    @Test
    void seesANewFileEvenWhenTheDirectoryTimeIsRestored() throws Exception {
        // The stat-only scan cannot see this (the directory looks untouched); the watch can.
        Snapshot s = scan(Snapshot.none()).snapshot();
        write("d2/sneaky.txt", "s");
        Files.setLastModifiedTime(root.resolve("d2"), AN_HOUR_AGO);
        assertEquals("new d2/sneaky.txt", describe(scan(s)));
    }

    @Test
    void movedDirectoriesAreFollowed() throws Exception {
        Snapshot s = scan(Snapshot.none()).snapshot();
        Files.move(root.resolve("d1"), root.resolve("moved"));
        ScanResult r = scan(s);
        assertEquals("deleted d1/f.txt\ndeleted d1/sub/g.txt\nnew moved/f.txt\nnew moved/sub/g.txt", describe(r));
        Files.writeString(root.resolve("moved/sub/g.txt"), "changed after the move");
        ScanResult r2 = scan(r.snapshot());
        assertEquals("modified moved/sub/g.txt", describe(r2));
        write("d1/sub/again.txt", "a new d1 where the old one was");
        ScanResult r3 = scan(r2.snapshot());
        assertEquals("new d1/sub/again.txt", describe(r3));
        Files.writeString(root.resolve("d1/sub/again.txt"), "and changed");
        assertEquals("modified d1/sub/again.txt", describe(scan(r3.snapshot())));
    }

    @Test
    void aSnapshotTheWatchDidNotProduceIsNotTrusted() throws Exception {
        Snapshot s1 = scan(Snapshot.none()).snapshot();
        Snapshot s2 = scan(s1).snapshot();
        write("d4/x.txt", "x");
        ScanResult fromOlder = scan(s1); // e.g. the snapshot read back from disk after a restart
        assertEquals(0, fromOlder.stats().directoriesTrusted());
        assertEquals("new d4/x.txt", describe(fromOlder));
        assertEquals(21, s2.fileCount());
    }

    @Test
    void aClosedWatchFallsBackToStatting() throws Exception {
        Snapshot s = scan(Snapshot.none()).snapshot();
        watch.close();
        assertTrue(watch.disabledReason().isPresent());
        Files.writeString(root.resolve("d0/f.txt"), "changed content");
        ScanResult r = scan(s);
        assertEquals("modified d0/f.txt", describe(r));
        assertEquals(0, r.stats().directoriesTrusted());
        assertTrue(r.stats().entriesStatted() > 20);
    }

    @Test
    void theCookieLeavesNothingBehind() throws Exception {
        Snapshot s = scan(Snapshot.none()).snapshot();
        scan(s);
        try (var list = Files.list(root.resolve(".loopwire"))) {
            assertEquals(List.of(), list.collect(Collectors.toList()));
        }
    }
}
