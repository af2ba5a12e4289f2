package dev.loopwire.engine.internal.stop;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.context.ArtifactScanner;
import dev.loopwire.engine.context.ArtifactWatch;
import dev.loopwire.engine.context.PromptSections;
import dev.loopwire.engine.context.ScanResult;
import dev.loopwire.engine.context.ScanStats;
import dev.loopwire.engine.context.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One loop's view of its workspace's files: a snapshot taken before the first prompt and again
 * at the end of every iteration. The end-of-iteration scan says whether the iteration changed
 * files (for {@link NoProgressPolicy}) and gives the next prompt its artifacts section; both use
 * that one scan.
 *
 * <p><b>Speed.</b> The last snapshot is kept in memory, and while the loop runs an
 * {@link ArtifactWatch} (inotify) is held, so that a scan looks only at directories that had
 * events since the previous one. The watch is opened by the first scan of a run, kept through
 * the run's iterations and interval waits, and closed when the loop rests ({@link #rest()}:
 * any terminal status, paused, interrupted, between scheduled runs) or the engine closes; the
 * next run opens a new one. A new watch cannot vouch for what happened while there was none, so
 * the first scan with it is the stat-based one (which also registers the directories).
 *
 * <p><b>Durability.</b> Every snapshot is also written to {@value #SNAPSHOT_FILE} in the loop
 * directory (atomically) before it replaces the one in memory; a write failure keeps the older
 * one in both places, so changes are reported again rather than lost. The file is read when a
 * run's first scan needs it (after a restart, or after the loop rested: a resting loop keeps
 * neither watch nor snapshot in memory), and that first scan is stat-based.
 *
 * <p><b>Fallback.</b> When no watch can be opened (no event-based watch service, the inotify
 * instance or watch limit reached, a network file system on which inotify misses other
 * machines' changes, or {@code -D}{@value #WATCH_PROPERTY}{@code =false}) the scans are the
 * stat-based ones, which report exactly the same changes; the first time this happens for a
 * loop one line is logged.
 *
 * <p>Thread-safe: scans of one loop run one at a time; {@link #rest()} never waits for a scan
 * (a scan whose watch is closed under it goes on stat'ing).
 */
public final class ArtifactProgress implements AutoCloseable {

    public static final String SNAPSHOT_FILE = "artifacts.snapshot";

    /** System property; {@code false} turns the watch off (every scan is stat-based). */
    public static final String WATCH_PROPERTY = "loopwire.artifactWatch";

    private static final Logger LOG = Logger.getLogger(ArtifactProgress.class.getName());

    /** File systems on which inotify does not see changes made elsewhere (other machines, a VM's host). */
    private static final Set<String> REMOTE_FILE_SYSTEMS = Set.of("nfs", "nfs4", "cifs", "smb", "smb2", "smb3",
            "smbfs", "9p", "virtiofs", "vboxsf", "afs", "ceph", "glusterfs", "lustre", "gpfs", "ncpfs", "coda",
            "davfs");

    /** Opens a watch for a workspace; a test seam (the default is {@link ArtifactWatch#open}). */
    interface WatchOpener {
        ArtifactWatch open(Path workspace) throws IOException;
    }

    /**
     * What one scan did, for the journal and for tests.
     *
     * @param watched whether a watch was held during the scan (its first scan still stats everything)
     * @param stats the scanner's own figures
     * @param totalMillis the scan plus writing the snapshot file
     */
    public record ScanReport(boolean watched, ScanStats stats, double totalMillis) {
    }

    private final Path workspace;
    private final Path file;
    private final WatchOpener opener;

    private final Object scanLock = new Object();
    /**
     * The last snapshot, as written to the file, while the loop runs; null until read, and again
     * once the loop rests (a resting loop holds no memory for it). Written with scanLock held.
     */
    private volatile Snapshot cached;

    private final Object watchLock = new Object();
    /** Guarded by watchLock, like the fields below. */
    private ArtifactWatch watch;
    private boolean resting = true;
    private boolean closed;
    /** Opening failed or the watch gave up in this run: scan without one until the loop rests. */
    private boolean unwatchedThisRun;
    private boolean logged;
    private int watchesOpened;

    /** The artifacts of the loop whose directory is {@code loopDir}, in {@code workspace}. */
    public ArtifactProgress(Path workspace, Path loopDir) {
        this(workspace, loopDir, ArtifactWatch::open);
    }

    ArtifactProgress(Path workspace, Path loopDir, WatchOpener opener) {
        this.workspace = workspace;
        this.file = loopDir.resolve(SNAPSHOT_FILE);
        this.opener = opener;
    }

    /** A run of the loop starts or goes on: scans may hold a watch again. */
    public void running() {
        synchronized (watchLock) {
            if (!closed) {
                resting = false;
            }
        }
    }

    /** The loop rests: closes the watch (opened again by the next run's first scan). Never blocks. */
    public void rest() {
        ArtifactWatch w;
        synchronized (watchLock) {
            resting = true;
            unwatchedThisRun = false;
            w = watch;
            watch = null;
        }
        cached = null;
        if (w != null) {
            w.close();
        }
    }

    /** The engine closes: closes the watch for good. */
    @Override
    public void close() {
        synchronized (watchLock) {
            closed = true;
        }
        rest();
    }

    /** Whether a watch is open now. */
    public boolean watching() {
        synchronized (watchLock) {
            return watch != null;
        }
    }

    /** Whether the last snapshot is held in memory. */
    boolean holdsSnapshot() {
        return cached != null;
    }

    /** How many watches this loop has opened so far. */
    public int watchesOpened() {
        synchronized (watchLock) {
            return watchesOpened;
        }
    }

    /** Takes the baseline snapshot when the loop has none yet. Never throws for a scan problem. */
    public void baselineIfMissing(Cancellation cancel) {
        synchronized (scanLock) {
            if (previous().isPresent()) {
                return;
            }
            try {
                ArtifactWatch w = watch();
                ScanResult scan = ArtifactScanner.scan(workspace, Snapshot.none(), cancel, w);
                checkWatch(w);
                store(scan);
            } catch (IOException | RuntimeException e) {
                // no baseline: the first measured iteration reports changes as unknown
            }
        }
    }

    /**
     * Scans for changes since the last snapshot, stores the new one, and records both in
     * {@code v}.
     *
     * @return what the scan did, or null when it failed
     */
    public ScanReport measure(Cancellation cancel, Verification v) {
        synchronized (scanLock) {
            long start = System.nanoTime();
            try {
                ArtifactWatch w = watch();
                ScanResult scan = ArtifactScanner.scan(workspace, previous(), cancel, w);
                checkWatch(w);
                store(scan);
                v.artifactsChanged = scan.baseline() ? null : !scan.changes().isEmpty();
                v.artifactsSection = PromptSections.artifacts(scan);
                return new ScanReport(w != null, scan.stats(), (System.nanoTime() - start) / 1e6);
            } catch (IOException | RuntimeException e) {
                v.artifactsChanged = null;
                v.artifactsSection = "Artifacts new, modified or deleted since the last iteration: not known (the"
                        + " scan failed: " + e.getMessage() + ").";
                return null;
            }
        }
    }

    /** The last snapshot: in memory, or read from the file once. scanLock held. */
    private Snapshot previous() {
        if (cached == null) {
            cached = Snapshot.read(file);
        }
        return cached;
    }

    /** Writes the new snapshot, then keeps it in memory (a failed write keeps the old one). scanLock held. */
    private void store(ScanResult scan) throws IOException {
        scan.snapshot().write(file);
        cached = scan.snapshot();
        synchronized (watchLock) {
            if (resting) {
                cached = null; // a scan that outlived its run (abandoned): the file has it
            }
        }
    }

    /** The run's watch, opened on first use; null when scans go without one. */
    private ArtifactWatch watch() {
        synchronized (watchLock) {
            if (watch != null || resting || closed || unwatchedThisRun) {
                return watch;
            }
            String why = reasonNotToWatch();
            if (why == null) {
                try {
                    watch = opener.open(workspace);
                    watchesOpened++;
                    return watch;
                } catch (IOException | UnsupportedOperationException | SecurityException e) {
                    why = "no file-system watch could be opened (" + e.getMessage() + ")";
                }
            }
            unwatchedThisRun = true;
            logOnce(why);
            return null;
        }
    }

    /** After a scan: a watch that disabled itself (e.g. the inotify watch limit) is dropped for this run. */
    private void checkWatch(ArtifactWatch w) {
        if (w == null || w.disabledReason().isEmpty()) {
            return;
        }
        String reason = w.disabledReason().get();
        synchronized (watchLock) {
            if (watch != w) {
                return; // closed by rest(): not a problem
            }
            watch = null;
            unwatchedThisRun = true;
            logOnce("the file-system watch stopped (" + reason + ")");
        }
        w.close();
    }

    private String reasonNotToWatch() {
        if ("false".equalsIgnoreCase(System.getProperty(WATCH_PROPERTY, "true").trim())) {
            return "turned off by -D" + WATCH_PROPERTY + "=false";
        }
        try {
            String type = Files.getFileStore(workspace).type().toLowerCase(Locale.ROOT);
            if (REMOTE_FILE_SYSTEMS.contains(type) || type.startsWith("fuse")) {
                return "the workspace is on a " + type + " file system, where inotify misses changes made"
                        + " elsewhere";
            }
        } catch (IOException | SecurityException e) {
            // unknown file system: try the watch
        }
        return null;
    }

    /** watchLock held. */
    private void logOnce(String why) {
        if (!logged) {
            logged = true;
            LOG.log(Level.INFO, "artifact scans of " + workspace + " stat every file: " + why);
        }
    }
}
