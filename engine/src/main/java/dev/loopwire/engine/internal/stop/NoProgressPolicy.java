package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.LoopStatus;
import java.util.Optional;

/**
 * {@code no_progress} after {@code stop.noProgressIterations} iterations in a row (default 3)
 * that changed no artifact and not the memory file (tightloop's NoProgress). An iteration whose
 * artifact changes are unknown (the first scan) does not count either way. 0 disables.
 */
public final class NoProgressPolicy implements IterationPolicy {

    public static final int DEFAULT = 3;

    private final int limit;

    public NoProgressPolicy(Integer limit) {
        this.limit = limit == null ? DEFAULT : limit;
    }

    @Override
    public Optional<StopDecision> observe(IterationFacts facts, PolicyState state) {
        if (facts.artifactsChanged() == null) {
            return Optional.empty();
        }
        if (facts.artifactsChanged() || facts.memoryChanged()) {
            state.unchangedIterations = 0;
            return Optional.empty();
        }
        state.unchangedIterations++;
        if (limit <= 0 || state.unchangedIterations < limit) {
            return Optional.empty();
        }
        return Optional.of(new StopDecision(LoopStatus.NO_PROGRESS, "no progress: " + state.unchangedIterations
                + " iterations in a row changed no file in the workspace and not the memory file"
                + " (stop.noProgressIterations = " + limit + ")"));
    }
}
