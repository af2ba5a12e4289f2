package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.tools.Workspace;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Hard links: a regular file with more than one link may be the same inode as a file outside
 * the workspace (someone ran {@code ln ~/.ssh/id_rsa x}). Such a file is only used when every
 * one of its links can be found inside the workspace; the search is bounded, and what it cannot
 * prove is refused.
 */
final class HardLinks {

    /** Directory entries looked at, at most, to find a file's other links. */
    static final int MAX_ENTRIES_SCANNED = 200_000;

    /** Decides whether all links of a multiply-linked file are inside the workspace. */
    interface Checker {
        boolean allLinksInside(Path file, int linkCount) throws IOException;
    }

    private HardLinks() {
    }

    /** A checker that walks the workspace for each file it is asked about (for single files). */
    static Checker perFile(Workspace workspace) {
        return (file, linkCount) -> allLinksInside(workspace, file, linkCount);
    }

    /**
     * A checker that counts the links of every multiply-linked file in the workspace once, on
     * first use, and answers from those counts (for walks over many files).
     */
    static Checker census(Workspace workspace) {
        return new Census(workspace);
    }

    /**
     * The number of hard links of a regular file (not following symlinks), or 1 when the file
     * system does not tell (non-POSIX systems: hard links cannot be detected there).
     */
    static int linkCount(Path file) throws IOException {
        try {
            Object count = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            return count instanceof Number n ? n.intValue() : 1;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return 1;
        }
    }

    /**
     * Whether all {@code linkCount} links of {@code file} lie inside the workspace: walks the
     * workspace (not following symbolic links) counting entries with the same file key
     * (device and inode), stopping as soon as all are found.
     */
    static boolean allLinksInside(Workspace workspace, Path file, int linkCount) throws IOException {
        Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        if (key == null) {
            return false;
        }
        int[] found = {0};
        walk(workspace.root(), (entry, attributes) -> {
            if (Objects.equals(key, attributes.fileKey())) {
                found[0]++;
            }
            return found[0] < linkCount;
        });
        return found[0] >= linkCount; // a walk cut short by the bound proves nothing: refused
    }

    private interface EntryVisitor {
        /** @return false to stop */
        boolean visit(Path entry, BasicFileAttributes attributes) throws IOException;
    }

    /** Visits every regular file under {@code root}; false when stopped by the visitor or the bound. */
    private static boolean walk(Path root, EntryVisitor visitor) throws IOException {
        int scanned = 0;
        Deque<Path> directories = new ArrayDeque<>();
        directories.push(root);
        while (!directories.isEmpty()) {
            Path directory = directories.pop();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
                for (Path entry : entries) {
                    if (++scanned > MAX_ENTRIES_SCANNED) {
                        return false;
                    }
                    BasicFileAttributes attributes;
                    try {
                        attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    } catch (IOException e) {
                        continue;
                    }
                    if (attributes.isDirectory()) {
                        directories.push(entry);
                    } else if (attributes.isRegularFile() && !visitor.visit(entry, attributes)) {
                        return false;
                    }
                }
            } catch (IOException e) {
                // An unreadable directory: links in it stay unfound, so their files are refused.
            }
        }
        return true;
    }

    /** Link counts of the workspace's multiply-linked files, taken once. */
    private static final class Census implements Checker {
        private final Workspace workspace;
        private Map<Object, Integer> counts;

        Census(Workspace workspace) {
            this.workspace = workspace;
        }

        @Override
        public boolean allLinksInside(Path file, int linkCount) throws IOException {
            if (counts == null) {
                Map<Object, Integer> found = new HashMap<>();
                walk(workspace.root(), (entry, attributes) -> {
                    if (attributes.fileKey() != null && linkCount(entry) > 1) {
                        found.merge(attributes.fileKey(), 1, Integer::sum);
                    }
                    return true;
                });
                counts = found; // a walk cut short by the bound leaves counts low: refused
            }
            Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return key != null && counts.getOrDefault(key, 0) >= linkCount;
        }
    }
}
