package dev.loopwire.engine.context;

import dev.loopwire.engine.context.internal.WatchState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An optional accelerator for {@link ArtifactScanner}: file-system notifications (inotify on
 * Linux, through {@link java.nio.file.WatchService}) tell the next scan which directories had
 * any event, so directories without events are taken from the previous snapshot without a
 * single {@code lstat}. Hold one per workspace for as long as scans repeat (a loop), pass it
 * to every {@link ArtifactScanner#scan(Path, Snapshot, dev.loopwire.engine.Cancellation,
 * ArtifactWatch) scan}, close it at the end.
 *
 * <p>It never makes a scan less correct than the stat-based one, with these exceptions, which
 * inotify itself cannot see: writes through a memory mapping, writes through a hard link
 * located outside the workspace, and changes made by other machines on a network file system.
 * Whenever it cannot vouch for a directory (first scan, a snapshot it did not see produced,
 * lost events, the sync cookie not arriving within 5 s, the watch limit reached), the scan
 * falls back to stat'ing. Each scan writes and deletes a small cookie file in
 * {@code .loopwire/} to know that all earlier events have arrived.
 *
 * <p>One scan at a time per watch (a loop's runner scans before each iteration, which is
 * naturally sequential). A watch started for another directory is ignored by the scan.
 */
public final class ArtifactWatch implements AutoCloseable {

    private final WatchState state;

    private ArtifactWatch(WatchState state) {
        this.state = state;
    }

    /**
     * Starts watching the workspace at {@code root} (directories are registered by the scans
     * themselves). Creates {@code root/.loopwire/} when missing.
     *
     * @return empty when the platform has no event-based watch service (then scan without one)
     */
    public static Optional<ArtifactWatch> start(Path root) {
        try {
            return Optional.of(open(root));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /**
     * Like {@link #start(Path)}, but says why no watch could be started.
     *
     * @throws IOException when the platform has no event-based watch service, the inotify
     *     instance limit ({@code fs.inotify.max_user_instances}) is reached, or {@code root/.loopwire/}
     *     cannot be created; the message says which
     * @throws UnsupportedOperationException when the file system has no watch service at all
     */
    public static ArtifactWatch open(Path root) throws IOException {
        return new ArtifactWatch(WatchState.start(root.toAbsolutePath().normalize()));
    }

    WatchState state() {
        return state;
    }

    /** Why this watch no longer helps (closed, watch limit reached, ...), if so. */
    public Optional<String> disabledReason() {
        return Optional.ofNullable(state.disabledReason());
    }

    /** Stops watching; scans given this watch afterwards stat everything. */
    @Override
    public void close() {
        try {
            state.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
