package dev.loopwire.server.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.loopwire.protocol.ApprovalRequestedParams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Checks of the files a loop leaves on disk (docs/storage.md), shared by the trust tests. */
final class CrashChecks {

    private CrashChecks() {
    }

    static Path loopDir(Path ws, String loopId) {
        return ws.resolve(".loopwire").resolve("loops").resolve(loopId);
    }

    static List<Path> loopDirs(Path ws) throws IOException {
        Path root = ws.resolve(".loopwire").resolve("loops");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    static JsonObject parseObject(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            JsonElement e = JsonParser.parseString(text);
            assertTrue(e.isJsonObject(), file + " is not a JSON object");
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new AssertionError(file + " does not parse: " + e.getMessage() + "\n" + text, e);
        }
    }

    /** Every loop directory's {@code state.json} (and {@code loop.json}, when written) is a whole JSON object. */
    static void everyStateFileParses(Path ws) throws IOException {
        for (Path dir : loopDirs(ws)) {
            for (String name : List.of("state.json", "loop.json")) {
                Path file = dir.resolve(name);
                if (Files.exists(file)) {
                    JsonObject o = parseObject(file);
                    if (name.equals("state.json")) {
                        assertTrue(o.has("status"), file + " has no status: " + o);
                    }
                }
            }
        }
    }

    /** Every line of every journal parses, and each journal ends with a newline (torn lines were repaired). */
    static void everyJournalLineParses(Path ws) throws IOException {
        for (Path dir : loopDirs(ws)) {
            Path journal = dir.resolve("journal.jsonl");
            if (!Files.exists(journal) || !Files.exists(dir.resolve("loop.json"))) {
                continue;
            }
            journalEvents(journal);
        }
    }

    static List<JsonObject> journalEvents(Path journal) throws IOException {
        byte[] bytes = Files.readAllBytes(journal);
        assertTrue(bytes.length == 0 || bytes[bytes.length - 1] == '\n', journal + " ends with a torn line");
        List<JsonObject> events = new ArrayList<>();
        int n = 0;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                events.add(JsonParser.parseString(line).getAsJsonObject());
            } catch (RuntimeException e) {
                fail(journal + " line " + n + " does not parse: " + line);
            }
        }
        return events;
    }

    /** The {@code iteration} events of a loop's journal: index -> how many times it is there. */
    static Map<Integer, Integer> journalIterations(Path loopDir) throws IOException {
        Map<Integer, Integer> byIndex = new TreeMap<>();
        for (JsonObject e : journalEvents(loopDir.resolve("journal.jsonl"))) {
            if ("iteration".equals(e.get("type").getAsString())) {
                byIndex.merge(e.getAsJsonObject("record").get("index").getAsInt(), 1, Integer::sum);
            }
        }
        return byIndex;
    }

    /** The torn line was cut off, kept in journal.jsonl.torn, and journaled as journal_repaired. */
    static void assertRepaired(Path loopDir, int tornBytes, byte[] tornTail, String where) throws IOException {
        List<JsonObject> events = journalEvents(loopDir.resolve("journal.jsonl"));
        JsonObject repaired = null;
        for (JsonObject e : events) {
            if ("journal_repaired".equals(e.get("type").getAsString())) {
                repaired = e;
            }
        }
        assertTrue(repaired != null, where + ": no journal_repaired event after a torn line");
        assertEquals(tornBytes, repaired.get("tornBytes").getAsInt(), where + ": " + repaired);
        Path aside = loopDir.resolve("journal.jsonl.torn");
        assertTrue(Files.exists(aside), where + ": the torn bytes were not kept in " + aside);
        byte[] kept = Files.readAllBytes(aside);
        assertTrue(kept.length >= tornTail.length, where + ": " + aside + " is shorter than the torn line");
        assertArrayEquals(tornTail, Arrays.copyOfRange(kept, kept.length - tornTail.length, kept.length),
                where + ": " + aside + " does not end with the torn bytes");
    }

    /** A client that connects while an approval is pending gets it announced again. */
    static void awaitReannounced(LiveServer s, String loopId, String approvalId, String where)
            throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (ApprovalRequestedParams a : s.received(ApprovalRequestedParams.class)) {
                if (a.loopId().equals(loopId) && a.approval().approvalId().equals(approvalId)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        fail(where + ": pending approval " + approvalId + " was not announced again after the restart");
    }
}
