package dev.loopwire.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.loopwire.server.testing.ServerProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/loopwire} on a copy of examples/hello: exit codes and what it prints. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CliIT {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private Process launch(Path ws, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ServerProcess.repo().resolve("bin/loopwire").toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ws.toFile());
        pb.environment().put("LOOPWIRE_JAR", ServerProcess.jar().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectInput(new File("/dev/null"));
        pb.redirectOutput(Files.createTempFile(dir, "out", ".txt").toFile());
        pb.redirectError(Files.createTempFile(dir, "err", ".txt").toFile());
        return pb.start();
    }

    private Result run(Path ws, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder();
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> cmd = new ArrayList<>();
        cmd.add(ServerProcess.repo().resolve("bin/loopwire").toString());
        cmd.addAll(Arrays.asList(args));
        pb.command(cmd).directory(ws.toFile());
        pb.environment().put("LOOPWIRE_JAR", ServerProcess.jar().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectInput(new File("/dev/null")).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "loopwire " + String.join(" ", args) + " did not end");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Path hello() throws IOException {
        return ServerProcess.copyTree(ServerProcess.repo().resolve("examples/hello"), dir.resolve("hello"));
    }

    @Test
    void runWithYesSucceedsOnTheExamplesDefaultProvider() throws Exception {
        Path ws = hello(); // .loopwire/config.json names the scripted provider and turns.json
        Result r = run(ws, "run", "--goal-file", "goal.md", "--yes");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("<promise>DONE</promise>"), r.out());
        assertTrue(r.out().contains("[succeeded]"), r.out());
        assertTrue(r.out().contains("> run_command"), r.out());
        assertEquals("Hello from Loopwire!\n", Files.readString(ws.resolve("hello.txt")));
    }

    @Test
    void withoutTtyTheApprovalStaysPendingThenApproveFinishesTheLoop() throws Exception {
        Path ws = hello();
        Result r = run(ws, "run", "--goal-file", "goal.md", "--script", "turns.json");
        assertEquals(3, r.exit(), r.err() + r.out());
        Matcher m = Pattern.compile("loopwire approve (\\S+) (\\S+)\\n").matcher(r.err());
        assertTrue(m.find(), r.err());
        String loopId = m.group(1);

        Result list = run(ws, "list");
        assertEquals(0, list.exit());
        assertTrue(list.out().contains(loopId) && list.out().contains("awaiting_approval"), list.out());

        Result approve = run(ws, "approve", loopId, m.group(2));
        assertEquals(0, approve.exit(), approve.err() + approve.out());
        assertTrue(approve.out().contains("[succeeded]"), approve.out());

        Result show = run(ws, "show", loopId, "--json");
        assertEquals(0, show.exit());
        JsonObject loop = JsonParser.parseString(show.out()).getAsJsonObject().getAsJsonObject("loop");
        assertEquals("succeeded", loop.get("status").getAsString());

        Result again = run(ws, "approve", loopId, m.group(2));
        assertEquals(1, again.exit(), "a second answer to the same approval is refused");
        assertTrue(again.err().contains("loopwire:"), again.err());

        Result tail = run(ws, "tail", loopId, "--no-follow");
        assertEquals(0, tail.exit());
        assertTrue(tail.out().lines().count() > 5);
        tail.out().lines().forEach(line -> JsonParser.parseString(line));
    }

    @Test
    void jsonPrintsOneNotificationPerLine() throws Exception {
        Path ws = hello();
        Result r = run(ws, "run", "--goal-file", "goal.md", "--script", "turns.json", "--yes", "--json");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.size() > 10);
        String lastStatus = null;
        for (String line : lines) {
            JsonObject event = JsonParser.parseString(line).getAsJsonObject();
            assertTrue(event.get("method").getAsString().startsWith("loop/"), line);
            assertTrue(event.has("params"), line);
            if (event.get("method").getAsString().equals("loop/status")) {
                lastStatus = event.getAsJsonObject("params").get("status").getAsString();
            }
        }
        assertEquals("succeeded", lastStatus);
    }

    @Test
    void budgetExhaustedExitsTwo() throws Exception {
        Path ws = hello();
        Result r = run(ws, "run", "--goal-file", "goal.md", "--script", "turns.json", "--yes", "--max-iterations", "1");
        assertEquals(2, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("[budget_exhausted]"), r.out());
    }

    @Test
    void ctrlCCancelsTheLoopAndItsCommand() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(ws.resolve("turns.json"), """
                {"turns": [{"text": "sleeping", "toolCalls": [{"name": "run_command",
                  "input": {"command": "echo $$ > cmd.pid; exec sleep 300", "timeoutSeconds": 600}}]}]}
                """);
        Process p = launch(ws, "run", "sleep a while", "--script", "turns.json", "--approval", "auto");
        long pid = Loops.awaitPidFile(ws.resolve("cmd.pid"));
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(130, p.exitValue());
        assertTrue(Loops.gone(pid, 10), "the command survived Ctrl-C");
        Result list = run(ws, "list");
        assertTrue(list.out().contains("cancelled"), list.out());
    }

    @Test
    void onATerminalItAsksAndTheAnswerContinuesTheLoop() throws Exception {
        Path ws = hello();
        String command = ServerProcess.repo().resolve("bin/loopwire") + " run --goal-file goal.md --script turns.json";
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", command, "/dev/null").directory(ws.toFile());
        pb.environment().put("LOOPWIRE_JAR", ServerProcess.jar().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        StringBuilder seen = new StringBuilder();
        var in = p.getInputStream();
        while (!seen.toString().contains("Allow? [y]es / [n]o / [a]lways")) {
            int b = in.read();
            assertTrue(b >= 0, "ended without asking: " + seen);
            seen.append((char) b);
        }
        assertTrue(seen.toString().contains("iteration 2/20 | tokens"), "no status line: " + seen);
        p.getOutputStream().write("y\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        String rest = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), rest);
        assertTrue(rest.contains("[succeeded]"), rest);
    }

    @Test
    void usageErrorsAndUnknownLoops() throws Exception {
        Path ws = hello();
        assertEquals(64, run(ws, "run", "--max-iterations", "many", "x").exit());
        Result unknown = run(ws, "show", "no-such-loop");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("no-such-loop"), unknown.err());
        Result version = run(ws, "--version");
        assertEquals(0, version.exit());
        assertTrue(version.out().startsWith("loopwire "), version.out());
    }
}
