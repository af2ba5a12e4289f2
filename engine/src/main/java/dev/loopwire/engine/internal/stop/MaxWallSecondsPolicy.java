package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.LoopStatus;
import java.util.Locale;
import java.util.Optional;

/** {@code budget_exhausted} once the loop has run {@code budget.maxWallSeconds} (active time). */
public final class MaxWallSecondsPolicy implements StopPolicy {

    @Override
    public Optional<StopDecision> check(StopContext context) {
        Double max = context.budget() == null ? null : context.budget().maxWallSeconds();
        if (max == null || context.elapsedSeconds() < max) {
            return Optional.empty();
        }
        return Optional.of(new StopDecision(LoopStatus.BUDGET_EXHAUSTED, String.format(Locale.ROOT,
                "time budget used: ran %.1f s of %.1f s", context.elapsedSeconds(), max)));
    }
}
