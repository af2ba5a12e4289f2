package dev.loopwire.server.e2e;

import dev.loopwire.protocol.ApprovalConfig;
import dev.loopwire.protocol.ProviderSpec;
import dev.loopwire.protocol.StartLoopParams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Small helpers for the end-to-end tests. */
final class Loops {

    private Loops() {
    }

    static StartLoopParams scripted(Path ws, String goal, String script, String approvalMode, boolean autoRun) {
        return new StartLoopParams(ws.toString(), goal, null, null, null,
                new ProviderSpec("scripted", null, Map.of("script", script)), null,
                new ApprovalConfig(approvalMode, null, null, null, null), autoRun, null, null, null, null, null, null, null);
    }

    /** Waits for a file the loop's command writes (a PID file); the command runs in a child process. */
    static long awaitPidFile(Path file) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String s = Files.readString(file).strip();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + file + " within 30s");
    }

    /** True when the process exits within the timeout. */
    static boolean gone(long pid, long seconds) throws Exception {
        var handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        try {
            handle.get().onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !handle.get().isAlive();
        }
    }
}
