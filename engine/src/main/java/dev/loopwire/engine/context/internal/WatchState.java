package dev.loopwire.engine.context.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * File-system notifications (inotify through {@link WatchService}) that let a scan skip the
 * {@code lstat}s of directories in which nothing happened since the previous scan.
 *
 * <p>A directory is trusted in scan G when it was registered before the scan that produced the
 * previous snapshot looked at it, its registration still maps to it, and no event for it
 * arrived since that scan began. "Arrived" is made exact by a sync cookie: before each scan a
 * file is created in {@code .loopwire/} (watched too) and the scan waits until that event comes
 * out of the watch service; events are read from one inotify queue in order, so every earlier
 * change has been seen by then. Without the cookie (timeout), after a queue overflow, or when
 * the previous snapshot is not the last one this watch saw, nothing is trusted and the scan
 * falls back to stat'ing everything.
 *
 * <p>Events drained by a scan that did not complete (cancelled, failed) stay pending for the next
 * scan: the set of directories with events, and a lost-events mark, are cleared only when a scan
 * completes.
 */
public final class WatchState implements AutoCloseable {

    /** How long a scan waits for its sync cookie before falling back to stat'ing. */
    static final long SYNC_TIMEOUT_MILLIS = 5_000;

    private static final WatchEvent.Kind<?>[] KINDS = {
        StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
        StandardWatchEventKinds.ENTRY_MODIFY};

    private final WatchService service;
    private final Path root;
    private final Path cookieDir;
    private final ConcurrentHashMap<WatchKey, String> keyToRel = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, WatchKey> relToKey = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> relGeneration = new ConcurrentHashMap<>();
    /** Watches started and not yet closed, in this JVM (for tests that prove none is leaked). */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final WatchKey cookieKey;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Directories with events since the last completed scan began (replaced, never mutated during a scan). */
    private volatile Set<String> dirty = new HashSet<>();
    private boolean overflowed;
    private volatile String disabled;
    private int generation;
    private int lastTreeGeneration = -1;
    private Tree lastTree;
    private long cookieSeq;

    private WatchState(WatchService service, Path root, Path cookieDir, WatchKey cookieKey) {
        this.service = service;
        this.root = root;
        this.cookieDir = cookieDir;
        this.cookieKey = cookieKey;
    }

    /**
     * Starts watching for the workspace at {@code root}; creates {@code root/.loopwire/} for the
     * sync cookie when missing.
     *
     * @throws IOException when the platform has no event-based watch service (e.g. the polling
     *     one on macOS) or it cannot be started
     */
    public static WatchState start(Path root) throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        if (service.getClass().getName().contains("Polling")) {
            service.close();
            throw new IOException("this platform's WatchService polls; it cannot speed up scans");
        }
        try {
            Path cookieDir = Files.createDirectories(root.resolve(".loopwire"));
            WatchKey key = cookieDir.register(service, StandardWatchEventKinds.ENTRY_CREATE);
            WatchState state = new WatchState(service, root, cookieDir, key);
            OPEN.incrementAndGet();
            return state;
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** Watches started in this JVM and not closed yet. */
    public static int openWatches() {
        return OPEN.get();
    }

    /** The workspace this watch was started for. */
    public Path root() {
        return root;
    }

    /** Why the watch no longer helps, or null while it does. */
    public String disabledReason() {
        return disabled;
    }

    /**
     * Begins a scan against {@code previous}: syncs and collects the directories with events.
     *
     * @return whether directories may be trusted in this scan
     */
    synchronized boolean beginScan(Tree previous) {
        generation++;
        if (disabled != null) {
            return false;
        }
        boolean synced = sync();
        return synced && !overflowed && previous != null && previous == lastTree;
    }

    /** Whether the directory {@code rel} is known to be unchanged since the previous scan. */
    boolean trusted(String rel) {
        Integer g = relGeneration.get(rel);
        WatchKey key = relToKey.get(rel);
        return g != null && g <= lastTreeGeneration && key != null && key.isValid()
                && rel.equals(keyToRel.get(key)) && !dirty.contains(rel);
    }

    /** Whether the watch saw events in the directory {@code rel} since the previous scan. */
    boolean hadEvents(String rel) {
        return dirty.contains(rel);
    }

    /** Watches the directory {@code rel} from now on (call before looking at its entries). */
    void register(String rel, Path abs) {
        if (disabled != null) {
            return;
        }
        try {
            WatchKey key = abs.register(service, KINDS);
            String before = keyToRel.put(key, rel);
            if (before != null && !before.equals(rel)) {
                relToKey.remove(before, key); // the directory moved: its old path is not watched
            }
            relToKey.put(rel, key);
            relGeneration.put(rel, generation);
        } catch (IOException e) {
            disable("cannot watch " + rel + ": " + e.getMessage()); // e.g. the inotify watch limit
        } catch (ClosedWatchServiceException e) {
            disable("closed");
        }
    }

    /** The scan of this generation completed with {@code tree}. */
    synchronized void completed(Tree tree) {
        lastTree = tree;
        lastTreeGeneration = generation;
        dirty = new HashSet<>(); // every event drained so far was seen by this scan
        overflowed = false;
    }

    private void disable(String reason) {
        if (disabled == null) {
            disabled = reason;
        }
    }

    /** Creates a cookie and drains events until it shows up. */
    private boolean sync() {
        String cookie = ".scan-cookie-" + ProcessHandle.current().pid() + "-" + (++cookieSeq);
        Path file = cookieDir.resolve(cookie);
        Set<String> seen = new HashSet<>();
        boolean found = false;
        try {
            Files.deleteIfExists(file);
            Files.createFile(file);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SYNC_TIMEOUT_MILLIS);
            while (true) {
                WatchKey key = found ? service.poll()
                        : service.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (key == null) {
                    break;
                }
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (key == cookieKey) {
                        if (cookie.equals(String.valueOf(event.context()))) {
                            found = true;
                        }
                        continue;
                    }
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        overflowed = true; // events were lost: trust nothing this time
                    }
                    String rel = keyToRel.get(key);
                    if (rel != null) {
                        seen.add(rel);
                    }
                }
                if (!key.reset()) {
                    String rel = keyToRel.remove(key);
                    if (rel != null) {
                        relToKey.remove(rel, key);
                        seen.add(rel);
                    }
                }
            }
        } catch (IOException e) {
            disable("cannot write the sync cookie: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedWatchServiceException e) {
            disable("closed");
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover cookie in .loopwire/ is harmless
            }
        }
        if (!seen.isEmpty()) {
            Set<String> all = new HashSet<>(dirty); // a new set: never mutate one a scan may read
            all.addAll(seen);
            dirty = all;
        }
        return found;
    }

    @Override
    public void close() throws IOException {
        disable("closed");
        if (closed.compareAndSet(false, true)) {
            OPEN.decrementAndGet();
        }
        service.close();
    }
}
