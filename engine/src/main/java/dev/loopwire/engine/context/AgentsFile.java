package dev.loopwire.engine.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The workspace's {@code AGENTS.md} (instructions for agents, see agents.md), as read for one
 * prompt: read fresh every time, so an edit between iterations is what the next prompt sees.
 *
 * @param path the file's name relative to the workspace root ({@code AGENTS.md})
 * @param text the file's text, cut to the cap at a line boundary when it was longer
 * @param size the file's full size in bytes
 * @param truncated whether {@code text} is only the head of the file
 */
public record AgentsFile(String path, String text, long size, boolean truncated) {

    /** The file name looked for at the workspace root. */
    public static final String FILE_NAME = "AGENTS.md";

    /** Default cap on the bytes put into a prompt. */
    public static final int DEFAULT_MAX_BYTES = 16 * 1024;

    /** Validates the components. */
    public AgentsFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
    }

    /** {@link #read(Path, int)} with {@link #DEFAULT_MAX_BYTES}. */
    public static Optional<AgentsFile> read(Path root) throws IOException {
        return read(root, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads {@code AGENTS.md} at {@code root}, when it is a regular file inside the workspace (a
     * symbolic link pointing outside it is not read).
     *
     * @return empty when there is no such file
     * @throws IOException when the file exists but cannot be read
     */
    public static Optional<AgentsFile> read(Path root, int maxBytes) throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        Path file = root.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (Files.isSymbolicLink(file) && !file.toRealPath().startsWith(root.toRealPath())) {
            return Optional.empty();
        }
        long size = Files.size(file);
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(maxBytes);
        }
        boolean truncated = size > head.length;
        String text = decodeHead(head, truncated);
        if (truncated) {
            int nl = text.lastIndexOf('\n');
            if (nl >= text.length() / 2) {
                text = text.substring(0, nl + 1);
            }
        }
        return Optional.of(new AgentsFile(FILE_NAME, text, Math.max(size, head.length), truncated));
    }

    /** Decodes UTF-8; a character cut by the cap is dropped rather than shown as garbage. */
    private static String decodeHead(byte[] bytes, boolean cut) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        d.decode(in, out, !cut);
        if (!cut) {
            d.flush(out);
        }
        out.flip();
        return out.toString();
    }
}
