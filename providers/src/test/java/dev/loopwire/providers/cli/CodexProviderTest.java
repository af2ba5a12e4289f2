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
class CodexProviderTest {

    @TempDir
    Path tmp;

    private final CodexProviderFactory factory = new CodexProviderFactory();

    @Test
    void parsesItemsAndUsage() throws Exception {
        Path bin = FakeCli.install(tmp.resolve("bin"), "codex");
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Provider p = factory.create(new ProviderSpec("codex", null, Map.of("sandbox", "workspace-write",
                "approval", "never", "model", "gpt-5-codex")), FakeCli.context(ws, FakeCli.env(bin, "ok"),
                ProcessTracker.NONE));
        RecordingSink sink = new RecordingSink();
        TurnResult r = p.turn(FakeCli.request(ws, null), sink, Cancellation.NONE);

        assertEquals("Created hello.txt.\n<promise>DONE</promise>", r.text());
        assertEquals(new TurnUsage(24763, 122, 24448, null), r.usage());
        assertEquals(List.of("**Checking the workspace**"), sink.thoughts);
        assertEquals(List.of("item_1:command_execution", "item_2:command_execution", "item_3:file_change"),
                sink.calls.stream().map(c -> c.id() + ":" + c.name()).toList());
        assertEquals(Map.of("command", "bash -lc ls"), sink.calls.get(0).input());
        assertEquals(List.of("item_1:command_execution:false:codex-args.txt\ncodex-stdin.txt\n",
                "item_2:command_execution:true:cat: missing.txt: No such file or directory\n[exit code 1]",
                "item_3:file_change:false:add hello.txt"), sink.results);
        assertEquals(List.of("log:codex thread 0199a213-81c0-7800-8aa1-bbab2a035a53 started",
                "thought:**Checking the workspace**", "toolCall:item_1:command_execution", "toolResult:item_1",
                "toolCall:item_2:command_execution", "toolResult:item_2", "toolCall:item_3:file_change",
                "toolResult:item_3", "text:Created hello.txt.\n<promise>DONE</promise>"), sink.events);
        assertEquals(List.of("exec", "--json", "--skip-git-repo-check", "--model",
                "gpt-5-codex", "--sandbox", "workspace-write", "-c", "approval_policy=\"never\"", "-"),
                Files.readAllLines(ws.resolve("codex-args.txt")));
        assertEquals("You are in a loop.\n\nWrite hello.txt.", Files.readString(ws.resolve("codex-stdin.txt")));
    }

    @Test
    void aFailedTurnIsReportedAsARateLimit() throws Exception {
        Path bin = FakeCli.install(tmp.resolve("bin"), "codex");
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        Provider p = factory.create(new ProviderSpec("codex", null, Map.of()),
                FakeCli.context(ws, FakeCli.env(bin, "fail"), ProcessTracker.NONE));
        ProviderException e = assertThrows(ProviderException.class,
                () -> p.turn(FakeCli.request(ws, null), new RecordingSink(), Cancellation.NONE));
        assertEquals(ProviderException.Kind.RATE_LIMITED, e.kind());
        assertEquals("codex turn failed: You've hit your usage limit. Try again later.", e.getMessage());
    }

    @Test
    void cancelKillsTheAgentTree() throws Exception {
        Path bin = FakeCli.install(tmp.resolve("bin"), "codex");
        Path ws = Files.createDirectories(tmp.resolve("ws"));
        RecordingTracker tracker = new RecordingTracker();
        Provider p = factory.create(new ProviderSpec("codex", null, Map.of("killGraceSeconds", 0.3)),
                FakeCli.context(ws, FakeCli.env(bin, "hang"), tracker));
        TestCancellation cancel = new TestCancellation();
        AtomicLong child = new AtomicLong();
        CountDownLatch started = new CountDownLatch(1);
        RecordingSink sink = new RecordingSink().onText(t -> {
            child.set(Long.parseLong(t.substring(6).trim()));
            started.countDown();
        });
        CompletableFuture<Object> turn = CompletableFuture.supplyAsync(() -> {
            try {
                return p.turn(FakeCli.request(ws, null), sink, cancel);
            } catch (Exception e) {
                return e;
            }
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        cancel.cancel();
        assertInstanceOf(CancellationException.class, turn.get(10, TimeUnit.SECONDS));
        assertFalse(ProcessHandle.of(child.get()).map(ProcessTrees::isRunning).orElse(false));
        assertFalse(ProcessHandle.of(tracker.started.get(0).pid()).map(ProcessTrees::isRunning).orElse(false));
    }

    @Test
    void aMissingBinaryMakesTheProviderUnavailable() {
        ProviderInfo info = factory.describe(FakeCli.context(tmp, Map.of("PATH", tmp.resolve("none").toString()),
                ProcessTracker.NONE));
        assertFalse(info.available());
        assertEquals("codex not found on PATH; install Codex (npm install -g @openai/codex) or set"
                + " providers.codex.binary in ~/.config/loopwire/config.json", info.detail());
    }
}
