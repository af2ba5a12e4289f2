package dev.loopwire.engine.internal;

import dev.loopwire.engine.LoopEvents;
import dev.loopwire.engine.spi.Provider;
import dev.loopwire.protocol.IterationRecord;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.LoopStatusParams;
import dev.loopwire.protocol.Usage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One loop in memory: its config and state (mirrors of its files), and the run that owns it now.
 * Every field is guarded by this object's monitor; events are emitted in order through
 * {@link #emit}. Writes check {@link #generation} so that an abandoned run (cancelled,
 * checkpointed) can never overwrite what came after it.
 */
public final class LoopRuntime {

    /** Thrown inside a run that was abandoned; it unwinds without writing anything. */
    static final class StaleRunException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StaleRunException() {
            super("this run was abandoned", null, false, false);
        }
    }

    final LoopDir dir;
    final Path workspace;
    final Clock clock;
    private final EventHub hub;
    private final Object emitLock = new Object();

    LoopConfig config;
    final LoopState state;
    final List<IterationRecord> iterations = new ArrayList<>();

    Provider provider;
    /** Bumped whenever the current run is abandoned. */
    int generation;
    /** The run's task (on the pool) or its scheduled wait. */
    Future<?> task;
    Thread runnerThread;
    DefaultCancellation cancel = new DefaultCancellation();
    boolean pauseRequested;
    CompletableFuture<IterationRecord> stepFuture;
    /** Completed iterations when the step began. */
    int stepBaseline;
    /** Non-null when another process holds the owner lock. */
    String foreignOwner;
    Future<?> expiry;
    /** Start of the current active segment (clock millis), or null while not running. */
    Long segmentStart;
    /** The wait planned by the iteration that just completed (status waiting), until it starts. */
    dev.loopwire.engine.internal.waits.WaitPlan waitPlan;
    /** The workspace's artifacts: last snapshot in memory, and a file watch while the loop runs. */
    final dev.loopwire.engine.internal.stop.ArtifactProgress artifacts;

    LoopRuntime(LoopDir dir, Path workspace, LoopConfig config, LoopState state, Clock clock, EventHub hub) {
        this.dir = dir;
        this.workspace = workspace;
        this.config = config;
        this.state = state;
        this.clock = clock;
        this.hub = hub;
        this.artifacts = new dev.loopwire.engine.internal.stop.ArtifactProgress(workspace, dir.dir());
    }

    String loopId() {
        return config.loopId();
    }

    synchronized LoopStatus status() {
        return LoopStatus.fromWire(state.status).orElse(LoopStatus.INTERRUPTED);
    }

    String now() {
        return Instant.ofEpochMilli(clock.millis()).toString();
    }

    synchronized void checkGeneration(int gen) {
        if (gen != generation) {
            throw new StaleRunException();
        }
    }

    /** Adds the time since the segment started to the loop's and the iteration's active time. */
    synchronized void accrue() {
        if (segmentStart == null) {
            return;
        }
        long nowMillis = clock.millis();
        double delta = Math.max(0, nowMillis - segmentStart) / 1000.0;
        segmentStart = nowMillis;
        state.elapsedSeconds += delta;
        if (state.inFlight != null) {
            state.inFlight.activeSeconds += delta;
        }
    }

    synchronized void startSegment() {
        if (segmentStart == null) {
            segmentStart = clock.millis();
        }
    }

    synchronized void endSegment() {
        accrue();
        segmentStart = null;
    }

    /** Replaces {@code state.json}. */
    synchronized void persist() throws IOException {
        accrue();
        state.updatedAt = now();
        dir.writeState(state);
    }

    void journal(String type, Map<String, ?> fields) throws IOException {
        dir.journal(now(), type, fields);
    }

    /**
     * A commit point (see docs/storage.md, "Durability"): everything written so far becomes
     * durable. Called before anything that matters is announced: a status, an approval, an
     * iteration record.
     */
    void commit() throws IOException {
        dir.commit();
    }

    static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                map.put((String) keyValues[i], keyValues[i + 1]);
            }
        }
        return map;
    }

    /** Sets the status: state, then journal, then {@code loop/status}. */
    synchronized void setStatus(LoopStatus status, String reason) throws IOException {
        state.status = status.wire();
        state.reason = reason;
        persist();
        journal("status", fields("status", status.wire(), "reason", reason));
        commit();
        emitStatus();
    }

    synchronized void emitStatus() {
        LoopStatus status = status();
        LoopStatusParams params = new LoopStatusParams(loopId(), status.wire(), state.reason,
                resumable(), StatusAdvice.recommendedAction(status, loopId(), state.pendingApproval,
                        config.budget(), state.iteration));
        emit(l -> l.onStatus(params));
    }

    synchronized boolean resumable() {
        return foreignOwner == null && StatusAdvice.resumable(status());
    }

    void emit(Consumer<LoopEvents> event) {
        hub.emit(emitLock, event);
    }

    synchronized Usage usage() {
        return new Usage(state.iteration, state.inputTokens, state.outputTokens, state.costUsd, state.elapsedSeconds);
    }

    /** The iteration under way, or the last completed one while none is. */
    synchronized int currentIteration() {
        return state.inFlight != null ? state.inFlight.index : state.iteration;
    }

    synchronized LoopSnapshot snapshot() {
        accrue();
        LoopStatus status = status();
        String reason = foreignOwner != null ? "loop is being run by " + foreignOwner : state.reason;
        String action = foreignOwner != null ? "Use the process that runs it, or wait until it stops"
                : StatusAdvice.recommendedAction(status, loopId(), state.pendingApproval, config.budget(),
                        state.iteration);
        return new LoopSnapshot(loopId(), config.name(), workspace.toString(), status.wire(), currentIteration(),
                usage(), config.budget(), config.provider(), dir.memoryFile().toString(), state.pendingApproval,
                reason, resumable(), action, config.createdAt(), state.updatedAt);
    }
}
