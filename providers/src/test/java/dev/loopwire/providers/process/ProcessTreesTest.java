package dev.loopwire.providers.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ProcessTreesTest {

    @Test
    void aReusedPidIsNeverKilled() throws Exception {
        Process p = new ProcessBuilder("sleep", "300").start();
        try {
            long start = ProcessTrees.startEpochMillis(p.toHandle());
            assertTrue(start > 0);
            assertTrue(ProcessTrees.isAlive(p.pid(), start));
            // the same PID with another start time is another program
            long other = start - 60_000;
            assertFalse(ProcessTrees.isAlive(p.pid(), other));
            assertFalse(ProcessTrees.killTree(p.pid(), other, Duration.ofMillis(100)));
            assertTrue(p.isAlive());

            assertTrue(ProcessTrees.killTree(p.pid(), start, Duration.ofMillis(500)));
            assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS));
            assertFalse(ProcessTrees.isAlive(p.pid(), start));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void killsDescendantsThatIgnoreTerm() throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "trap '' TERM; sleep 300 & sleep 300 & wait").start();
        try {
            while (p.toHandle().children().count() < 2) {
                Thread.sleep(10);
            }
            var children = p.toHandle().children().toList();
            ProcessTrees.killTree(p.toHandle(), Duration.ofMillis(200));
            assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "the JVM reaps the killed shell");
            for (ProcessHandle c : children) {
                assertFalse(ProcessTrees.isRunning(c), "child " + c.pid());
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
