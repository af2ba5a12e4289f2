package dev.loopwire.engine.internal;

import dev.loopwire.engine.spi.ProcessProbe;
import dev.loopwire.protocol.LoopOutputParams;
import dev.loopwire.protocol.OutputKind;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;

/**
 * Processes a loop recorded in {@code state.json} (PID and start time) that are still there when
 * the loop is opened again, after a server that crashed or was killed: ours (same PID, same start
 * time) are stopped with their descendants; a PID that now belongs to another program is left
 * alone and reported (journal and a {@code loop/output} log line). Every record is settled: the
 * list is empty afterwards. Nothing happens without a real {@link ProcessProbe}.
 */
final class OrphanProcesses {

    /** Start times read twice may differ by clock-tick rounding; a reused PID differs by far more. */
    static final long START_TOLERANCE_MILLIS = 1000;

    private OrphanProcesses() {
    }

    /** Settles the loop's recorded processes. Lock held; the caller owns the loop. */
    static void settle(LoopRuntime rt, ProcessProbe probe) throws IOException {
        if (probe == null || probe == ProcessProbe.NONE || rt.state.processes.isEmpty()) {
            return;
        }
        for (LoopState.TrackedProcess p : List.copyOf(rt.state.processes)) {
            String outcome;
            String line;
            if (!probe.isAlive(p.pid)) {
                outcome = "gone";
                line = null;
            } else {
                OptionalLong start = probe.startEpochMillis(p.pid);
                boolean same = start.isPresent() && Math.abs(start.getAsLong() - p.startEpochMillis) <= START_TOLERANCE_MILLIS;
                if (same && probe.killTree(p.pid, p.startEpochMillis)) {
                    outcome = "stopped";
                    line = "stopped process " + p.pid + " (" + p.command + ") left running by a server that stopped";
                } else if (same) {
                    outcome = "not_stopped";
                    line = "could not stop process " + p.pid + " (" + p.command + ") left running by a server that stopped";
                } else {
                    outcome = "not_ours";
                    line = "process " + p.pid + " recorded for " + p.command + " was not stopped: the PID now belongs to "
                            + "another program (started " + (start.isPresent() ? Instant.ofEpochMilli(start.getAsLong())
                                    : "at an unknown time") + ", ours started " + Instant.ofEpochMilli(p.startEpochMillis) + ")";
                }
            }
            rt.state.processes.remove(p);
            rt.journal("orphan_process", LoopRuntime.fields("pid", p.pid, "startEpochMillis", p.startEpochMillis,
                    "command", p.command, "outcome", outcome, "line", line));
            if (line != null) {
                LoopOutputParams params = new LoopOutputParams(rt.loopId(), rt.currentIteration(), OutputKind.LOG.wire(),
                        line, null);
                rt.emit(l -> l.onOutput(params));
            }
        }
        rt.persist();
        rt.commit();
    }
}
