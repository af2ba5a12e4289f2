package dev.loopwire.engine.internal.stop;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.context.ArtifactScanner;
import dev.loopwire.engine.context.PromptSections;
import dev.loopwire.engine.context.ScanResult;
import dev.loopwire.engine.context.Snapshot;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The loop's view of its workspace's files: a snapshot in the loop directory
 * ({@value #SNAPSHOT_FILE}), taken before the first prompt and again at the end of every
 * iteration. The end-of-iteration scan says whether the iteration changed files (for
 * {@link NoProgressPolicy}) and gives the next prompt its artifacts section.
 */
public final class ArtifactProgress {

    public static final String SNAPSHOT_FILE = "artifacts.snapshot";

    private ArtifactProgress() {
    }

    /** Takes the baseline snapshot when the loop has none yet. Never throws for a scan problem. */
    public static void baselineIfMissing(Path workspace, Path loopDir, Cancellation cancel) {
        Path file = loopDir.resolve(SNAPSHOT_FILE);
        if (Snapshot.read(file).isPresent()) {
            return;
        }
        try {
            ArtifactScanner.scan(workspace, Snapshot.none(), cancel).snapshot().write(file);
        } catch (IOException | RuntimeException e) {
            // no baseline: the first measured iteration reports changes as unknown
        }
    }

    /** Scans for changes since the stored snapshot, stores the new one, and records both in {@code v}. */
    public static void measure(Path workspace, Path loopDir, Cancellation cancel, Verification v) {
        Path file = loopDir.resolve(SNAPSHOT_FILE);
        try {
            ScanResult scan = ArtifactScanner.scan(workspace, Snapshot.read(file), cancel);
            scan.snapshot().write(file);
            v.artifactsChanged = scan.baseline() ? null : !scan.changes().isEmpty();
            v.artifactsSection = PromptSections.artifacts(scan);
        } catch (IOException | RuntimeException e) {
            v.artifactsChanged = null;
            v.artifactsSection = "Artifacts new, modified or deleted since the last iteration: not known (the scan"
                    + " failed: " + e.getMessage() + ").";
        }
    }
}
