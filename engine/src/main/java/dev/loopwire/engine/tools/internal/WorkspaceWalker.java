package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.tools.Workspace;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Walks a directory of the workspace depth-first, entries of each directory in name order,
 * without following symbolic links, skipping {@code .git/} and {@code .loopwire/} directories,
 * and stopping after a bounded number of entries or on cancellation.
 */
final class WorkspaceWalker {

    /** Directory names never entered. */
    static final Set<String> SKIPPED_DIRECTORIES = Set.of(".git", Workspace.LOOPWIRE_DIR);

    /** Entries looked at, at most, in one walk. */
    static final int MAX_ENTRIES = 200_000;

    private static final int MAX_DEPTH = 256;

    /** Receives each entry that is not a directory. */
    interface Visitor {
        /** @return false to stop the walk */
        boolean visit(Path entry, BasicFileAttributes attributes) throws ToolFailure;
    }

    /** How a walk ended. */
    static final class Outcome {
        int entries;
        int unreadableDirectories;
        boolean entryLimitReached;
        boolean stoppedByVisitor;
    }

    /** Whether a directory of this name is never entered ({@code .loopwire} in any case). */
    static boolean isSkipped(String directoryName) {
        return directoryName.equals(".git") || directoryName.equalsIgnoreCase(Workspace.LOOPWIRE_DIR);
    }

    private final Cancellation cancel;
    private final Outcome outcome = new Outcome();

    WorkspaceWalker(Cancellation cancel) {
        this.cancel = cancel == null ? Cancellation.NONE : cancel;
    }

    /** Walks {@code start}, a resolved directory. */
    Outcome walk(Path start, Visitor visitor) throws ToolFailure, InterruptedException {
        walkDirectory(start, visitor, 0);
        return outcome;
    }

    private boolean walkDirectory(Path directory, Visitor visitor, int depth)
            throws ToolFailure, InterruptedException {
        if (cancel.isCancelled() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("cancelled");
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path entry : stream) {
                entries.add(entry);
            }
        } catch (IOException e) {
            outcome.unreadableDirectories++;
            return true;
        }
        entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path entry : entries) {
            if (++outcome.entries > MAX_ENTRIES) {
                outcome.entryLimitReached = true;
                return false;
            }
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                continue;
            }
            if (attributes.isDirectory()) {
                if (isSkipped(entry.getFileName().toString()) || depth >= MAX_DEPTH) {
                    continue;
                }
                if (!walkDirectory(entry, visitor, depth + 1)) {
                    return false;
                }
            } else if (!visitor.visit(entry, attributes)) {
                outcome.stoppedByVisitor = true;
                return false;
            }
        }
        return true;
    }
}
