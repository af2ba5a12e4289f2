package dev.loopwire.engine.internal;

import dev.loopwire.engine.spi.ProcessTracker;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Records a loop's processes in its {@code state.json} while they run. */
final class StateProcessTracker implements ProcessTracker {

    private static final Logger LOG = Logger.getLogger(StateProcessTracker.class.getName());

    private final LoopRuntime rt;

    StateProcessTracker(LoopRuntime rt) {
        this.rt = rt;
    }

    @Override
    public void started(long pid, long startEpochMillis, String command) {
        synchronized (rt) {
            rt.state.processes.add(new LoopState.TrackedProcess(pid, startEpochMillis, command));
            write("process_started", pid, command);
        }
    }

    @Override
    public void ended(long pid) {
        synchronized (rt) {
            if (rt.state.processes.removeIf(p -> p.pid == pid)) {
                write("process_ended", pid, null);
            }
        }
    }

    private void write(String type, long pid, String command) {
        try {
            rt.persist();
            rt.journal(type, LoopRuntime.fields("pid", pid, "command", command));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not record process " + pid + " of loop " + rt.loopId(), e);
        }
    }
}
