package dev.loopwire.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A loop's {@code journal.jsonl}: one JSON object a line. An append reaches the OS at once (it
 * survives a crash of this process); {@link #force} makes everything appended so far durable
 * (it survives a power loss) and is called at the loop's commit points.
 * A torn last line (a crash in the middle of a write) is cut off on {@link #open} and kept in
 * {@code journal.jsonl.torn} so that nothing is silently dropped.
 * <p>
 * An append that fails in this process (a full disk cutting a line short, an interrupt closing
 * the channel) is thrown to the caller and undone before the next append: the file is truncated
 * back to the end of the last whole line (or, when it cannot be truncated, the next line starts
 * with a line break so that the fragment stays a line of its own, skipped by {@link #read}), and
 * the failed event's {@code seq} is given to the next one. So no event is ever glued to a torn one.
 */
public final class Journal implements AutoCloseable {

    /** Opens the channel appends go through; tests pass one that fails on purpose. */
    interface Channels {
        FileChannel open(Path file) throws IOException;
    }

    private static final Channels APPEND = file -> FileChannel.open(file, StandardOpenOption.CREATE,
            StandardOpenOption.WRITE, StandardOpenOption.APPEND);

    private final Path file;
    private final Channels channels;
    private FileChannel channel;
    private long seq;
    /** Events were written to the OS since the last {@link #force}. */
    private boolean dirty;
    /** Where the last whole line ends; -1 when unknown (after an append that could not be undone). */
    private long goodEnd;
    /** An append failed: bytes of it may follow {@link #goodEnd}. */
    private boolean failed;

    private Journal(Path file, Channels channels, FileChannel channel, long seq, long goodEnd) {
        this.file = file;
        this.channels = channels;
        this.channel = channel;
        this.seq = seq;
        this.goodEnd = goodEnd;
    }

    /** Opens (creating) the journal, repairing a torn last line first. */
    public static Journal open(Path file) throws IOException {
        return open(file, APPEND);
    }

    static Journal open(Path file, Channels channels) throws IOException {
        repair(file);
        long lines = 0;
        if (Files.exists(file)) {
            for (byte b : Files.readAllBytes(file)) {
                if (b == '\n') {
                    lines++;
                }
            }
        }
        FileChannel channel = channels.open(file);
        return new Journal(file, channels, channel, lines, channel.size());
    }

    /**
     * Cuts an unterminated last line off the file. Returns the torn bytes' length (0 when the
     * file was whole).
     */
    public static int repair(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        int torn = bytes.length - end;
        if (torn == 0) {
            return 0;
        }
        Path aside = file.resolveSibling(file.getFileName() + ".torn");
        Files.write(aside, java.util.Arrays.copyOfRange(bytes, end, bytes.length),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(end);
            channel.force(true);
        }
        return torn;
    }

    /** Appends one event: {@code {seq, at, type, ...fields}}; written to the OS, forced by {@link #force}. */
    public synchronized void append(String at, String type, Map<String, ?> fields) throws IOException {
        append(at, type, fields, java.util.function.UnaryOperator.identity());
    }

    /** Appends one event, its JSON line passed through {@code redact} first (secrets never reach disk). */
    public synchronized void append(String at, String type, Map<String, ?> fields,
            java.util.function.UnaryOperator<String> redact) throws IOException {
        boolean separate = failed && !undoFailedAppend();
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("seq", seq + 1);
        event.put("at", at);
        event.put("type", type);
        event.putAll(fields);
        byte[] line = ((separate ? "\n" : "") + redact.apply(Json.line(event)) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        try {
            FileChannel out = channel();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (IOException e) {
            failed = true;
            throw e;
        }
        seq++;
        dirty = true;
        failed = false;
        goodEnd = separate || goodEnd < 0 ? currentEnd() : goodEnd + line.length;
    }

    /** The append channel, opened again when an interrupt (or a failure) closed it. */
    private FileChannel channel() throws IOException {
        if (!channel.isOpen()) {
            channel = channels.open(file);
        }
        return channel;
    }

    /**
     * Cuts what a failed append left after the last whole line. False when that is impossible
     * (the end of the last whole line is unknown, or the file cannot be truncated).
     */
    private boolean undoFailedAppend() {
        if (goodEnd < 0) {
            return false;
        }
        try {
            FileChannel out = channel();
            if (out.size() > goodEnd) {
                out.truncate(goodEnd);
            }
            if (out.size() != goodEnd) {
                return false;
            }
            failed = false;
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The file's end after a whole line was appended; -1 when it cannot be known. */
    private long currentEnd() {
        try {
            return channel.size();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Forces the events appended since the last force to disk (a commit point). */
    public synchronized void force() throws IOException {
        if (dirty) {
            // fsync through a channel opened again still flushes what the closed one wrote
            channel().force(false);
            dirty = false;
        }
    }

    /** Every whole, parseable event of a journal file, oldest first (unparseable lines skipped). */
    public static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.exists(file)) {
            return events;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(Json.MAPPER.readTree(line));
            } catch (IOException e) {
                // A damaged line in the middle: keep reading the rest.
            }
        }
        return events;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            force();
        } finally {
            channel.close();
        }
    }
}
