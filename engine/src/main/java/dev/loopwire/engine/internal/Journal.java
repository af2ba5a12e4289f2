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
 */
public final class Journal implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private long seq;
    /** Events were written to the OS since the last {@link #force}. */
    private boolean dirty;

    private Journal(Path file, FileChannel channel, long seq) {
        this.file = file;
        this.channel = channel;
        this.seq = seq;
    }

    /** Opens (creating) the journal, repairing a torn last line first. */
    public static Journal open(Path file) throws IOException {
        repair(file);
        long lines = 0;
        if (Files.exists(file)) {
            for (byte b : Files.readAllBytes(file)) {
                if (b == '\n') {
                    lines++;
                }
            }
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new Journal(file, channel, lines);
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
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("seq", ++seq);
        event.put("at", at);
        event.put("type", type);
        event.putAll(fields);
        byte[] line = (redact.apply(Json.line(event)) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        dirty = true;
    }

    /** Forces the events appended since the last force to disk (a commit point). */
    public synchronized void force() throws IOException {
        if (dirty) {
            channel.force(false);
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
