package dev.loopwire.engine.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.context.ArtifactChange.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class ArtifactScannerTest {

    @TempDir
    Path root;

    private static final FileTime AN_HOUR_AGO = FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS));

    private Path write(String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    /** Makes the whole tree look old, as a workspace at rest (outside the racy window). */
    private void age() throws IOException {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.setLastModifiedTime(p, AN_HOUR_AGO);
            }
        }
    }

    private static String describe(ScanResult r) {
        return r.changes().stream().map(c -> c.status().label() + " " + c.path())
                .collect(Collectors.joining("\n"));
    }

    @Test
    void firstScanIsABaselineWithoutChanges() throws Exception {
        write("a.txt", "a");
        write("d/b.txt", "b");
        ScanResult r = ArtifactScanner.scan(root, Snapshot.none());
        assertTrue(r.baseline());
        assertTrue(r.changes().isEmpty());
        assertEquals(List.of("a.txt", "d/b.txt"), r.snapshot().paths());
        assertFalse(r.stats().incremental());
    }

    @Test
    void reportsNewModifiedAndDeletedSortedByPath() throws Exception {
        write("keep.txt", "same");
        write("mod.txt", "v1");
        write("gone.txt", "bye");
        write("dir/old.txt", "x");
        write("dir2/inner/deep.txt", "deep");
        age();
        Snapshot s1 = ArtifactScanner.scan(root, Snapshot.none()).snapshot();

        write("mod.txt", "version 2");
        Files.delete(root.resolve("gone.txt"));
        write("dir/new.txt", "n");
        write("fresh/sub/f.txt", "f");
        Files.delete(root.resolve("dir2/inner/deep.txt"));
        Files.delete(root.resolve("dir2/inner"));
        ScanResult r = ArtifactScanner.scan(root, s1);

        assertFalse(r.baseline());
        assertEquals(String.join("\n", "new dir/new.txt", "deleted dir2/inner/deep.txt",
                "new fresh/sub/f.txt", "deleted gone.txt", "modified mod.txt"), describe(r));
        ArtifactChange deleted = r.changes().get(1);
        assertEquals(4, deleted.size());
        assertEquals(AN_HOUR_AGO.toInstant(), deleted.modified());
        ArtifactChange modified = r.changes().get(4);
        assertEquals(9, modified.size());
        assertEquals(Files.getLastModifiedTime(root.resolve("mod.txt")).toInstant(), modified.modified());

        ScanResult again = ArtifactScanner.scan(root, r.snapshot());
        assertTrue(again.changes().isEmpty(), describe(again));
    }

    @Test
    void unchangedDirectoriesAreNotListedAgain() throws Exception {
        for (int i = 0; i < 20; i++) {
            write("d" + i + "/f.txt", "x");
        }
        age();
        Snapshot s1 = ArtifactScanner.scan(root, Snapshot.none()).snapshot();
        write("d3/g.txt", "new file changes d3's mtime");
        Files.setLastModifiedTime(root.resolve("d3/g.txt"), AN_HOUR_AGO);
        ScanResult r = ArtifactScanner.scan(root, s1);
        assertEquals("new d3/g.txt", describe(r));
        assertEquals(1, r.stats().directoriesListed());
        assertEquals(20, r.stats().directoriesReused());
    }

    @Test
    void inPlaceRewriteWithSameSizeAndSameTimestampIsSeenForRecentlyWrittenFiles() throws Exception {
        Path f = write("data.csv", "1,2,3");
        // "just written" however slow this machine is: a time at or after the scan's start
        FileTime written = FileTime.from(Instant.now().plus(1, ChronoUnit.MINUTES));
        Files.setLastModifiedTime(f, written);
        ScanResult first = ArtifactScanner.scan(root, Snapshot.none());
        assertTrue(first.snapshot().file("data.csv").orElseThrow().fingerprinted(),
                "a file written just before the scan is fingerprinted");

        Files.writeString(f, "4,5,6"); // same size, and the same timestamp tick:
        Files.setLastModifiedTime(f, written);
        ScanResult second = ArtifactScanner.scan(root, first.snapshot());
        assertEquals("modified data.csv", describe(second));
        assertEquals(1, second.stats().filesFingerprinted());
    }

    @Test
    void inPlaceRewriteKeepingAnOldTimestampAndSizeIsNotSeen() throws Exception {
        // Documented limit: stat data is trusted for files outside the racy window.
        Path f = write("data.csv", "1,2,3");
        Files.setLastModifiedTime(f, AN_HOUR_AGO);
        Files.setLastModifiedTime(root, AN_HOUR_AGO);
        ScanResult first = ArtifactScanner.scan(root, Snapshot.none());
        assertFalse(first.snapshot().file("data.csv").orElseThrow().fingerprinted());
        Files.writeString(f, "4,5,6");
        Files.setLastModifiedTime(f, AN_HOUR_AGO);
        ScanResult second = ArtifactScanner.scan(root, first.snapshot());
        assertTrue(second.changes().isEmpty());
        assertEquals(0, second.stats().filesFingerprinted());
    }

    @Test
    void touchingAnOldFileWithoutChangingItIsReportedAsModified() throws Exception {
        Path f = write("a.txt", "same");
        age();
        Snapshot s1 = ArtifactScanner.scan(root, Snapshot.none()).snapshot();
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().minus(10, ChronoUnit.MINUTES)));
        assertEquals("modified a.txt", describe(ArtifactScanner.scan(root, s1)));
    }

    @Test
    void newEntryInARecentlyChangedDirectoryIsSeenEvenIfItsTimestampWasRestored() throws Exception {
        Path dir = Files.createDirectories(root.resolve("d"));
        write("d/a.txt", "a");
        FileTime dirTime = FileTime.from(Instant.now().plus(1, ChronoUnit.MINUTES)); // racy at the first scan
        Files.setLastModifiedTime(dir, dirTime);
        Snapshot s1 = ArtifactScanner.scan(root, Snapshot.none()).snapshot();
        write("d/b.txt", "b");
        Files.setLastModifiedTime(dir, dirTime);
        assertEquals("new d/b.txt", describe(ArtifactScanner.scan(root, s1)));
    }

    @Test
    void fileReplacedByDirectoryAndBack() throws Exception {
        write("x", "file");
        age();
        Snapshot s1 = ArtifactScanner.scan(root, Snapshot.none()).snapshot();
        Files.delete(root.resolve("x"));
        write("x/inside.txt", "now a directory");
        ScanResult r2 = ArtifactScanner.scan(root, s1);
        assertEquals("deleted x\nnew x/inside.txt", describe(r2));
        Files.delete(root.resolve("x/inside.txt"));
        Files.delete(root.resolve("x"));
        write("x", "file again");
        assertEquals("new x\ndeleted x/inside.txt", describe(ArtifactScanner.scan(root, r2.snapshot())));
    }

    @Test
    void gitAndLoopwireDirectoriesAreNeverScanned() throws Exception {
        write(".git/config", "x");
        write(".loopwire/loops/1/state.json", "{}");
        write("sub/.git", "gitdir: elsewhere");
        write("sub/.LoopWire/x", "x");
        write("sub/real.txt", "r");
        assertEquals(List.of("sub/real.txt"), ArtifactScanner.scan(root, Snapshot.none()).snapshot().paths());
    }

    @Test
    void nestedIgnoreFilesApplyToTheirSubtreeOnly() throws Exception {
        write(".gitignore", "*.log\n");
        write("a/.gitignore", "!keep.log\n*.tmp\n");
        write("a/keep.log", "k");
        write("a/drop.log", "d");
        write("a/x.tmp", "t");
        write("b/keep.log", "k");
        write("b/x.tmp", "t");
        assertEquals(List.of(".gitignore", "a/.gitignore", "a/keep.log", "b/x.tmp"),
                ArtifactScanner.scan(root, Snapshot.none()).snapshot().paths());
    }

    @Test
    void changedIgnoreRulesRescanTheSubtreeWithoutInventingDeletions() throws Exception {
        write("a/.gitignore", "*.tmp\n");
        write("a/x.tmp", "t");
        write("a/y.txt", "y");
        write("a/deep/z.txt", "z");
        age();
        Snapshot s1 = ArtifactScanner.scan(root, Snapshot.none()).snapshot();
        assertEquals(List.of("a/.gitignore", "a/deep/z.txt", "a/y.txt"), s1.paths());

        Path ignore = root.resolve("a/.gitignore");
        Files.writeString(ignore, "*.txt\n"); // same size, in place: the directory's mtime stays
        Files.setLastModifiedTime(ignore, AN_HOUR_AGO);
        ScanResult r = ArtifactScanner.scan(root, s1);
        assertEquals(List.of("a/.gitignore", "a/x.tmp"), r.snapshot().paths());
        // x.tmp became visible (reported new); y.txt and z.txt became ignored (not deleted: not reported)
        assertEquals("new a/x.tmp", describe(r));
    }

    @Test
    void changedInfoExcludeRescansEverything() throws Exception {
        write(".git/info/exclude", "secret.txt\n");
        write("secret.txt", "s");
        write("d/secret.txt", "s");
        write("plain.txt", "p");
        age();
        Snapshot s1 = ArtifactScanner.scan(root, Snapshot.none()).snapshot();
        assertEquals(List.of("plain.txt"), s1.paths());
        write(".git/info/exclude", "plain.txt\n");
        ScanResult r = ArtifactScanner.scan(root, s1);
        assertEquals("new d/secret.txt\nnew secret.txt", describe(r));
        assertEquals(List.of("d/secret.txt", "secret.txt"), r.snapshot().paths());
    }

    @Test
    void symbolicLinksAreEntriesNotFollowed() throws Exception {
        Path target = write("real/t.txt", "t");
        Files.createSymbolicLink(root.resolve("link-dir"), root.resolve("real"));
        Files.createSymbolicLink(root.resolve("link-file"), target);
        assertEquals(List.of("link-dir", "link-file", "real/t.txt"),
                ArtifactScanner.scan(root, Snapshot.none()).snapshot().paths());
    }

    @Test
    void ignoredDirectoriesAreNotEntered() throws Exception {
        write(".gitignore", "build/\n");
        write("build/out.bin", "b");
        write("src/build/x", "b");
        write("src/main.c", "c");
        age();
        Snapshot s1 = ArtifactScanner.scan(root, Snapshot.none()).snapshot();
        write("build/more.bin", "m");
        ScanResult r = ArtifactScanner.scan(root, s1);
        assertTrue(r.changes().isEmpty(), describe(r));
        assertEquals(List.of(".gitignore", "src/main.c"), r.snapshot().paths());
    }

    @Test
    void cancelledScanThrows() throws Exception {
        write("a/b.txt", "x");
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
        assertThrows(CancellationException.class, () -> ArtifactScanner.scan(root, Snapshot.none(), cancelled));
    }

    @Test
    void rootMustBeADirectory() throws Exception {
        Path file = write("f", "x");
        assertThrows(IOException.class, () -> ArtifactScanner.scan(file, Snapshot.none()));
        assertThrows(IOException.class, () -> ArtifactScanner.scan(root.resolve("missing"), Snapshot.none()));
    }

    @Test
    void manyChangesRenderFiftyThenACount() throws Exception {
        write("seed.txt", "s");
        Snapshot s1 = ArtifactScanner.scan(root, Snapshot.none()).snapshot();
        for (int i = 0; i < 70; i++) {
            write(String.format("out/r%03d.csv", i), "row");
        }
        ScanResult r = ArtifactScanner.scan(root, s1);
        assertEquals(70, r.changes().size());
        String section = PromptSections.artifacts(r);
        List<String> lines = section.lines().collect(Collectors.toList());
        assertEquals("Artifacts new, modified or deleted since the last iteration (70: 70 new):", lines.get(0));
        assertEquals(52, lines.size());
        assertTrue(lines.get(1).startsWith("- out/r000.csv | new | 3 bytes | modified "), lines.get(1));
        assertEquals("- ... 20 more: 20 new", lines.get(51));
    }
}
