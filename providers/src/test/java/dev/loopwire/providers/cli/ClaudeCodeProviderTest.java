package dev.loopwire.providers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.engine.Cancellation;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.engine.spi.ProviderException;
import dev.loopwire.engine.spi.ProcessTracker;
import dev.loopwire.engine.spi.TurnResult;
import dev.loopwire.engine.spi.TurnUsage;
import dev.loopwire.protocol.ProviderInfo;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.providers.process.ProcessTrees;
import dev.loopwire.providers.testing.RecordingSink;
import dev.loopwire.providers.testing.RecordingTracker;
import dev.loopwire.providers.testing.TestCancellation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class ClaudeCodeProviderTest {

    @TempDir
    Path tmp;

    private final ClaudeCodeProviderFactory factory = new ClaudeCodeProviderFactory();

    private Path workspace() throws Exception {
        return Files.createDirectories(tmp.resolve("ws"));
    }

    @Test
    void parsesTheStreamIntoOutputToolEventsUsageAndCost() throws Exception {
        Path bin = FakeCli.install(tmp.resolve("bin"), "claude");
        Path ws = workspace();
        RecordingTracker tracker = new RecordingTracker();
        Provider p = factory.create(new ProviderSpec("claude-code", "sonnet", Map.of("permissionMode", "acceptEdits",
                "allowedTools", List.of("Bash(git:*)", "Edit"))), FakeCli.context(ws, FakeCli.env(bin, "ok"), tracker));
        assertTrue(p.runsOwnTools());
        RecordingSink sink = new RecordingSink();
        TurnResult r = p.turn(FakeCli.request(ws, null), sink, Cancellation.NONE);

        assertEquals("I'll look at the workspace.\nAll done.\n<promise>DONE</promise>", r.text());
        assertEquals(r.text(), sink.text());
        assertEquals(List.of("List the files first."), sink.thoughts);
        assertEquals(List.of("toolu_01Xyz", "toolu_02Abc"), sink.calls.stream().map(c -> c.id()).toList());
        assertEquals(Map.of("command", "ls", "description", "List files"), sink.calls.get(0).input());
        assertEquals(List.of("toolu_01Xyz:Bash:false:claude-args.txt\nclaude-stdin.txt",
                "toolu_02Abc:Read:true:File does not exist."), sink.results);
        assertEquals(new TurnUsage(16 + 1200 + 2500, 90, 2500, 0.0123456), r.usage());
        assertTrue(r.toolCalls().isEmpty());
        assertTrue(sink.logs.get(0).startsWith("claude-code session 5b0f3c52"), sink.logs.toString());

        assertEquals(List.of("-p", "--output-format", "stream-json", "--verbose",
                "--model", "sonnet", "--permission-mode", "acceptEdits", "--allowedTools", "Bash(git:*),Edit"),
                Files.readAllLines(ws.resolve("claude-args.txt")));
        assertEquals("You are in a loop.\n\nWrite hello.txt.", Files.readString(ws.resolve("claude-stdin.txt")));
        assertEquals(1, tracker.started.size());
        assertEquals(List.of(tracker.started.get(0).pid()), tracker.ended);
        assertFalse(tracker.started.get(0).command().contains("Write hello.txt"), "the prompt is not recorded");
    }

    @Test
    void cancelKillsTheAgentAndTheChildThatIgnoresTerm() throws Exception {
        Path bin = FakeCli.install(tmp.resolve("bin"), "claude");
        Path ws = workspace();
        RecordingTracker tracker = new RecordingTracker();
        Provider p = factory.create(new ProviderSpec("claude-code", null, Map.of("killGraceSeconds", 0.3)),
                FakeCli.context(ws, FakeCli.env(bin, "hang"), tracker));
        TestCancellation cancel = new TestCancellation();
        AtomicLong child = new AtomicLong();
        CountDownLatch childStarted = new CountDownLatch(1);
        RecordingSink sink = new RecordingSink().onText(t -> {
            if (t.startsWith("child ")) {
                child.set(Long.parseLong(t.substring(6).trim()));
                childStarted.countDown();
            }
        });
        CompletableFuture<Object> turn = CompletableFuture.supplyAsync(() -> {
            try {
                return p.turn(FakeCli.request(ws, null), sink, cancel);
            } catch (Exception e) {
                return e;
            }
        });
        assertTrue(childStarted.await(10, TimeUnit.SECONDS));
        long agent = tracker.started.get(0).pid();
        assertTrue(ProcessHandle.of(child.get()).map(ProcessTrees::isRunning).orElse(false));
        cancel.cancel();
        assertInstanceOf(CancellationException.class, turn.get(10, TimeUnit.SECONDS));
        assertFalse(ProcessHandle.of(child.get()).map(ProcessTrees::isRunning).orElse(false), "child still runs");
        assertFalse(ProcessHandle.of(agent).map(ProcessTrees::isRunning).orElse(false), "agent still runs");
        assertTrue(sink.logs.stream().anyMatch(l -> l.startsWith("cancelled: the claude process tree")), sink.logs.toString());
    }

    @Test
    void timeoutKillsTheTreeAndFails() throws Exception {
        Path bin = FakeCli.install(tmp.resolve("bin"), "claude");
        Path ws = workspace();
        Provider p = factory.create(new ProviderSpec("claude-code", null, Map.of("timeoutSeconds", 1,
                "killGraceSeconds", 0.3)), FakeCli.context(ws, FakeCli.env(bin, "hang"), ProcessTracker.NONE));
        RecordingSink sink = new RecordingSink();
        ProviderException e = assertThrows(ProviderException.class,
                () -> p.turn(FakeCli.request(ws, null), sink, Cancellation.NONE));
        assertEquals(ProviderException.Kind.TRANSIENT, e.kind());
        assertTrue(e.getMessage().startsWith("claude did not finish within 1 s; its process tree was killed"),
                e.getMessage());
        long child = Long.parseLong(sink.text().substring(6).trim());
        assertFalse(ProcessHandle.of(child).map(ProcessTrees::isRunning).orElse(false));
    }

    @Test
    void anErrorResultFailsTheTurnWithoutLeakingTheKey() throws Exception {
        Path bin = FakeCli.install(tmp.resolve("bin"), "claude");
        Path ws = workspace();
        Provider p = factory.create(new ProviderSpec("claude-code", null, Map.of()),
                FakeCli.context(ws, FakeCli.env(bin, "error"), ProcessTracker.NONE));
        ProviderException e = assertThrows(ProviderException.class,
                () -> p.turn(FakeCli.request(ws, null), new RecordingSink(), Cancellation.NONE));
        assertEquals(ProviderException.Kind.FATAL, e.kind());
        assertEquals("claude-code reported an error (success): Invalid API key · Please run /login; exit code 1",
                e.getMessage());

        Provider crashing = factory.create(new ProviderSpec("claude-code", null, Map.of()),
                FakeCli.context(ws, FakeCli.env(bin, "crash"), ProcessTracker.NONE));
        RecordingSink sink = new RecordingSink();
        ProviderException crash = assertThrows(ProviderException.class,
                () -> crashing.turn(FakeCli.request(ws, null), sink, Cancellation.NONE));
        assertEquals("claude exited with code 2: fatal: could not authenticate with [REDACTED]", crash.getMessage());
        assertFalse(crash.getMessage().contains(FakeCli.PLANTED_KEY));
        assertFalse(String.join("\n", sink.events).contains(FakeCli.PLANTED_KEY));
    }

    @Test
    void aMissingBinaryMakesTheProviderUnavailable() throws Exception {
        Path ws = workspace();
        Map<String, String> env = Map.of("PATH", tmp.resolve("empty").toString());
        ProviderInfo info = factory.describe(FakeCli.context(ws, env, ProcessTracker.NONE));
        assertFalse(info.available());
        assertEquals("claude not found on PATH; install Claude Code or set providers.claude-code.binary in"
                + " ~/.config/loopwire/config.json", info.detail());
        ProviderException e = assertThrows(ProviderException.class, () -> factory.create(
                new ProviderSpec("claude-code", null, Map.of()), FakeCli.context(ws, env, ProcessTracker.NONE)));
        assertEquals(ProviderException.Kind.UNAVAILABLE, e.kind());
        assertEquals(info.detail(), e.getMessage());
    }

    @Test
    void theBinaryCanComeFromTheUserConfig() throws Exception {
        Path bin = FakeCli.install(tmp.resolve("elsewhere"), "claude");
        Path ws = workspace();
        Path userDir = Files.createDirectories(tmp.resolve("user"));
        Files.writeString(userDir.resolve("config.json"),
                "{\"providers\": {\"claude-code\": {\"binary\": \"" + bin.resolve("claude") + "\"}}}");
        var context = new dev.loopwire.engine.spi.ProviderContext(ws, Map.of("PATH", "/usr/bin:/bin"), userDir,
                ProcessTracker.NONE);
        ProviderInfo info = factory.describe(context);
        assertTrue(info.available(), info.detail());
        assertTrue(info.detail().endsWith(bin.resolve("claude").toString()), info.detail());

        Files.writeString(userDir.resolve("config.json"),
                "{\"providers\": {\"claude-code\": {\"binary\": \"/no/such/claude\"}}}");
        ProviderInfo missing = factory.describe(context);
        assertFalse(missing.available());
        assertEquals("/no/such/claude (providers.claude-code.binary) is not an executable file; install Claude Code"
                + " or fix providers.claude-code.binary in ~/.config/loopwire/config.json", missing.detail());
    }
}
