package dev.loopwire.engine.internal;

import static dev.loopwire.engine.internal.LoopRuntime.fields;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.ToolCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Rebuilds a loop from its directory after a restart or a crash: repairs a torn journal line,
 * re-journals a completed iteration whose line was lost, and turns a loop caught mid-run into
 * {@code interrupted}. A pending approval stays pending with the same id.
 */
final class LoopLoader {

    private static final Logger LOG = Logger.getLogger(LoopLoader.class.getName());

    private final Clock clock;
    private final EventHub hub;
    private final StoreObserver observer;
    private final LoopDriver driver;
    private final java.util.function.UnaryOperator<String> redact;

    LoopLoader(Clock clock, EventHub hub, StoreObserver observer, LoopDriver driver,
            java.util.function.UnaryOperator<String> redact) {
        this.clock = clock;
        this.hub = hub;
        this.observer = observer;
        this.driver = driver;
        this.redact = redact;
    }

    /** The loop in {@code path}, or null when it is not a (complete) loop directory. */
    LoopRuntime load(Path path) throws IOException {
        if (!Files.isRegularFile(path.resolve(LoopDir.LOOP_JSON)) || !Files.isRegularFile(path.resolve(LoopDir.STATE_JSON))) {
            return null;
        }
        LoopDir dir = new LoopDir(path, observer, redact);
        LoopConfig config = dir.readConfig();
        LoopState state = dir.readState();
        // The workspace is where the loop was found (a moved or copied workspace keeps working).
        Path workspace = path.toAbsolutePath().getParent().getParent().getParent();
        LoopRuntime rt = new LoopRuntime(dir, workspace, config, state, clock, hub);
        synchronized (rt) {
            int torn = dir.repairJournal();
            if (torn > 0) {
                rt.journal("journal_repaired", fields("tornBytes", torn,
                        "keptIn", LoopDir.JOURNAL + ".torn"));
            }
            readIterations(rt);
            String holder = activeStatus(state) ? dir.tryLock() : null;
            if (holder != null) {
                rt.foreignOwner = holder;
                return rt;
            }
            recover(rt);
            OrphanProcesses.settle(rt, driver.processProbe());
            rt.commit();
        }
        return rt;
    }

    private static boolean activeStatus(LoopState state) {
        return LoopStatus.fromWire(state.status).map(LoopStatus::isActive).orElse(true);
    }

    private void readIterations(LoopRuntime rt) throws IOException {
        Map<Integer, IterationRecord> byIndex = new LinkedHashMap<>();
        for (JsonNode event : Journal.read(rt.dir.journalFile())) {
            if ("iteration".equals(event.path("type").asText()) && event.has("record")) {
                try {
                    IterationRecord record = Json.MAPPER.treeToValue(event.get("record"), IterationRecord.class);
                    byIndex.put(record.index(), record);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "skipping an unreadable iteration in " + rt.dir.journalFile(), e);
                }
            }
        }
        IterationRecord last = rt.state.lastRecord;
        if (last != null && !byIndex.containsKey(last.index())) {
            rt.journal("iteration", fields("record", last, "recovered", true));
            byIndex.put(last.index(), last);
        }
        rt.iterations.addAll(byIndex.values());
        if (last != null) {
            new LoopMemory(rt).ensureProgressLine(last.index(), last.summary());
        }
    }

    /** Lock held by this engine (or no status that needs it). */
    private void recover(LoopRuntime rt) throws IOException {
        LoopStatus status = rt.status();
        if (LoopStatus.fromWire(rt.state.status).isEmpty()) {
            status = LoopStatus.RUNNING;
        }
        LoopState.InFlight f = rt.state.inFlight;
        if (f != null && f.runningCallId != null && f.turn != null) {
            String id = f.runningCallId;
            f.turn.toolCalls.stream().filter(c -> c.id().equals(id)).findFirst().ifPresent(call ->
                    f.results.add(new ToolCall(call.id(), call.name(), call.input(), "error",
                            "The engine stopped while this call ran, so its effect is unknown. Check the "
                                    + "workspace before running it again.")));
            f.runningCallId = null;
            rt.persist();
            rt.journal("tool_result", fields("iteration", f.index, "id", id, "status", "error",
                    "output", "interrupted by an engine restart"));
        }
        if (status == LoopStatus.WAITING && LoopSchedules.betweenRuns(rt) && rt.state.schedule.nextRunAt != null
                && rt.config.schedule() != null) {
            // a scheduled loop waiting for its next run is rescheduled (a missed run runs at once)
            rt.journal("schedule_restored", fields("run", rt.state.schedule.run + 1,
                    "nextRunAt", rt.state.schedule.nextRunAt));
            driver.schedules().arm(rt);
        } else if (status == LoopStatus.RUNNING || status == LoopStatus.WAITING) {
            String where = f == null ? "between iterations (after iteration " + rt.state.iteration + ")"
                    : "during iteration " + f.index;
            rt.setStatus(LoopStatus.INTERRUPTED, "the engine stopped " + where);
            rt.dir.unlock();
        } else if (status == LoopStatus.AWAITING_APPROVAL) {
            var approval = rt.state.pendingApproval;
            if (approval == null) {
                rt.setStatus(LoopStatus.INTERRUPTED, "the engine stopped while an approval was being answered");
                rt.dir.unlock();
            } else if (approval.expiresAt() != null
                    && Instant.parse(approval.expiresAt()).toEpochMilli() <= clock.millis()) {
                driver.withdrawApproval(rt, "expired");
                rt.setStatus(LoopStatus.APPROVAL_EXPIRED, "approval " + approval.approvalId()
                        + " expired while the engine was stopped");
                rt.dir.unlock();
            } else {
                driver.scheduleExpiry(rt);
            }
        }
    }
}
