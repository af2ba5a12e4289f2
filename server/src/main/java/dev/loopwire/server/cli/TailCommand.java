package dev.loopwire.server.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.loopwire.protocol.LoopStatus;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loopwire tail ID}: prints the loop's journal ({@code journal.jsonl}, one event a line) and
 * follows it as it grows, like {@code tail -f}, until the loop rests (its {@code state.json}
 * reports a status that is not active) or Ctrl-C. It reads the files only, so it works whether
 * or not a server runs the loop.
 */
@Command(name = "tail", description = "Print a loop's journal and follow it live.")
final class TailCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common = new CommonOptions();

    @Parameters(paramLabel = "ID", description = "The loop id.")
    String loopId;

    @Option(names = "--no-follow", description = "Print the journal and return.")
    boolean noFollow;

    @Override
    public Integer call() throws Exception {
        Path dir = common.workspace().resolve(".loopwire").resolve("loops").resolve(loopId);
        Path journal = dir.resolve("journal.jsonl");
        if (!loopId.matches("[A-Za-z0-9._-]+") || !Files.isDirectory(dir)) {
            throw new CliException("no loop " + loopId + " in " + common.workspace(), 0);
        }
        long offset = 0;
        StringBuilder partial = new StringBuilder();
        while (true) {
            offset = copyNew(journal, offset, partial);
            if (noFollow || resting(dir.resolve("state.json"))) {
                copyNew(journal, offset, partial);
                return 0;
            }
            Thread.sleep(200);
        }
    }

    /** Prints whole lines appended since {@code offset}; returns the new offset. */
    private long copyNew(Path journal, long offset, StringBuilder partial) throws IOException {
        if (!Files.exists(journal)) {
            return offset;
        }
        try (RandomAccessFile file = new RandomAccessFile(journal.toFile(), "r")) {
            long length = file.length();
            if (length <= offset) {
                return length < offset ? 0 : offset;
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
            file.seek(offset);
            file.readFully(bytes);
            partial.append(new String(bytes, StandardCharsets.UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                common.out.println(partial.substring(0, nl));
                partial.delete(0, nl + 1);
            }
            common.out.flush();
            return offset + bytes.length;
        }
    }

    private static boolean resting(Path state) {
        try {
            JsonElement json = JsonParser.parseString(Files.readString(state));
            JsonElement status = json.getAsJsonObject().get("status");
            return status != null && LoopStatus.fromWire(status.getAsString())
                    .map(s -> !s.isActive()).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
