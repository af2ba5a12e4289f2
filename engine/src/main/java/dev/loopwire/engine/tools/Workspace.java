package dev.loopwire.engine.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A workspace directory that tools may not leave. Every path a tool touches goes through
 * {@link #resolve}: {@code ..} that climbs out, absolute paths elsewhere, symbolic links (at any
 * depth, chained, or dangling) that lead out, NUL characters, and the engine's own
 * {@code .loopwire/} directory are refused with a {@link PathOutsideWorkspaceException}.
 *
 * <p>Resolution works like {@code realpath(3)} with a missing tail allowed: it walks the path one
 * name at a time, follows every symbolic link it meets itself (at most {@value #MAX_LINK_HOPS}
 * hops), and judges the place the path finally names. The result contains no symbolic link, so
 * opening it reaches the file that was judged (short of a concurrent rename by another process,
 * which confinement against the model does not need to cover). Hard links and special files are
 * the file tools' business (see {@code docs/tools.md}).
 */
public final class Workspace {

    /** The engine's own directory inside a workspace. */
    public static final String LOOPWIRE_DIR = ".loopwire";

    /** Symbolic links followed while resolving one path, as Linux's {@code MAXSYMLINKS}. */
    public static final int MAX_LINK_HOPS = 40;

    private final Path root;

    /** @param root an existing directory; it is made absolute and real (symlinks resolved). */
    public Workspace(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize().toRealPath();
        if (!Files.isDirectory(this.root)) {
            throw new IOException("workspace is not a directory: " + this.root);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Resolves a path given by a model or a person (relative to the workspace, or absolute
     * inside it) to a real path inside the workspace. The file need not exist; every symbolic
     * link on the way, dangling or not, must lead to a place inside.
     *
     * @param path a path; null or blank means the workspace itself
     * @throws PathOutsideWorkspaceException with a message that names the path and the reason
     */
    public Path resolve(String path) throws PathOutsideWorkspaceException {
        if (path == null || path.isBlank()) {
            return root;
        }
        if (path.indexOf('\0') >= 0) {
            throw new PathOutsideWorkspaceException(printable(path), "it contains a NUL character");
        }
        Path candidate;
        try {
            candidate = root.getFileSystem().getPath(path);
        } catch (InvalidPathException e) {
            throw new PathOutsideWorkspaceException(path, "it is not a valid path (" + e.getReason() + ")");
        }
        Path absolute = (candidate.isAbsolute() ? candidate : root.resolve(candidate)).normalize();
        if (!absolute.startsWith(root)) {
            throw new PathOutsideWorkspaceException(path, candidate.isAbsolute()
                    ? "absolute paths must lie inside the workspace " + root
                    : "it climbs out of the workspace with '..'");
        }
        Path real = realPath(absolute, path);
        if (!real.startsWith(root)) {
            throw new PathOutsideWorkspaceException(path,
                    "a symbolic link on the way leads outside the workspace");
        }
        if (isInLoopwireDir(real)) {
            throw new PathOutsideWorkspaceException(path,
                    "the " + LOOPWIRE_DIR + "/ directory belongs to Loopwire itself");
        }
        return real;
    }

    /** The workspace-relative form of a resolved path, with {@code /} separators. */
    public String relativize(Path resolved) {
        String rel = root.relativize(resolved).toString().replace('\\', '/');
        return rel.isEmpty() ? "." : rel;
    }

    /**
     * Whether a path inside the workspace lies in Loopwire's own directory. The name is compared
     * ignoring case, so that case-insensitive file systems cannot be used to reach it.
     */
    public boolean isInLoopwireDir(Path inside) {
        if (!inside.startsWith(root)) {
            return false;
        }
        Path relative = root.relativize(inside);
        return relative.getNameCount() > 0
                && relative.getName(0).toString().equalsIgnoreCase(LOOPWIRE_DIR);
    }

    /**
     * Resolves {@code absolute} name by name, following symbolic links like the kernel would;
     * names after the first missing one are appended as they are.
     */
    private Path realPath(Path absolute, String original) throws PathOutsideWorkspaceException {
        Deque<String> pending = new ArrayDeque<>();
        for (Path name : root.relativize(absolute)) {
            pending.addLast(name.toString());
        }
        Path current = root;
        boolean missing = false;
        int hops = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                Path parent = current.getParent();
                current = parent == null ? current : parent;
                continue;
            }
            Path next = current.resolve(name);
            if (missing) {
                current = next;
                continue;
            }
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(next, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                missing = true;
                current = next;
                continue;
            } catch (IOException e) {
                throw new PathOutsideWorkspaceException(original, "it cannot be resolved: " + e.getMessage());
            }
            if (!attributes.isSymbolicLink()) {
                if (!pending.isEmpty() && !attributes.isDirectory()) {
                    throw new PathOutsideWorkspaceException(original,
                            "'" + relativeOrAbsolute(next) + "' is not a directory");
                }
                current = next;
                continue;
            }
            if (++hops > MAX_LINK_HOPS) {
                throw new PathOutsideWorkspaceException(original,
                        "more than " + MAX_LINK_HOPS + " symbolic links on the way (a loop?)");
            }
            Path target;
            try {
                target = Files.readSymbolicLink(next);
            } catch (IOException e) {
                throw new PathOutsideWorkspaceException(original, "a symbolic link on the way cannot be read");
            }
            if (target.isAbsolute()) {
                current = target.getRoot();
            }
            Deque<String> names = new ArrayDeque<>();
            for (Path part : target) {
                names.addLast(part.toString());
            }
            while (!names.isEmpty()) {
                pending.addFirst(names.removeLast());
            }
        }
        return current;
    }

    private String relativeOrAbsolute(Path path) {
        return path.startsWith(root) ? relativize(path) : path.toString();
    }

    private static String printable(String path) {
        return path.replace("\0", "\\0");
    }
}
