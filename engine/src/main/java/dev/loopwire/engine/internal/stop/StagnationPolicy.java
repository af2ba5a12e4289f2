package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.LoopStatus;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code no_progress} when the same normalized summary (lower case, whitespace collapsed) comes
 * {@code stop.stagnationRepeats} times in a row (default 3; 0 or 1 disables), as cheetahclaws'
 * agent runner does: the agent keeps saying the same thing. Failed iterations are left to
 * {@link FailureStreakPolicy} and break the run of summaries.
 */
public final class StagnationPolicy implements IterationPolicy {

    public static final int DEFAULT = 3;

    private final int limit;

    public StagnationPolicy(Integer limit) {
        this.limit = limit == null ? DEFAULT : limit;
    }

    public static String normalize(String summary) {
        return summary == null ? "" : String.join(" ", summary.toLowerCase(Locale.ROOT).strip().split("\\s+"));
    }

    @Override
    public Optional<StopDecision> observe(IterationFacts facts, PolicyState state) {
        String norm = normalize(facts.summary());
        if (limit < 2 || facts.failure() != null || norm.isEmpty()) {
            state.recentSummaries.clear();
            return Optional.empty();
        }
        state.recentSummaries.add(norm);
        while (state.recentSummaries.size() > limit) {
            state.recentSummaries.remove(0);
        }
        if (state.recentSummaries.size() < limit
                || state.recentSummaries.stream().distinct().count() != 1) {
            return Optional.empty();
        }
        String shown = facts.summary().length() <= 200 ? facts.summary() : facts.summary().substring(0, 200) + "…";
        return Optional.of(new StopDecision(LoopStatus.NO_PROGRESS, "stagnation: the same summary " + limit
                + " iterations in a row (stop.stagnationRepeats = " + limit + "): \"" + shown + "\""));
    }
}
