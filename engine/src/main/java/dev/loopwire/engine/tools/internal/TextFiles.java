package dev.loopwire.engine.tools.internal;

import dev.loopwire.engine.tools.Workspace;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Reading and writing the workspace's text files safely: regular files only (no devices,
 * FIFOs or sockets), hard links only when all of them are inside, UTF-8 text only, bounded size,
 * writes by atomic replace.
 */
final class TextFiles {

    /** Files larger than this are refused by read, edit and search. */
    static final long MAX_FILE_BYTES = 10L * 1024 * 1024;

    private static final Set<PosixFilePermission> NEW_FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    private TextFiles() {
    }

    /** Attributes of an existing path, not following links; null when it does not exist. */
    static BasicFileAttributes attributesOrNull(Path path) throws ToolFailure {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ToolFailure("cannot access '" + path.getFileName() + "': " + describe(e));
        }
    }

    /**
     * Checks that {@code file} (resolved, existing) may be read or replaced: a regular file
     * whose hard links, if any, all lie inside the workspace.
     */
    static BasicFileAttributes requireUsableFile(Workspace workspace, Path file, String shown) throws ToolFailure {
        return requireUsableFile(workspace, file, shown, HardLinks.perFile(workspace));
    }

    /** As {@link #requireUsableFile(Workspace, Path, String)}, with a given hard-link checker. */
    static BasicFileAttributes requireUsableFile(Workspace workspace, Path file, String shown,
            HardLinks.Checker links) throws ToolFailure {
        BasicFileAttributes attributes = attributesOrNull(file);
        if (attributes == null) {
            throw new ToolFailure("file not found: '" + shown + "' (list_files shows what exists)");
        }
        if (attributes.isDirectory()) {
            throw new ToolFailure("'" + shown + "' is a directory, not a file (use list_files to see inside it)");
        }
        if (!attributes.isRegularFile()) {
            throw new ToolFailure("'" + shown + "' is refused: it is not a regular file (a device, FIFO, socket"
                    + " or other special file); file tools only read and write regular files");
        }
        try {
            int count = HardLinks.linkCount(file);
            if (count > 1 && !links.allLinksInside(file, count)) {
                throw new ToolFailure("'" + shown + "' is refused: it has " + count + " hard links and not all"
                        + " of them could be found inside the workspace, so it may be a file outside");
            }
        } catch (IOException e) {
            throw new ToolFailure("cannot access '" + shown + "': " + describe(e));
        }
        return attributes;
    }

    /** Reads a usable file as UTF-8 text, refusing huge and binary files. */
    static String readText(Workspace workspace, Path file, String shown) throws ToolFailure {
        return readText(workspace, file, shown, HardLinks.perFile(workspace));
    }

    /** As {@link #readText(Workspace, Path, String)}, with a given hard-link checker. */
    static String readText(Workspace workspace, Path file, String shown, HardLinks.Checker links)
            throws ToolFailure {
        BasicFileAttributes attributes = requireUsableFile(workspace, file, shown, links);
        if (attributes.size() > MAX_FILE_BYTES) {
            throw new ToolFailure("'" + shown + "' is refused: it is " + attributes.size() + " bytes, over the "
                    + MAX_FILE_BYTES + "-byte limit for text files (use run_command with head, tail or grep)");
        }
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (size > MAX_FILE_BYTES) {
                throw new ToolFailure("'" + shown + "' is refused: it grew over the " + MAX_FILE_BYTES + "-byte limit");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // keep reading
            }
            bytes = buffer.array();
            if (buffer.position() < bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, buffer.position());
            }
        } catch (IOException e) {
            throw new ToolFailure("cannot read '" + shown + "': " + describe(e));
        }
        return decode(bytes, shown);
    }

    /** Decodes strict UTF-8; a NUL byte or invalid UTF-8 means "binary". */
    static String decode(byte[] bytes, String shown) throws ToolFailure {
        for (byte b : bytes) {
            if (b == 0) {
                throw new ToolFailure("'" + shown + "' is refused: it looks binary (it contains NUL bytes);"
                        + " file tools handle UTF-8 text only");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ToolFailure("'" + shown + "' is refused: it is not valid UTF-8 text (binary or another"
                    + " encoding); file tools handle UTF-8 text only");
        }
    }

    /**
     * Replaces (or creates) {@code file} with {@code text} atomically: missing parent
     * directories are created, the text goes to a temporary file in the same directory, is
     * flushed to disk, and is renamed over the target. The rename replaces the directory entry,
     * so a write never goes through to another hard link of the old file. An existing file keeps
     * its permissions.
     */
    static void writeAtomically(Path file, String text, String shown) throws ToolFailure {
        Path parent = file.getParent();
        try {
            Files.createDirectories(parent);
        } catch (FileAlreadyExistsException e) {
            throw new ToolFailure("cannot create the parent directories of '" + shown
                    + "': a file with that name is in the way");
        } catch (IOException e) {
            throw new ToolFailure("cannot create the parent directories of '" + shown + "': " + describe(e));
        }
        Path temp = null;
        try {
            temp = Files.createTempFile(parent, ".loopwire-write-", ".tmp"); // short: names have a length limit
            Set<PosixFilePermission> permissions = NEW_FILE_PERMISSIONS;
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                permissions = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            }
            try {
                Files.setPosixFilePermissions(temp, permissions);
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = StandardCharsets.UTF_8.encode(text);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            syncDirectory(parent);
        } catch (IOException e) {
            throw new ToolFailure("cannot write '" + shown + "': " + describe(e));
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform can sync a directory; the rename itself is atomic.
        }
    }

    /** A short reason for an I/O failure, without a stack trace. */
    static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        String message = e.getMessage();
        String reason = e instanceof java.nio.file.FileSystemException fse ? fse.getReason() : null;
        if (reason != null) {
            return reason;
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** The number of lines of a text (a final line without newline counts). */
    static int lineCount(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        int lines = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines++;
            }
        }
        return text.charAt(text.length() - 1) == '\n' ? lines : lines + 1;
    }

    /** The 1-based line number of a character offset. */
    static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
