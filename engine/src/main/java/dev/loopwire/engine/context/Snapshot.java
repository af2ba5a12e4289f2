package dev.loopwire.engine.context;

import dev.loopwire.engine.context.internal.SnapshotCodec;
import dev.loopwire.engine.context.internal.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an {@link ArtifactScanner} saw in a workspace: every visible (not ignored) file with its
 * size and modification time, and enough about directories to make the next scan incremental.
 * Immutable; obtained from {@link ArtifactScanner#scan} or {@link #read(Path)}.
 *
 * <p>{@link #none()} stands for "no previous snapshot": scanning against it gives a baseline
 * without changes. A snapshot file that cannot be decoded reads as {@code none()} with a
 * {@link #problem()}, so a damaged file costs one iteration's change list, never a failure.
 */
public final class Snapshot {

    private static final Snapshot NONE = new Snapshot(null, null);

    private final Tree tree;
    private final String problem;

    private Snapshot(Tree tree, String problem) {
        this.tree = tree;
        this.problem = problem;
    }

    static Snapshot of(Tree tree) {
        return new Snapshot(tree, null);
    }

    Tree tree() {
        return tree;
    }

    /** No snapshot: the next scan is a baseline. */
    public static Snapshot none() {
        return NONE;
    }

    /** Whether this holds a scan (false for {@link #none()} and for unreadable files). */
    public boolean isPresent() {
        return tree != null;
    }

    /** Why reading the snapshot file failed, when it did (a missing file is not a problem). */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** Number of visible files (0 when not present). */
    public int fileCount() {
        return tree == null ? 0 : tree.fileCount();
    }

    /** When the scan started, when present. */
    public Optional<Instant> scannedAt() {
        return tree == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(tree.scanMillis()));
    }

    /** Every visible file's path ({@code /}-separated, relative to the root), sorted. */
    public List<String> paths() {
        return tree == null ? List.of() : tree.paths();
    }

    /** Size and modification time of a visible file, when this snapshot has it. */
    public Optional<FileInfo> file(String path) {
        long[] f = tree == null ? null : tree.file(path);
        if (f == null) {
            return Optional.empty();
        }
        return Optional.of(new FileInfo(f[0], Instant.ofEpochSecond(
                Math.floorDiv(f[1], 1_000_000_000L), Math.floorMod(f[1], 1_000_000_000L)), f[2] != 0));
    }

    /**
     * Size and modification time of one file in a snapshot.
     *
     * @param size bytes
     * @param modified modification time
     * @param fingerprinted whether its content was hashed because it was written just before the
     *     scan (the next scan compares content when size and time are unchanged)
     */
    public record FileInfo(long size, Instant modified, boolean fingerprinted) {
    }

    /**
     * Writes this snapshot to {@code file} (versioned binary format, checksummed; written to a
     * temporary file and renamed, so readers never see half a file).
     *
     * @throws IllegalStateException when this snapshot is not present
     */
    public void write(Path file) throws IOException {
        if (tree == null) {
            throw new IllegalStateException("no snapshot to write");
        }
        SnapshotCodec.write(tree, file);
    }

    /**
     * Reads a snapshot file. Never throws: a missing file gives {@link #none()}; an unreadable,
     * damaged or other-version file gives a not-present snapshot whose {@link #problem()} says
     * why.
     */
    public static Snapshot read(Path file) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException | OutOfMemoryError e) {
            return new Snapshot(null, "snapshot " + file.getFileName() + " could not be read: " + e);
        }
        try {
            return new Snapshot(SnapshotCodec.decode(data), null);
        } catch (IOException e) {
            return new Snapshot(null, "snapshot " + file.getFileName() + " is unusable: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        if (tree == null) {
            return problem == null ? "Snapshot[none]" : "Snapshot[none: " + problem + "]";
        }
        return "Snapshot[" + tree.fileCount() + " files, " + tree.directoryCount() + " directories]";
    }
}
