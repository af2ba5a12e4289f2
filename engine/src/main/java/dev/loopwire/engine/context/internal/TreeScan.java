package dev.loopwire.engine.context.internal;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.context.ArtifactChange;
import dev.loopwire.engine.context.ArtifactChange.Status;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * One scan of a workspace against an optional previous {@link Tree}.
 *
 * <p>A directory whose modification time is unchanged (and was not "racy", i.e. modified within
 * {@link #RACY_WINDOW_MILLIS} of the previous scan's start) has the same entries as before, so
 * its entry list is reused and only its known files and subdirectories are stat'ed. Any other
 * directory is listed again. A file whose size and modification time are unchanged is unchanged,
 * except when it was racy at the previous scan: such files carry a content fingerprint, which is
 * compared. A changed {@code .gitignore} or {@code .git/info/exclude} makes the affected subtree
 * (or everything) be listed again.
 */
public final class TreeScan {

    /** Files and directories modified this close to a scan's start are not trusted by stat alone. */
    public static final long RACY_WINDOW_MILLIS = 3_000;

    /** Racy files larger than this are not fingerprinted (a same-size rewrite in the same tick goes unseen). */
    public static final long FINGERPRINT_MAX_BYTES = 16L << 20;

    /** Largest ignore file read; longer ones are read up to this size. */
    static final int IGNORE_FILE_MAX_BYTES = 1 << 20;

    private static final String[] NONE = new String[0];

    /** A directory's modification time not looked up yet. */
    private static final long UNKNOWN_MTIME = Long.MIN_VALUE;

    private final Path root;
    private final Tree prev;
    private final boolean report;
    private final long startMillis;
    private final Cancellation cancel;
    private final Thread caller;
    private final Map<String, DirRecord> dirs;
    private final ConcurrentLinkedQueue<ArtifactChange> found = new ConcurrentLinkedQueue<>();
    private List<ArtifactChange> changes;

    private final AtomicInteger listed = new AtomicInteger();
    private final AtomicInteger reused = new AtomicInteger();
    private final AtomicInteger statted = new AtomicInteger();
    private final AtomicInteger hashed = new AtomicInteger();
    private final AtomicInteger unreadable = new AtomicInteger();

    /** Threads that stat and list directories in parallel (daemons, created on first use). */
    private static final class Pool {
        static final ForkJoinPool INSTANCE = new ForkJoinPool(
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
                pool -> {
                    ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                    t.setName("loopwire-artifact-scan-" + t.getPoolIndex());
                    t.setDaemon(true);
                    return t;
                }, null, false);
    }

    /** Directories whose entries were read. */
    public int listed() {
        return listed.get();
    }

    /** Directories whose entry list was reused. */
    public int reused() {
        return reused.get();
    }

    /** Entries stat'ed. */
    public int statted() {
        return statted.get();
    }

    /** Files fingerprinted. */
    public int hashed() {
        return hashed.get();
    }

    /** Unreadable directories. */
    public int unreadable() {
        return unreadable.get();
    }

    private final WatchState watch;
    private final boolean trustWatch;
    private final AtomicInteger trusted = new AtomicInteger();

    /** Directories reused on the watch's word, without any stat. */
    public int trusted() {
        return trusted.get();
    }

    private TreeScan(Path root, Tree prev, long startMillis, Cancellation cancel, WatchState watch) {
        this.watch = watch != null && watch.root().equals(root) ? watch : null; // another workspace's: unused
        this.trustWatch = this.watch != null && this.watch.beginScan(prev);
        this.root = root;
        this.prev = prev;
        this.report = prev != null;
        this.startMillis = startMillis;
        this.cancel = cancel == null ? Cancellation.NONE : cancel;
        this.caller = Thread.currentThread();
        this.dirs = new ConcurrentHashMap<>(prev == null ? 1024 : prev.dirs.size() * 4 / 3 + 16);
    }

    /** Scans {@code root} (an existing directory) against {@code previous} (null: no baseline). */
    public static TreeScan run(Path root, Tree previous, Cancellation cancel, WatchState watch)
            throws IOException {
        TreeScan scan = new TreeScan(root, previous, System.currentTimeMillis(), cancel, watch);
        scan.scanRoot();
        if (watch != null) {
            watch.completed(scan.tree);
        }
        return scan;
    }

    /** The tree seen. */
    public Tree tree() {
        return tree;
    }

    /** The changes against the previous tree, sorted by path (empty without one). */
    public List<ArtifactChange> changes() {
        return changes;
    }

    private Tree tree;

    private void scanRoot() throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(root, BasicFileAttributes.class);
        if (!attrs.isDirectory()) {
            throw new IOException("not a directory: " + root);
        }
        IgnoreChain chain = IgnoreChain.EMPTY;
        long excludeHash = 0;
        Path gitDir = root.resolve(".git");
        if (Files.isDirectory(gitDir, LinkOption.NOFOLLOW_LINKS)) {
            byte[] exclude = readIgnoreFile(gitDir.resolve("info").resolve("exclude"));
            if (exclude != null) {
                excludeHash = hash(exclude);
                chain = IgnoreChain.root(IgnoreRules.parse(new String(exclude, StandardCharsets.UTF_8)));
            }
        }
        boolean force = prev != null && prev.excludeHash != excludeHash;
        IgnoreChain rootChain = chain;
        long rootMtime = nanos(attrs);
        DirRecord rootOld = prev == null ? null : prev.dirs.get("");
        try {
            Pool.INSTANCE.invoke(ForkJoinTask.adapt(() -> visit("", root, rootMtime, rootOld, rootChain, force)));
        } catch (CancellationException e) {
            throw new CancellationException(e.getMessage());
        }
        changes = new ArrayList<>(found);
        changes.sort((a, b) -> a.path().compareTo(b.path()));
        tree = new Tree(startMillis, excludeHash, new HashMap<>(dirs));
    }

    private void visit(String rel, Path abs, long mtime, DirRecord old, IgnoreChain parentChain,
            boolean force) {
        if (cancel.isCancelled() || caller.isInterrupted()) {
            throw new CancellationException("artifact scan cancelled");
        }
        if (trustWatch && !force && old != null && watch.trusted(rel)) {
            trust(rel, abs, old, parentChain);
            return;
        }
        if (mtime == UNKNOWN_MTIME) {
            BasicFileAttributes a = lstat(abs);
            if (a == null || !a.isDirectory()) {
                keepAsItWas(rel, old); // vanished after the sync: the next scan sees its parent's event
                return;
            }
            mtime = nanos(a);
        }
        if (watch != null) {
            watch.register(rel, abs); // before looking at the entries, so no later change is missed
        }
        boolean relist = force || old == null || old.mtime != mtime || racy(old.mtime, prev.scanMillis)
                || trustWatch && watch.hadEvents(rel); // e.g. an entry added and the time put back
        String[] names = null;
        if (relist) {
            names = list(abs);
            if (names == null) {
                keepAsItWas(rel, old);
                return;
            }
        }
        boolean hasIgnoreFile = relist ? Arrays.asList(names).contains(".gitignore") : old.ignoreHash != 0;
        long ignoreHash = 0;
        IgnoreRules rules = null;
        if (hasIgnoreFile) {
            byte[] content = readIgnoreFile(abs.resolve(".gitignore"));
            if (content != null) {
                ignoreHash = hash(content);
                rules = IgnoreRules.parse(new String(content, StandardCharsets.UTF_8));
            }
        }
        if (old != null && ignoreHash != old.ignoreHash) {
            force = true; // the rules for this subtree changed: look at everything again
        }
        IgnoreChain chain = parentChain.push(rel, rules);
        if (!force && !relist && reuse(rel, abs, mtime, ignoreHash, old, chain)) {
            return;
        }
        if (names == null) {
            names = list(abs);
            if (names == null) {
                keepAsItWas(rel, old);
                return;
            }
        }
        relist(rel, abs, mtime, ignoreHash, names, old, chain, force);
    }

    /** No event since the previous scan: reuse the record as it is, and look at the children. */
    private void trust(String rel, Path abs, DirRecord old, IgnoreChain parentChain) {
        trusted.incrementAndGet();
        IgnoreChain chain = parentChain;
        if (old.ignoreHash != 0) {
            byte[] content = readIgnoreFile(abs.resolve(".gitignore"));
            if (content != null) {
                chain = parentChain.push(rel, IgnoreRules.parse(new String(content, StandardCharsets.UTF_8)));
            }
        }
        dirs.put(rel, old);
        IgnoreChain c0 = chain;
        List<ForkJoinTask<?>> tasks = new ArrayList<>(old.dirs.length);
        for (String name : old.dirs) {
            String c = child(rel, name);
            Path p = abs.resolve(name);
            DirRecord o = prev.dirs.get(c);
            tasks.add(ForkJoinTask.adapt(() -> visit(c, p, UNKNOWN_MTIME, o, c0, false)));
        }
        ForkJoinTask.invokeAll(tasks);
    }

    /** The fast path: same entries as last time; stat them. False when they turned out different. */
    private boolean reuse(String rel, Path abs, long mtime, long ignoreHash, DirRecord old, IgnoreChain chain) {
        int nf = old.files.length;
        long[] sizes = new long[nf];
        long[] mtimes = new long[nf];
        boolean[] regular = new boolean[nf];
        Path[] paths = new Path[nf];
        for (int i = 0; i < nf; i++) {
            paths[i] = abs.resolve(old.files[i]);
            BasicFileAttributes a = lstat(paths[i]);
            if (a == null || a.isDirectory()) {
                return false; // changed while we looked: list the directory instead
            }
            sizes[i] = a.size();
            mtimes[i] = nanos(a);
            regular[i] = a.isRegularFile();
        }
        int nd = old.dirs.length;
        long[] dirMtimes = new long[nd];
        for (int j = 0; j < nd; j++) {
            BasicFileAttributes a = lstat(abs.resolve(old.dirs[j]));
            if (a == null || !a.isDirectory()) {
                return false;
            }
            dirMtimes[j] = nanos(a);
        }
        reused.incrementAndGet();
        long[] fps = new long[nf];
        for (int i = 0; i < nf; i++) {
            fps[i] = fileSeen(rel, old.files[i], paths[i], sizes[i], mtimes[i], regular[i], old, i);
        }
        dirs.put(rel, new DirRecord(mtime, ignoreHash, old.files, sizes, mtimes, fps, old.dirs));
        List<ForkJoinTask<?>> tasks = new ArrayList<>(nd);
        for (int j = 0; j < nd; j++) {
            String c = child(rel, old.dirs[j]);
            Path p = abs.resolve(old.dirs[j]);
            long m = dirMtimes[j];
            DirRecord o = prev.dirs.get(c);
            tasks.add(ForkJoinTask.adapt(() -> visit(c, p, m, o, chain, false)));
        }
        ForkJoinTask.invokeAll(tasks);
        return true;
    }

    private void relist(String rel, Path abs, long mtime, long ignoreHash, String[] names,
            DirRecord old, IgnoreChain chain, boolean force) {
        listed.incrementAndGet();
        Arrays.sort(names);
        List<String> files = new ArrayList<>(names.length);
        List<BasicFileAttributes> fileAttrs = new ArrayList<>(names.length);
        List<String> subdirs = new ArrayList<>();
        List<Long> subdirMtimes = new ArrayList<>();
        Set<String> ignored = null;
        for (String name : names) {
            if (name.equals(".git") || name.equalsIgnoreCase(".loopwire")) {
                continue;
            }
            BasicFileAttributes a = lstat(abs.resolve(name));
            if (a == null) {
                continue;
            }
            String c = child(rel, name);
            if (chain.isIgnored(c, name, a.isDirectory())) {
                if (ignored == null) {
                    ignored = new HashSet<>();
                }
                ignored.add(name);
                continue;
            }
            if (a.isDirectory()) {
                subdirs.add(name);
                subdirMtimes.add(nanos(a));
            } else {
                files.add(name);
                fileAttrs.add(a);
            }
        }
        int nf = files.size();
        String[] fileNames = files.toArray(NONE);
        long[] sizes = new long[nf];
        long[] mtimes = new long[nf];
        long[] fps = new long[nf];
        for (int i = 0; i < nf; i++) {
            BasicFileAttributes a = fileAttrs.get(i);
            sizes[i] = a.size();
            mtimes[i] = nanos(a);
            int oi = old == null ? -1 : old.fileIndex(fileNames[i]);
            fps[i] = fileSeen(rel, fileNames[i], abs.resolve(fileNames[i]), sizes[i], mtimes[i],
                    a.isRegularFile(), old, oi);
        }
        String[] dirNames = subdirs.toArray(NONE);
        if (old != null && report) {
            for (int i = 0; i < old.files.length; i++) {
                String name = old.files[i];
                if (Arrays.binarySearch(fileNames, name) < 0 && (ignored == null || !ignored.contains(name))) {
                    deleted(child(rel, name), old.sizes[i], old.mtimes[i]);
                }
            }
            for (String name : old.dirs) {
                if (Arrays.binarySearch(dirNames, name) < 0 && (ignored == null || !ignored.contains(name))) {
                    deletedSubtree(child(rel, name));
                }
            }
        }
        dirs.put(rel, new DirRecord(mtime, ignoreHash, fileNames, sizes, mtimes, fps, dirNames));
        List<ForkJoinTask<?>> tasks = new ArrayList<>(dirNames.length);
        for (int j = 0; j < dirNames.length; j++) {
            String c = child(rel, dirNames[j]);
            DirRecord oldChild = old != null && old.hasDir(dirNames[j]) ? prev.dirs.get(c) : null;
            Path p = abs.resolve(dirNames[j]);
            long m = subdirMtimes.get(j);
            boolean f = force;
            tasks.add(ForkJoinTask.adapt(() -> visit(c, p, m, oldChild, chain, f)));
        }
        ForkJoinTask.invokeAll(tasks);
    }

    /** Records a file seen now; reports it when new or changed; returns its fingerprint. */
    private long fileSeen(String rel, String name, Path file, long size, long mtime, boolean regular,
            DirRecord old, int oi) {
        boolean racy = regular && size <= FINGERPRINT_MAX_BYTES && racy(mtime, startMillis);
        if (old == null || oi < 0) {
            change(child(rel, name), Status.NEW, size, mtime);
            return racy ? fingerprint(file) : DirRecord.NO_FINGERPRINT;
        }
        if (old.sizes[oi] != size || old.mtimes[oi] != mtime) {
            change(child(rel, name), Status.MODIFIED, size, mtime);
            return racy ? fingerprint(file) : DirRecord.NO_FINGERPRINT;
        }
        long oldFp = old.fingerprints[oi];
        if (oldFp == DirRecord.NO_FINGERPRINT && !racy) {
            return DirRecord.NO_FINGERPRINT;
        }
        long fp = regular ? fingerprint(file) : DirRecord.NO_FINGERPRINT;
        if (oldFp != DirRecord.NO_FINGERPRINT && fp != DirRecord.NO_FINGERPRINT && fp != oldFp) {
            change(child(rel, name), Status.MODIFIED, size, mtime);
        }
        return racy ? fp : DirRecord.NO_FINGERPRINT;
    }

    private void change(String path, Status status, long size, long mtime) {
        if (report) {
            found.add(new ArtifactChange(path, status, size, instant(mtime)));
        }
    }

    private void deleted(String path, long size, long mtime) {
        found.add(new ArtifactChange(path, Status.DELETED, size, instant(mtime)));
    }

    private void deletedSubtree(String rel) {
        DirRecord d = prev.dirs.get(rel);
        if (d == null) {
            return;
        }
        for (int i = 0; i < d.files.length; i++) {
            deleted(child(rel, d.files[i]), d.sizes[i], d.mtimes[i]);
        }
        for (String sub : d.dirs) {
            deletedSubtree(child(rel, sub));
        }
    }

    /** An unreadable directory keeps what we knew about it (and below it): nothing is reported. */
    private void keepAsItWas(String rel, DirRecord old) {
        unreadable.incrementAndGet();
        if (old == null) {
            dirs.put(rel, new DirRecord(0, 0, NONE, new long[0], new long[0], new long[0], NONE));
            return;
        }
        dirs.put(rel, old);
        for (String sub : old.dirs) {
            String c = child(rel, sub);
            DirRecord d = prev.dirs.get(c);
            if (d != null) {
                keepAsItWas(c, d);
                unreadable.decrementAndGet();
            }
        }
    }

    private BasicFileAttributes lstat(Path p) {
        statted.incrementAndGet();
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    private String[] list(Path dir) {
        String[] names = new File(dir.toString()).list();
        if (names == null) {
            return null;
        }
        return names;
    }

    private long fingerprint(Path file) {
        hashed.incrementAndGet();
        CRC32C c1 = new CRC32C();
        CRC32 c2 = new CRC32();
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                c1.update(buf, 0, n);
                c2.update(buf, 0, n);
                total += n;
                if (total > FINGERPRINT_MAX_BYTES) {
                    return DirRecord.NO_FINGERPRINT;
                }
            }
        } catch (IOException e) {
            return DirRecord.NO_FINGERPRINT;
        }
        long fp = (c1.getValue() << 32) | c2.getValue();
        return fp == DirRecord.NO_FINGERPRINT ? 1 : fp;
    }

    private static byte[] readIgnoreFile(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return null; // git does not follow a symbolic link named .gitignore either
            }
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                return in.readNBytes(IGNORE_FILE_MAX_BYTES);
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static long hash(byte[] content) {
        CRC32C c = new CRC32C();
        c.update(content);
        long h = (c.getValue() << 32) | (content.length & 0xffffffffL);
        return h == 0 ? 1 : h;
    }

    private static boolean racy(long mtimeNanos, long scanMillis) {
        return Math.floorDiv(mtimeNanos, 1_000_000L) >= scanMillis - RACY_WINDOW_MILLIS;
    }

    private static long nanos(BasicFileAttributes a) {
        return a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static String child(String rel, String name) {
        return rel.isEmpty() ? name : rel + "/" + name;
    }
}
