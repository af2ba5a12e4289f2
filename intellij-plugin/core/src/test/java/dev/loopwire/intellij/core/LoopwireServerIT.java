package dev.loopwire.intellij.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.intellij.core.ConnectionState.Phase;
import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.ClientInfo;
import dev.loopwire.protocol.Decision;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.PendingApproval;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin core against the real server: {@code java -jar server/target/loopwire.jar serve}
 * as a child process over its stdio, a scripted loop that asks for an approval, the store kept
 * current from notifications, the approval answered through the client; then the server
 * process is killed and comes back with the store rebuilt and a pending approval still pending.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LoopwireServerIT {

    private static final String TURNS = """
            {"turns": [
              {"text": "Writing the greeting.",
               "toolCalls": [{"name": "write_file", "input": {"path": "hello.txt", "content": "Hello from IntelliJ\\n"}}],
               "usage": {"inputTokens": 100, "outputTokens": 20}},
              {"text": "Checking it.",
               "toolCalls": [{"name": "run_command", "input": {"command": "cat hello.txt", "timeoutSeconds": 30}}],
               "usage": {"inputTokens": 150, "outputTokens": 20}},
              {"text": "Done.\\n<promise>DONE</promise>\\n",
               "usage": {"inputTokens": 160, "outputTokens": 10}}
            ]}
            """;

    @TempDir
    Path workspace;

    private final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();
    private final BlockingQueue<PendingApproval> approvals = new LinkedBlockingQueue<>();
    private final Semaphore rebuilt = new Semaphore(0);
    private final Semaphore changed = new Semaphore(0);
    private LoopStore store;
    private ServerSupervisor supervisor;
    private LoopCommands commands;

    @BeforeEach
    void startServer() throws Exception {
        String jarProperty = System.getProperty("loopwire.server.jar", "../../server/target/loopwire.jar");
        Path jar = Path.of(jarProperty).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), "The server jar " + jar + " is missing: build it first with"
                + " `mvn -B -pl server -am package -DskipTests` (the root `mvn verify` does this)");
        Files.writeString(workspace.resolve("turns.json"), TURNS);
        String ws = workspace.toRealPath().toString();
        store = new LoopStore(ws);
        store.addListener(new LoopStoreListener() {
            @Override
            public void loopChanged(String loopId) {
                changed.release();
            }

            @Override
            public void approvalRequested(String loopId, PendingApproval approval) {
                approvals.add(approval);
            }
        });
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        supervisor = new ServerSupervisor(() -> new ServerCommand(java, jar, List.of(), List.of()), workspace, store,
                RestartPolicy.standard(), new ClientInfo("loopwire-intellij-it", "1"), List.of(ws),
                line -> System.err.println("[server] " + line));
        supervisor.addStateListener(states::add);
        supervisor.addConnectedListener(server -> store.rebuild(server).whenComplete((v, t) -> rebuilt.release()));
        commands = new LoopCommands(supervisor::server, Executors.newCachedThreadPool(), store);
        supervisor.start().get(60, TimeUnit.SECONDS);
        assertTrue(rebuilt.tryAcquire(30, TimeUnit.SECONDS), "store built after connecting");
    }

    @AfterEach
    void stopServer() {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    private LoopSnapshot startLoop(String name) throws Exception {
        StartLoopParams params = new StartLoopParams(store.workspace(), "Write hello.txt and check it", null, null,
                null, new ProviderSpec("scripted", null, Map.of("script", "turns.json")), new Budget(10, null, null, null),
                new ApprovalConfig("ask", null, null, null, null), Boolean.TRUE, name, null, null, null, null, null, null);
        return commands.start(params).get(30, TimeUnit.SECONDS);
    }

    private LoopView awaitView(String loopId, Predicate<LoopView> condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            LoopView v = store.view(loopId);
            if (v != null && condition.test(v)) {
                return v;
            }
            changed.tryAcquire(1, TimeUnit.SECONDS);
        }
        LoopView v = store.view(loopId);
        throw new AssertionError("timed out waiting for " + what + "; store has "
                + (v == null ? "nothing" : v.snapshot().status() + " " + v.snapshot().reason()));
    }

    private PendingApproval awaitApproval() throws InterruptedException {
        PendingApproval a = approvals.poll(60, TimeUnit.SECONDS);
        assertNotNull(a, "no approval requested within 60 s");
        return a;
    }

    private void awaitPhase(Phase phase) throws InterruptedException {
        while (true) {
            ConnectionState st = states.poll(60, TimeUnit.SECONDS);
            assertNotNull(st, "no state " + phase + " within 60 s");
            if (st.phase() == phase) {
                return;
            }
        }
    }

    @Test
    void scriptedLoopAsksApprovalIsApprovedAndSucceedsThenSurvivesAServerCrash() throws Exception {
        // a loop that asks, is approved through the client, and succeeds
        LoopSnapshot first = startLoop("it-first");
        PendingApproval ask = awaitApproval();
        assertEquals("run_command", ask.tool());
        LoopView waiting = awaitView(first.loopId(), v -> "awaiting_approval".equals(v.snapshot().status()),
                "awaiting_approval");
        assertEquals(ask.approvalId(), waiting.snapshot().pendingApproval().approvalId());
        assertTrue(waiting.output().stream().anyMatch(o -> "text".equals(o.kind()) && o.text().contains("Writing the greeting")),
                "streamed text in the store: " + waiting.output());
        assertTrue(waiting.output().stream().anyMatch(o -> o.toolCall() != null && "write_file".equals(o.toolCall().name())),
                "tool call in the store: " + waiting.output());

        if (dev.loopwire.intellij.core.ui.PanelScreenshot.possible()) {
            dev.loopwire.intellij.core.ui.PanelScreenshot.capture(store, commands, first.loopId(),
                    "intellij-real-server-approval.png");
        }

        commands.approve(first.loopId(), ask.approvalId(), Decision.ALLOW_ONCE).get(30, TimeUnit.SECONDS);
        LoopView done = awaitView(first.loopId(), v -> "succeeded".equals(v.snapshot().status()), "succeeded");
        assertEquals("Hello from IntelliJ\n", Files.readString(workspace.resolve("hello.txt")));
        awaitView(first.loopId(), v -> v.iterations().size() >= 3, "three iterations after the final fetch");
        assertTrue(done.snapshot().usage().inputTokens() > 0, "usage known: " + done.snapshot().usage());

        // a second loop waits for its approval while the server dies
        LoopSnapshot second = startLoop("it-second");
        PendingApproval pending = awaitApproval();
        awaitView(second.loopId(), v -> "awaiting_approval".equals(v.snapshot().status()), "second awaiting");
        ProcessHandle before = supervisor.processHandle();
        before.destroyForcibly();

        awaitPhase(Phase.RESTARTING);
        awaitPhase(Phase.CONNECTED);
        assertTrue(rebuilt.tryAcquire(30, TimeUnit.SECONDS), "store rebuilt after the restart");
        assertNotEquals(before.pid(), supervisor.processHandle().pid());
        assertEquals("succeeded", store.view(first.loopId()).snapshot().status());
        LoopView recovered = awaitView(second.loopId(), v -> v.snapshot().pendingApproval() != null,
                "the pending approval after the restart");
        PendingApproval again = recovered.snapshot().pendingApproval();
        assertEquals(pending.approvalId(), again.approvalId());

        commands.approve(second.loopId(), again.approvalId(), Decision.ALLOW_ONCE).get(30, TimeUnit.SECONDS);
        awaitView(second.loopId(), v -> "succeeded".equals(v.snapshot().status()), "second succeeded after the restart");
    }
}
