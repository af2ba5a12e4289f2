package dev.loopwire.engine.internal.stop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.context.ArtifactWatch;
import dev.loopwire.engine.context.internal.WatchState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One loop's artifact scans: the watch's lifecycle, the snapshot in memory and on disk, the fallback. */
@Timeout(60)
class ArtifactProgressTest {

    private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));

    @TempDir
    Path temp;
    Path ws;
    Path loopDir;
    final List<String> logged = new ArrayList<>();
    final Logger logger = Logger.getLogger(ArtifactProgress.class.getName());
    final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (logged) {
                logged.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        ws = Files.createDirectories(temp.resolve("ws"));
        for (int i = 0; i < 6; i++) {
            Files.createDirectories(ws.resolve("d" + i + "/sub"));
            Files.writeString(ws.resolve("d" + i + "/f.txt"), "file " + i);
            Files.writeString(ws.resolve("d" + i + "/sub/g.txt"), "deep " + i);
        }
        try (Stream<Path> s = Files.walk(ws)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.setLastModifiedTime(p, AN_HOUR_AGO);
            }
        }
        loopDir = Files.createDirectories(ws.resolve(".loopwire/loops/L1"));
        logger.addHandler(handler);
    }

    @AfterEach
    void tearDown() {
        logger.removeHandler(handler);
    }

    private static ArtifactProgress.ScanReport measure(ArtifactProgress a, Verification v) {
        return a.measure(Cancellation.NONE, v);
    }

    @Test
    void aRunningLoopScansWithItsWatchAndClosesItWhenItRests() throws Exception {
        int openBefore = WatchState.openWatches();
        ArtifactProgress a = new ArtifactProgress(ws, loopDir);
        a.running();
        assertFalse(a.watching(), "opened lazily");
        a.baselineIfMissing(Cancellation.NONE);
        assumeTrue(a.watching(), "no event-based WatchService here");
        assertEquals(openBefore + 1, WatchState.openWatches());
        Files.writeString(ws.resolve("d2/new.txt"), "n");
        Verification v = new Verification();
        ArtifactProgress.ScanReport r = measure(a, v);
        assertTrue(r.watched());
        assertEquals(Boolean.TRUE, v.artifactsChanged);
        assertTrue(v.artifactsSection.contains("- d2/new.txt | new | 1 bytes"), v.artifactsSection);
        assertTrue(r.stats().directoriesTrusted() >= 12, r.stats().toString()); // 13 directories, d2 had an event
        assertTrue(r.stats().entriesStatted() < 6, r.stats().toString());

        assertTrue(a.holdsSnapshot());
        a.rest();
        assertFalse(a.watching());
        assertFalse(a.holdsSnapshot(), "a resting loop keeps its snapshot only in the file");
        assertEquals(openBefore, WatchState.openWatches(), "closed when the loop rests");
        ArtifactProgress.ScanReport resting = measure(a, new Verification());
        assertFalse(resting.watched(), "no watch is opened while resting");
        assertFalse(a.watching());

        a.running();
        Files.writeString(ws.resolve("d3/f.txt"), "changed");
        Verification again = new Verification();
        ArtifactProgress.ScanReport first = measure(a, again);
        assertTrue(first.watched());
        assertEquals(0, first.stats().directoriesTrusted(), "a new watch cannot vouch for the time without one");
        assertTrue(again.artifactsSection.contains("- d3/f.txt | modified"), again.artifactsSection);
        ArtifactProgress.ScanReport second = measure(a, new Verification());
        assertEquals(13, second.stats().directoriesTrusted(), second.stats().toString());
        assertEquals(2, a.watchesOpened());
        a.close();
        a.running();
        measure(a, new Verification());
        assertFalse(a.watching(), "closed for good");
        assertEquals(openBefore, WatchState.openWatches());
        assertTrue(logged.isEmpty(), logged.toString());
    }

    @Test
    void theSnapshotIsKeptInMemoryAndOnDiskAndARestartStartsFromTheFile() throws Exception {
        ArtifactProgress a = new ArtifactProgress(ws, loopDir);
        a.running();
        a.baselineIfMissing(Cancellation.NONE);
        Path file = loopDir.resolve(ArtifactProgress.SNAPSHOT_FILE);
        assertTrue(Files.exists(file));
        Files.delete(file); // in memory it is still there: no new baseline
        a.baselineIfMissing(Cancellation.NONE);
        Files.writeString(ws.resolve("d1/new.txt"), "n");
        Verification v = new Verification();
        measure(a, v);
        assertEquals(Boolean.TRUE, v.artifactsChanged, v.artifactsSection);
        assertTrue(Files.exists(file), "written again");
        a.close();

        Files.writeString(ws.resolve("d4/after-restart.txt"), "r");
        ArtifactProgress restarted = new ArtifactProgress(ws, loopDir);
        restarted.running();
        restarted.baselineIfMissing(Cancellation.NONE); // the file is there: no baseline
        Verification v2 = new Verification();
        ArtifactProgress.ScanReport r = measure(restarted, v2);
        assertEquals("Artifacts new, modified or deleted since the last iteration (1: 1 new):", v2.artifactsSection
                .lines().findFirst().orElseThrow());
        assertTrue(v2.artifactsSection.contains("- d4/after-restart.txt | new"), v2.artifactsSection);
        assertEquals(0, r.stats().directoriesTrusted(), "the first scan after a restart is stat-based");
        restarted.close();
    }

    @Test
    void aSnapshotThatCannotBeWrittenIsReportedAgainNotLost() throws Exception {
        Path blocked = temp.resolve("loop-dir");
        Files.writeString(blocked, "a file where the loop directory should be");
        ArtifactProgress a = new ArtifactProgress(ws, blocked);
        a.running();
        assertNull(measure(a, new Verification()), "the baseline could not be stored");
        Files.delete(blocked);
        assertFalse(measure(a, new Verification()).stats().incremental(), "the baseline, again");
        Files.writeString(ws.resolve("d0/x.txt"), "x");
        deleteTree(blocked);
        Files.writeString(blocked, "blocked again");
        Verification failed = new Verification();
        assertNull(measure(a, failed));
        assertNull(failed.artifactsChanged);
        assertTrue(failed.artifactsSection.contains("not known (the scan failed"), failed.artifactsSection);
        Files.delete(blocked);
        Verification later = new Verification();
        assertNotNull(measure(a, later));
        assertEquals(Boolean.TRUE, later.artifactsChanged);
        assertTrue(later.artifactsSection.contains("- d0/x.txt | new"), later.artifactsSection);
        a.close();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }

    @Test
    void withoutAWatchTheScansAreStatBasedAndOneLineIsLogged() throws Exception {
        int[] attempts = new int[1];
        ArtifactProgress a = new ArtifactProgress(ws, loopDir, root -> {
            attempts[0]++;
            throw new IOException("User limit of inotify instances reached or too many open files");
        });
        for (int run = 0; run < 3; run++) {
            a.running();
            a.baselineIfMissing(Cancellation.NONE);
            Files.writeString(ws.resolve("d5/run" + run + ".txt"), "r");
            Verification v = new Verification();
            ArtifactProgress.ScanReport r = measure(a, v);
            assertFalse(r.watched());
            assertFalse(a.watching());
            assertTrue(v.artifactsSection.contains("- d5/run" + run + ".txt | new"), v.artifactsSection);
            assertTrue(r.stats().entriesStatted() > 12, "stat-based: " + r.stats());
            measure(a, new Verification());
            a.rest();
        }
        assertEquals(3, attempts[0], "one attempt per run, not per scan");
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).contains("inotify instances"), logged.get(0));
        a.close();
    }

    @Test
    void theWatchCanBeTurnedOff() throws Exception {
        System.setProperty(ArtifactProgress.WATCH_PROPERTY, "false");
        try {
            int[] attempts = new int[1];
            ArtifactProgress a = new ArtifactProgress(ws, loopDir, root -> {
                attempts[0]++;
                return ArtifactWatch.open(root);
            });
            a.running();
            a.baselineIfMissing(Cancellation.NONE);
            assertFalse(measure(a, new Verification()).watched());
            assertEquals(0, attempts[0]);
            assertEquals(1, logged.size(), logged.toString());
            a.close();
        } finally {
            System.clearProperty(ArtifactProgress.WATCH_PROPERTY);
        }
    }
}
