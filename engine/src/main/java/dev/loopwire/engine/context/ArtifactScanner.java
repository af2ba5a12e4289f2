package dev.loopwire.engine.context;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.context.internal.TreeScan;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Finds the files of a workspace that are new, modified or deleted since a previous
 * {@link Snapshot}, honouring {@code .gitignore} files (root and nested) and
 * {@code .git/info/exclude}, and always leaving out {@code .git} and {@code .loopwire}.
 *
 * <pre>{@code
 * Snapshot previous = Snapshot.read(loopDir.resolve("artifacts.snapshot"));
 * ScanResult result = ArtifactScanner.scan(workspace, previous);
 * result.snapshot().write(loopDir.resolve("artifacts.snapshot"));
 * String section = PromptSections.artifacts(result);
 * }</pre>
 *
 * <p><b>What is seen.</b> A file counts as modified when its size or modification time
 * (nanoseconds as the file system keeps them) differs. Files written within
 * {@value dev.loopwire.engine.context.internal.TreeScan#RACY_WINDOW_MILLIS} ms before a scan
 * started are also fingerprinted (CRC32C + CRC32 of their content, up to 16 MiB), so that a
 * rewrite with the same size inside the same timestamp tick is still seen by the next scan.
 * Not seen: a rewrite of a file that keeps size and modification time when the modification
 * time is older than that window (e.g. {@code touch -d} back to the old time), and same-size
 * same-tick rewrites of files larger than 16 MiB. Permissions, owners and symbolic-link
 * targets are not compared (a link is a file of its own; links are never followed).
 *
 * <p><b>Speed.</b> A directory whose modification time is unchanged has the same entries, so
 * its listing is reused and only its files are stat'ed; changed directories are listed again.
 * An incremental scan therefore costs one {@code lstat} per visible file and directory, and no
 * ignore matching outside changed directories; see {@code bench/artifact-scan/README.md}.
 *
 * <p>Stateless and thread-safe; snapshots are immutable, so several scans may start from one.
 * Directories are scanned on a small shared pool of daemon threads (at most 4, one per core).
 */
public final class ArtifactScanner {

    private ArtifactScanner() {
    }

    /** {@link #scan(Path, Snapshot, Cancellation)} without cancellation. */
    public static ScanResult scan(Path root, Snapshot previous) throws IOException {
        return scan(root, previous, Cancellation.NONE);
    }

    /**
     * Scans {@code root}.
     *
     * @param root the workspace directory
     * @param previous the snapshot of the previous scan, or {@link Snapshot#none()}
     * @param cancel checked once per directory
     * @return the new snapshot and the changes since {@code previous}
     * @throws IOException when {@code root} is not a readable directory (unreadable
     *     subdirectories do not fail the scan: they keep what the previous snapshot had)
     * @throws java.util.concurrent.CancellationException when cancelled or interrupted
     */
    public static ScanResult scan(Path root, Snapshot previous, Cancellation cancel) throws IOException {
        return scan(root, previous, cancel, null);
    }

    /**
     * Scans {@code root}, helped by {@code watch} (may be null): directories in which the watch
     * saw no event since the scan that produced {@code previous} are not looked at again.
     *
     * @param watch a watch started for the same {@code root}, or null
     * @see ArtifactWatch
     */
    public static ScanResult scan(Path root, Snapshot previous, Cancellation cancel, ArtifactWatch watch)
            throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(previous, "previous");
        long start = System.nanoTime();
        TreeScan scan = TreeScan.run(root.toAbsolutePath().normalize(), previous.tree(), cancel,
                watch == null ? null : watch.state());
        boolean baseline = !previous.isPresent();
        ScanStats stats = new ScanStats(!baseline, scan.listed(), scan.reused(), scan.trusted(),
                scan.statted(), scan.hashed(), scan.unreadable(), Duration.ofNanos(System.nanoTime() - start));
        List<ArtifactChange> changes = baseline ? List.of() : scan.changes();
        return new ScanResult(Snapshot.of(scan.tree()), changes, baseline, previous.problem(), stats);
    }
}
