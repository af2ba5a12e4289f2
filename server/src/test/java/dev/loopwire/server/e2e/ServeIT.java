package dev.loopwire.server.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.ApprovalRequestedParams;
import dev.loopwire.protocol.ApprovalResolvedParams;
import dev.loopwire.protocol.ApproveParams;
import dev.loopwire.protocol.GetLoopResult;
import dev.loopwire.protocol.InitializeResult;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.LoopIterationParams;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.MemoryResult;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import dev.loopwire.server.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code loopwire.jar serve} process, driven over its stdio by an lsp4j client. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeIT {

    @TempDir
    Path dir;

    private Path hello() throws Exception {
        return ServerProcess.copyTree(ServerProcess.repo().resolve("examples/hello"), dir.resolve("hello"));
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    @Test
    void helloLoopStreamsAsksApprovalAndSucceeds() throws Exception {
        Path ws = hello();
        try (ServerProcess p = ServerProcess.start(dir)) {
            InitializeResult init = p.initialize(null, ws);
            assertEquals(1, init.protocolVersion());
            assertTrue(init.capabilities().providers().stream().anyMatch(i -> i.id().equals("scripted") && i.available()));

            StartLoopParams start = new StartLoopParams(ws.toString(), null, "goal.md", null, null,
                    new ProviderSpec("scripted", null, Map.of("script", "turns.json")), null, null, null, "hello",
                    null, null, null, null, null, null);
            LoopSnapshot loop = await(p.server.getLoopService().start(start));
            String id = loop.loopId();
            assertEquals("hello", loop.name());

            p.client.assertNextStatus(id, "created");
            p.client.assertNextStatus(id, "running");
            LoopOutputParams text = p.client.awaitNext(LoopOutputParams.class, o -> o.kind().equals("text"));
            assertEquals(1, text.iteration());
            LoopOutputParams call = p.client.awaitNext(LoopOutputParams.class, o -> o.kind().equals("tool_call"));
            assertEquals("write_file", call.toolCall().name());
            p.client.awaitNext(LoopOutputParams.class, o -> o.kind().equals("tool_result"));
            LoopIterationParams first = p.client.awaitNext(LoopIterationParams.class, i -> true);
            assertEquals(1, first.record().index());
            ApprovalRequestedParams asked = p.client.awaitNext(ApprovalRequestedParams.class, a -> true);
            assertEquals("run_command", asked.approval().tool());
            p.client.assertNextStatus(id, "awaiting_approval");
            assertEquals("Hello from Loopwire!\n", Files.readString(ws.resolve("hello.txt")));

            LoopSnapshot after = await(p.server.getLoopService().approve(
                    new ApproveParams(id, asked.approval().approvalId(), "allow_once", null)));
            assertNotNull(after);
            ApprovalResolvedParams resolved = p.client.awaitNext(ApprovalResolvedParams.class, r -> true);
            assertEquals("allow_once", resolved.decision());
            LoopOutputParams result = p.client.awaitNext(LoopOutputParams.class,
                    o -> o.kind().equals("tool_result") && o.toolCall() != null && "run_command".equals(o.toolCall().name()));
            assertTrue(result.toolCall().output().contains("Hello from Loopwire!"), result.toString());
            LoopStatusParams done = p.client.awaitStatus(id, "succeeded");
            assertFalse(done.resumable() && done.recommendedAction() == null);

            GetLoopResult got = await(p.server.getLoopService().get(new LoopIdParams(id)));
            assertEquals("succeeded", got.loop().status());
            assertEquals(4, got.iterations().size());
            assertEquals("done", got.iterations().get(3).outcome());
            MemoryResult memory = await(p.server.getLoopService().memory(new LoopIdParams(id)));
            assertTrue(memory.content().contains("hello.txt holds the greeting"), memory.content());

            assertEquals(null, await(p.server.shutdown()));
            p.server.exit();
            assertTrue(p.process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, p.process.exitValue(), p.stderrText());
        }
    }

    @Test
    void stepModeRunsOneIterationPerStep() throws Exception {
        Path ws = hello();
        try (ServerProcess p = ServerProcess.start(dir)) {
            p.initialize(null, ws);
            LoopSnapshot loop = await(p.server.getLoopService().start(
                    Loops.scripted(ws, "say hello", "turns.json", "auto", false)));
            assertEquals("created", loop.status());
            for (int i = 1; i <= 4; i++) {
                IterationRecord r = await(p.server.getLoopService().step(new LoopIdParams(loop.loopId())));
                assertEquals(i, r.index());
                assertEquals(i == 4 ? "done" : "continue", r.outcome());
                String status = await(p.server.getLoopService().get(new LoopIdParams(loop.loopId()))).loop().status();
                assertEquals(i == 4 ? "succeeded" : "paused", status);
            }
        }
    }

    @Test
    void cancelDuringRunningCommandKillsTheCommand() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(ws.resolve("turns.json"), """
                {"turns": [{"text": "sleeping", "toolCalls": [{"name": "run_command",
                  "input": {"command": "echo $$ > cmd.pid; exec sleep 300", "timeoutSeconds": 600}}]}]}
                """);
        try (ServerProcess p = ServerProcess.start(dir)) {
            p.initialize(null, ws);
            String id = await(p.server.getLoopService().start(Loops.scripted(ws, "sleep", "turns.json", "auto", true))).loopId();
            long pid = Loops.awaitPidFile(ws.resolve("cmd.pid"));
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            LoopSnapshot cancelled = await(p.server.getLoopService().cancel(new LoopIdParams(id)));
            assertEquals("cancelled", cancelled.status());
            assertTrue(Loops.gone(pid, 10), "the command's process is still alive");
            p.client.awaitStatus(id, "cancelled");
        }
    }

    @Test
    void killedDuringAnIterationTheLoopComesBackInterruptedAndFinishes() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(ws.resolve("turns.json"), """
                {"turns": [
                  {"text": "first", "toolCalls": [{"name": "write_file", "input": {"path": "a.txt", "content": "a"}}]},
                  {"text": "thinking slowly", "delayMillis": 1500},
                  {"text": "done\\n<promise>DONE</promise>"}
                ]}
                """);
        String id;
        try (ServerProcess p = ServerProcess.start(dir)) {
            p.initialize(null, ws);
            id = await(p.server.getLoopService().start(Loops.scripted(ws, "slow", "turns.json", "auto", true))).loopId();
            p.client.awaitNext(LoopIterationParams.class, i -> i.record().index() == 1);
            p.kill9();
        }
        try (ServerProcess p = ServerProcess.start(dir)) {
            p.initialize(null, ws);
            GetLoopResult got = await(p.server.getLoopService().get(new LoopIdParams(id)));
            assertEquals("interrupted", got.loop().status());
            assertTrue(got.loop().resumable());
            assertEquals(1, got.iterations().size());
            await(p.server.getLoopService().resume(new dev.loopwire.protocol.ResumeParams(id, null)));
            p.client.awaitStatus(id, "succeeded");
            assertEquals("a", Files.readString(ws.resolve("a.txt")));
        }
    }

    @Test
    void killedWhileAnApprovalIsPendingTheSameApprovalIsAnsweredAfterRestart() throws Exception {
        Path ws = hello();
        String id;
        String approvalId;
        try (ServerProcess p = ServerProcess.start(dir)) {
            p.initialize(null, ws);
            id = await(p.server.getLoopService().start(Loops.scripted(ws, "hello", "turns.json", "ask", true))).loopId();
            approvalId = p.client.awaitNext(ApprovalRequestedParams.class, a -> true).approval().approvalId();
            p.client.assertNextStatus(id, "awaiting_approval");
            p.kill9();
        }
        try (ServerProcess p = ServerProcess.start(dir)) {
            p.initialize(null, ws);
            ApprovalRequestedParams again = p.client.awaitNext(ApprovalRequestedParams.class, a -> true);
            assertEquals(approvalId, again.approval().approvalId());
            LoopSnapshot loop = await(p.server.getLoopService().get(new LoopIdParams(id))).loop();
            assertEquals("awaiting_approval", loop.status());
            assertEquals(approvalId, loop.pendingApproval().approvalId());
            await(p.server.getLoopService().approve(new ApproveParams(id, approvalId, "allow_once", null)));
            p.client.awaitStatus(id, "succeeded");
        }
    }

    @Test
    void serverExitsWhenTheClientProcessDies() throws Exception {
        Process parent = new ProcessBuilder("sleep", "300").start();
        try (ServerProcess p = ServerProcess.start(dir)) {
            p.initialize(parent.pid());
            assertTrue(p.process.isAlive());
            parent.destroyForcibly();
            assertTrue(p.process.waitFor(30, TimeUnit.SECONDS), "server still running after its client died");
        } finally {
            parent.destroyForcibly();
        }
    }
}
