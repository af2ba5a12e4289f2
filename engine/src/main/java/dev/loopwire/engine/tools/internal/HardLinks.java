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
import java.util.Objects;

/**
 * Hard links: a regular file with more than one link may be the same inode as a file outside
 * the workspace (someone ran {@code ln /etc/shadow x}). Such a file is only used when every one
 * of its links can be found inside the workspace; the search is bounded, and what it cannot
 * prove is refused.
 */
final class HardLinks {

    /** Directory entries looked at, at most, to find a file's other links. */
    static final int MAX_ENTRIES_SCANNED = 200_000;

    private HardLinks() {
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
        int found = 0;
        int scanned = 0;
        Deque<Path> directories = new ArrayDeque<>();
        directories.push(workspace.root());
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
                    } else if (attributes.isRegularFile() && Objects.equals(key, attributes.fileKey())) {
                        if (++found >= linkCount) {
                            return true;
                        }
                    }
                }
            } catch (IOException e) {
                // An unreadable directory: its links stay unfound, so the file is refused.
            }
        }
        return false;
    }
}
