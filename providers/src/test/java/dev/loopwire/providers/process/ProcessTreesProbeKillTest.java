package dev.loopwire.providers.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine's process control stops a recorded process tree, and never a PID with another start time. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessTreesProbeKillTest {

    @Test
    void killsOnlyTheProcessWithTheRecordedStartTime() throws Exception {
        Process process = new ProcessBuilder("sh", "-c", "sleep 30 & wait").start();
        try {
            ProcessTreesProbe probe = new ProcessTreesProbe();
            long pid = process.pid();
            long start = probe.startEpochMillis(pid).orElseThrow();
            assertFalse(probe.killTree(pid, start - 3_600_000), "a PID with another start time is not ours");
            assertTrue(process.isAlive());
            ProcessHandle child = process.toHandle().children().findFirst().orElse(null);
            assertTrue(probe.killTree(pid, start));
            assertTrue(process.waitFor(10, TimeUnit.SECONDS));
            if (child != null) {
                child.onExit().get(10, TimeUnit.SECONDS);
                assertFalse(child.isAlive(), "descendants are stopped too");
            }
        } finally {
            process.destroyForcibly();
        }
    }
}
