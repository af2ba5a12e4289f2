package dev.loopwire.providers.process;

import dev.loopwire.engine.spi.ProcessProbe;
import java.util.OptionalLong;

/**
 * The engine's {@link ProcessProbe} over real processes: alive means running and not a zombie
 * ({@link ProcessTrees#isRunning}); start times come from {@link ProcessTrees#startEpochMillis};
 * {@link #killTree} stops a tree only while the PID still has the recorded start time.
 */
public final class ProcessTreesProbe implements ProcessProbe {

    @Override
    public boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessTrees::isRunning).orElse(false);
    }

    @Override
    public boolean killTree(long pid, long startEpochMillis) {
        return ProcessTrees.killTree(pid, startEpochMillis, ProcessTrees.DEFAULT_GRACE);
    }

    @Override
    public OptionalLong startEpochMillis(long pid) {
        return ProcessHandle.of(pid).map(h -> {
            long start = ProcessTrees.startEpochMillis(h);
            return start > 0 ? OptionalLong.of(start) : OptionalLong.empty();
        }).orElse(OptionalLong.empty());
    }
}
