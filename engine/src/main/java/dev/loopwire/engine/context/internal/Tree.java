package dev.loopwire.engine.context.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The data of one snapshot: every visible directory of the workspace (key {@code ""} is the
 * root, others are {@code /}-separated relative paths) and when the scan started.
 */
public final class Tree {

    final long scanMillis;
    final long excludeHash;
    final Map<String, DirRecord> dirs;
    private final int fileCount;

    Tree(long scanMillis, long excludeHash, Map<String, DirRecord> dirs) {
        this.scanMillis = scanMillis;
        this.excludeHash = excludeHash;
        this.dirs = Collections.unmodifiableMap(dirs);
        int n = 0;
        for (DirRecord d : dirs.values()) {
            n += d.fileCount();
        }
        this.fileCount = n;
    }

    /** Wall-clock time (epoch milliseconds) when the scan that produced this tree started. */
    public long scanMillis() {
        return scanMillis;
    }

    /** Number of visible files. */
    public int fileCount() {
        return fileCount;
    }

    /** Number of visible directories, the root included. */
    public int directoryCount() {
        return dirs.size();
    }

    /**
     * Size, modification time (epoch nanoseconds) and fingerprint of a file, or null when the
     * tree has no such visible file.
     */
    public long[] file(String path) {
        int slash = path.lastIndexOf('/');
        DirRecord d = dirs.get(slash < 0 ? "" : path.substring(0, slash));
        if (d == null) {
            return null;
        }
        int i = d.fileIndex(path.substring(slash + 1));
        return i < 0 ? null : new long[] {d.sizes[i], d.mtimes[i], d.fingerprints[i]};
    }

    /** Every visible file's path, sorted. */
    public List<String> paths() {
        List<String> out = new ArrayList<>(fileCount);
        for (Map.Entry<String, DirRecord> e : dirs.entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + "/";
            for (String f : e.getValue().files) {
                out.add(prefix + f);
            }
        }
        Collections.sort(out);
        return out;
    }
}
