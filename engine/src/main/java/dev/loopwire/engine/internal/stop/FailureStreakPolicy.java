package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.FailureStreak;
import dev.loopwire.protocol.LoopStatus;
import java.util.Optional;

/**
 * {@code failed} after {@code stop.failureStreak.identical} identical failures in a row (default
 * 3) or {@code stop.failureStreak.any} failures of any kind in a row (default 4), as
 * cheetahclaws' agent runner does. A failure is an iteration whose provider call failed with a
 * transient or protocol error, or whose tool calls all failed; its signature is the first 80
 * characters of what went wrong. A successful iteration resets both counts. 0 disables a limit.
 */
public final class FailureStreakPolicy implements IterationPolicy {

    public static final int DEFAULT_IDENTICAL = 3;
    public static final int DEFAULT_ANY = 4;
    public static final int SIGNATURE_CHARS = 80;

    private final int identical;
    private final int any;

    public FailureStreakPolicy(FailureStreak config) {
        this.identical = config == null || config.identical() == null ? DEFAULT_IDENTICAL : config.identical();
        this.any = config == null || config.any() == null ? DEFAULT_ANY : config.any();
    }

    public static String signature(String what) {
        String one = what == null ? "" : what.strip().replaceAll("\\s+", " ");
        return one.length() <= SIGNATURE_CHARS ? one : one.substring(0, SIGNATURE_CHARS);
    }

    @Override
    public Optional<StopDecision> observe(IterationFacts facts, PolicyState state) {
        if (facts.failure() == null) {
            state.lastFailureSignature = null;
            state.identicalFailures = 0;
            state.anyFailures = 0;
            return Optional.empty();
        }
        String sig = signature(facts.failure());
        state.identicalFailures = sig.equals(state.lastFailureSignature) ? state.identicalFailures + 1 : 1;
        state.lastFailureSignature = sig;
        state.anyFailures++;
        if (identical > 0 && state.identicalFailures >= identical) {
            return Optional.of(new StopDecision(LoopStatus.FAILED, state.identicalFailures
                    + " identical failures in a row (stop.failureStreak.identical = " + identical
                    + "); signature: " + sig));
        }
        if (any > 0 && state.anyFailures >= any) {
            return Optional.of(new StopDecision(LoopStatus.FAILED, state.anyFailures
                    + " failures in a row (stop.failureStreak.any = " + any + "); last signature: " + sig));
        }
        return Optional.empty();
    }
}
