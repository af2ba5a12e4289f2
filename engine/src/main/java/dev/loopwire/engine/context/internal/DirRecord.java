package dev.loopwire.engine.context.internal;

import java.util.Arrays;

/**
 * What one scan saw in one directory: its modification time, the hash of its own
 * {@code .gitignore}, its visible (not ignored) files with size, modification time and an
 * optional content fingerprint, and its visible subdirectories. Names are sorted.
 */
public final class DirRecord {

    /** Fingerprint value meaning "not fingerprinted". */
    public static final long NO_FINGERPRINT = 0L;

    final long mtime;
    final long ignoreHash;
    final String[] files;
    final long[] sizes;
    final long[] mtimes;
    final long[] fingerprints;
    final String[] dirs;

    DirRecord(long mtime, long ignoreHash, String[] files, long[] sizes, long[] mtimes,
            long[] fingerprints, String[] dirs) {
        this.mtime = mtime;
        this.ignoreHash = ignoreHash;
        this.files = files;
        this.sizes = sizes;
        this.mtimes = mtimes;
        this.fingerprints = fingerprints;
        this.dirs = dirs;
    }

    int fileIndex(String name) {
        int i = Arrays.binarySearch(files, name);
        return i < 0 ? -1 : i;
    }

    boolean hasDir(String name) {
        return Arrays.binarySearch(dirs, name) >= 0;
    }

    int fileCount() {
        return files.length;
    }
}
