package dev.loopwire.engine.context;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link ArtifactScanner#scan}: the new snapshot to keep for next time and what
 * changed since the previous one.
 *
 * @param snapshot the workspace as it is now; store it and pass it to the next scan
 * @param changes files new, modified or deleted since the previous snapshot, sorted by path;
 *     empty when {@code baseline} is true
 * @param baseline true when there was no usable previous snapshot (first scan, or the stored
 *     one was missing or corrupt): nothing can be said about changes
 * @param previousProblem why the previous snapshot was unusable, when it was read from a file
 *     that turned out to be corrupt
 * @param stats what the scan did
 */
public record ScanResult(Snapshot snapshot, List<ArtifactChange> changes, boolean baseline,
        Optional<String> previousProblem, ScanStats stats) {

    /** Validates the components and copies the list. */
    public ScanResult {
        Objects.requireNonNull(snapshot, "snapshot");
        changes = List.copyOf(changes);
        Objects.requireNonNull(previousProblem, "previousProblem");
        Objects.requireNonNull(stats, "stats");
    }

    /** Number of changes with the given status. */
    public long count(ArtifactChange.Status status) {
        return changes.stream().filter(c -> c.status() == status).count();
    }
}
