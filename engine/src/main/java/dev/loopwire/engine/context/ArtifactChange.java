package dev.loopwire.engine.context;

import java.time.Instant;
import java.util.Objects;

/**
 * One file of the workspace that is new, modified or deleted since the previous snapshot.
 *
 * @param path the file's path relative to the workspace root, {@code /}-separated
 * @param status what happened to it
 * @param size its size in bytes (for a deleted file: the size it last had)
 * @param modified its modification time (for a deleted file: the last one seen)
 */
public record ArtifactChange(String path, Status status, long size, Instant modified) {

    /** What happened to a file between two snapshots. */
    public enum Status {
        /** Not in the previous snapshot. */
        NEW,
        /** Size, modification time or (for recently written files) content differ. */
        MODIFIED,
        /** In the previous snapshot, gone now. */
        DELETED;

        /** Lower-case name as shown in prompts: {@code new}, {@code modified}, {@code deleted}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Validates the components. */
    public ArtifactChange {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(modified, "modified");
    }
}
