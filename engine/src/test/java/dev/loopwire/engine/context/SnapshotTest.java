package dev.loopwire.engine.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class SnapshotTest {

    @TempDir
    Path root;
    @TempDir
    Path store;
    Path file;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/c.txt"), "c");
        Files.writeString(root.resolve("a/ünïcödé ✓.txt"), "u");
        Files.writeString(root.resolve(".gitignore"), "*.log\n");
        Files.writeString(root.resolve("x.log"), "ignored");
        file = store.resolve("loops/1/artifacts.snapshot");
    }

    @Test
    void roundTripKeepsEverythingTheNextScanNeeds() throws Exception {
        ScanResult first = ArtifactScanner.scan(root, Snapshot.none());
        first.snapshot().write(file);
        Snapshot back = Snapshot.read(file);
        assertTrue(back.isPresent());
        assertTrue(back.problem().isEmpty());
        assertEquals(first.snapshot().paths(), back.paths());
        assertEquals(List.of(".gitignore", "a/b/c.txt", "a/ünïcödé ✓.txt"), back.paths());
        assertEquals(first.snapshot().file("a/b/c.txt"), back.file("a/b/c.txt"));
        assertEquals(first.snapshot().scannedAt(), back.scannedAt());

        Files.writeString(root.resolve("a/new.txt"), "n");
        Files.delete(root.resolve("a/b/c.txt"));
        ScanResult next = ArtifactScanner.scan(root, back);
        assertEquals(2, next.changes().size());
        assertEquals("a/b/c.txt", next.changes().get(0).path());
        assertEquals(ArtifactChange.Status.DELETED, next.changes().get(0).status());
        assertEquals("a/new.txt", next.changes().get(1).path());
    }

    @Test
    void missingFileReadsAsNoneWithoutAProblem() {
        Snapshot s = Snapshot.read(store.resolve("nothing-here"));
        assertSame(Snapshot.none(), s);
        assertTrue(s.problem().isEmpty());
    }

    @Test
    void truncatedFileReadsAsNoneWithAProblemAndTheNextScanIsABaseline() throws Exception {
        ArtifactScanner.scan(root, Snapshot.none()).snapshot().write(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        Snapshot s = Snapshot.read(file);
        assertFalse(s.isPresent());
        assertTrue(s.problem().orElseThrow().contains("checksum"), s.problem().get());

        ScanResult r = ArtifactScanner.scan(root, s);
        assertTrue(r.baseline());
        assertEquals(s.problem(), r.previousProblem());
        assertTrue(PromptSections.artifacts(r).contains("unusable"), PromptSections.artifacts(r));
    }

    @Test
    void flippedByteIsDetected() throws Exception {
        ArtifactScanner.scan(root, Snapshot.none()).snapshot().write(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        assertTrue(Snapshot.read(file).problem().isPresent());
    }

    @Test
    void garbageAndOtherVersionsAreRejectedWithAReason() throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "hello, not a snapshot");
        assertEquals("snapshot artifacts.snapshot is unusable: not a Loopwire snapshot file",
                Snapshot.read(file).problem().orElseThrow());
        Files.write(file, new byte[0]);
        assertTrue(Snapshot.read(file).problem().isPresent());

        ArtifactScanner.scan(root, Snapshot.none()).snapshot().write(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[6] = 99;
        Files.write(file, bytes);
        assertTrue(Snapshot.read(file).problem().orElseThrow().contains("unsupported snapshot version 99"));
    }

    @Test
    void unreadableFileIsAProblemNotAnException() throws Exception {
        Files.createDirectories(file); // a directory where the file should be
        Snapshot s = Snapshot.read(file);
        assertFalse(s.isPresent());
        assertTrue(s.problem().isPresent());
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
        ScanResult r = ArtifactScanner.scan(root, Snapshot.none());
        r.snapshot().write(file);
        r.snapshot().write(file);
        try (var s = Files.list(file.getParent())) {
            assertEquals(List.of(file), s.toList());
        }
        assertThrows(IllegalStateException.class, () -> Snapshot.none().write(file));
    }
}
