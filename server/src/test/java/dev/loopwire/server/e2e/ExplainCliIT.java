package dev.loopwire.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.server.testing.ServerProcess;
import java.io.File;
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

/** {@code bin/loopwire explain} on a loop that ran a failing command before it succeeded. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExplainCliIT {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    private Result run(Path ws, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> cmd = new ArrayList<>();
        cmd.add(ServerProcess.repo().resolve("bin/loopwire").toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ws.toFile());
        pb.environment().put("LOOPWIRE_JAR", ServerProcess.jar().toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.redirectInput(new File("/dev/null")).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "loopwire " + String.join(" ", args) + " did not end");
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void explainShowsWhyTokensAndTheFailedApproach() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(ws.resolve("turns.json"), """
                {"turns": [
                  {"text": "Running the tests the slow way.", "toolCalls": [{"name": "run_command",
                    "input": {"command": "echo broken-approach; exit 3"}}], "usage": {"inputTokens": 100, "outputTokens": 10}},
                  {"text": "Fixed it another way.\\n<promise>DONE</promise>", "usage": {"inputTokens": 150, "outputTokens": 20}}
                ]}
                """);
        Result run = run(ws, "run", "--script", "turns.json", "--yes", "fix the tests");
        assertEquals(0, run.exit(), run.err() + run.out());
        Matcher m = Pattern.compile("loop (\\S+) started").matcher(run.err());
        assertTrue(m.find(), run.err());
        Result explain = run(ws, "explain", m.group(1));
        assertEquals(0, explain.exit(), explain.err() + explain.out());
        String text = explain.out();
        assertTrue(text.contains("Why it stopped\n  succeeded"), text);
        assertTrue(text.contains("total: 2 iterations, 250 in + 30 out tokens"), text);
        assertTrue(text.contains("run_command      1 call(s)"), text);
        assertTrue(text.contains("#1 ") && text.contains("run_command error: exit code 3"), text);
        assertTrue(text.contains("Recommended next action\n  Review the changes"), text);
    }
}
