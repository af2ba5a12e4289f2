package dev.loopwire.server.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.LoopIdParams;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command that a loop started keeps running when the server is killed with SIGKILL (nothing in
 * the dead JVM can stop it). The next server start finds it in the loop's {@code state.json}
 * ({@code processes}: PID and start time) and stops it, so that no orphan runs for days.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProcessesAfterCrashIT {

    @TempDir
    Path dir;

    @Test
    void aCommandLeftRunningByAKilledServerIsStoppedOnTheNextStart() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(ws.resolve("turns.json"), """
                {"turns": [{"text": "sleeping", "toolCalls": [{"name": "run_command",
                  "input": {"command": "echo $$ > cmd.pid; exec sleep 300", "timeoutSeconds": 600}}]}]}
                """);
        long pid;
        String id;
        try (LiveServer s = LiveServer.start(dir.resolve("logs"))) {
            s.initialize(ws);
            id = LiveServer.await(s.loops().start(new StartLoopParams(ws.toString(), "sleep", null, null, null,
                    new ProviderSpec("scripted", null, Map.of("script", "turns.json")), null,
                    new ApprovalConfig("auto", null, null, null, null), true, "orphan", null, null, null, null,
                    null, null))).loopId();
            pid = awaitPid(ws.resolve("cmd.pid"));
            Path stateFile = CrashChecks.loopDir(ws, id).resolve("state.json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            String state = Files.readString(stateFile);
            while (!recorded(state, pid) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                state = Files.readString(stateFile);
            }
            assertTrue(recorded(state, pid), "the command's PID is not recorded in state.json:\n" + state);
            s.kill9();
        }
        try {
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "the command died with the server; this test needs it to outlive the kill");
            try (LiveServer s = LiveServer.start(dir.resolve("logs"))) {
                s.initialize(ws);
                assertEquals("interrupted", LiveServer.await(s.loops().get(new LoopIdParams(id))).loop().status());
                assertTrue(gone(pid, 15), "process " + pid + " left by the killed server still runs after the "
                        + "next server opened the workspace");
            }
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static boolean recorded(String state, long pid) {
        return state.replaceAll("\\s", "").contains("\"pid\":" + pid + ",");
    }

    private static long awaitPid(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String s = Files.readString(file).strip();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + file);
    }

    private static boolean gone(long pid, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }
}
