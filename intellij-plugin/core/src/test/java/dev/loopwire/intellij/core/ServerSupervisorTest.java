package dev.loopwire.intellij.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.intellij.core.ConnectionState.Phase;
import dev.loopwire.protocol.ClientInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor with real child processes: a stand-in server process
 * ({@link StdioTestServerMain}) is killed and comes back with the store rebuilt; a process that
 * keeps dying is restarted 5 times, then the supervisor gives up until asked to restart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerSupervisorTest {

    @TempDir
    Path dir;

    private final BlockingQueue<ConnectionState> states = new LinkedBlockingQueue<>();

    private Path script(String body) throws Exception {
        Path s = dir.resolve("server.sh");
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    private String execTestServer() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return "exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + StdioTestServerMain.class.getName() + " '" + dir + "'";
    }

    private ServerSupervisor supervisor(Path script, LoopStore store, Semaphore rebuilt) throws Exception {
        Path jar = Files.writeString(dir.resolve("unused.jar"), "");
        ServerSupervisor s = new ServerSupervisor(() -> new ServerCommand(script, jar, List.of(), List.of()), dir, store,
                RestartPolicy.standard(), new ClientInfo("test", "1"), List.of(dir.toString()), line -> { });
        s.addStateListener(states::add);
        s.addConnectedListener(server -> store.rebuild(server).thenRun(rebuilt::release));
        return s;
    }

    private ConnectionState awaitPhase(Phase phase) throws InterruptedException {
        while (true) {
            ConnectionState st = states.poll(60, TimeUnit.SECONDS);
            if (st == null) {
                throw new AssertionError("no state " + phase + " within 60 s");
            }
            if (st.phase() == phase) {
                return st;
            }
        }
    }

    @Test
    void killedServerIsRestartedAndTheStoreRebuilt() throws Exception {
        LoopStore store = new LoopStore(dir.toString());
        Semaphore rebuilt = new Semaphore(0);
        try (ServerSupervisor sup = supervisor(script(execTestServer()), store, rebuilt)) {
            sup.start().get(60, TimeUnit.SECONDS);
            assertTrue(rebuilt.tryAcquire(30, TimeUnit.SECONDS));
            assertEquals("awaiting_approval", store.view("L1").snapshot().status());
            ProcessHandle first = sup.processHandle();

            first.destroyForcibly();

            ConnectionState restarting = awaitPhase(Phase.RESTARTING);
            assertTrue(restarting.message().contains("1 of 5"), restarting.message());
            awaitPhase(Phase.CONNECTED);
            assertTrue(rebuilt.tryAcquire(30, TimeUnit.SECONDS), "store rebuilt after the restart");
            assertNotEquals(first.pid(), sup.processHandle().pid());
            assertEquals("A1", store.view("L1").snapshot().pendingApproval().approvalId());
            sup.server(); // connected again
        }
    }

    @Test
    void serverThatKeepsDyingIsGivenUpAfterFiveRestartsUntilRestartIsAsked() throws Exception {
        Path counter = dir.resolve("starts.txt");
        Path broken = Files.writeString(dir.resolve("broken"), "");
        Path s = script("echo start >> '" + counter + "'\n"
                + "if [ -e '" + broken + "' ]; then echo 'boom: no config' >&2; exit 3; fi\n" + execTestServer());
        LoopStore store = new LoopStore(dir.toString());
        Semaphore rebuilt = new Semaphore(0);
        try (ServerSupervisor sup = supervisor(s, store, rebuilt)) {
            sup.start();
            ConnectionState failed = awaitPhase(Phase.FAILED);
            assertEquals(6, Files.readAllLines(counter).size(), "first start + 5 restarts");
            assertTrue(failed.message().contains("6 times in 10 minutes"), failed.message());
            assertTrue(failed.message().contains("exit code 3"), failed.message());
            assertThrows(IllegalStateException.class, sup::server);

            Files.delete(broken);
            sup.restart().get(60, TimeUnit.SECONDS);
            assertEquals(Phase.CONNECTED, sup.state().phase());
            assertTrue(rebuilt.tryAcquire(30, TimeUnit.SECONDS));
            assertEquals(1, store.snapshots().size());
        }
    }

    @Test
    void restartPolicyDefaultsAreFiveInTenMinutes() {
        RestartPolicy p = RestartPolicy.standard();
        assertEquals(5, p.maxRestarts());
        assertEquals(Duration.ofMinutes(10), p.window());
    }
}
