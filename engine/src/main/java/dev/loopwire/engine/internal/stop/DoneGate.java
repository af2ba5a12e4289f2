package dev.loopwire.engine.internal.stop;

import dev.loopwire.protocol.CheckConfig;
import dev.loopwire.protocol.LoopStatus;
import java.util.Optional;

/**
 * Decides {@code succeeded} when a check command or a judge guards the done claim: a claim
 * stands only when the check (if any) passed and the judge (if any) is satisfied. Without a
 * claim, a passing check (run after every iteration with {@code check.every = iteration}, or
 * because the judge was satisfied) or a satisfied judge succeeds too, with the other gate, when
 * configured, agreeing (agentic-loop's GoalRunner asks its judge after every round). A rejected claim's reason is kept for the next prompt.
 */
public final class DoneGate {

    private DoneGate() {
    }

    /** True when a check or judge is configured, so that the plain done-token rule is replaced. */
    public static boolean guards(CheckConfig check, boolean judge) {
        return judge || check != null && check.command() != null && !check.command().isBlank();
    }

    /**
     * @param judge true when a judge is configured
     */
    public static Optional<StopDecision> decide(boolean claimsDone, String doneToken, CheckConfig check,
            boolean judge, Verification v, PolicyState state) {
        state.rejectedClaim = null;
        boolean checkFailed = Boolean.FALSE.equals(v.checkPassed);
        boolean judgeNo = Boolean.FALSE.equals(v.judgeSatisfied);
        if (checkFailed || judgeNo) {
            if (claimsDone || checkFailed) {
                StringBuilder why = new StringBuilder();
                if (claimsDone) {
                    why.append("You wrote ").append(doneToken).append(", but the claim was rejected.\n\n");
                }
                if (checkFailed) {
                    why.append(CheckCommand.rejection(check, v)).append("\n\n");
                }
                if (judgeNo) {
                    why.append("The judge is not satisfied: ").append(v.judgeReason).append("\n\n");
                }
                state.rejectedClaim = why.toString().strip();
            }
            return Optional.empty();
        }
        boolean checkOk = Boolean.TRUE.equals(v.checkPassed);
        boolean judgeOk = Boolean.TRUE.equals(v.judgeSatisfied);
        boolean checkNeeded = guards(check, false);
        if ((claimsDone || checkOk || judgeOk) && (checkOk || !checkNeeded) && (judgeOk || !judge)) {
            StringBuilder reason = new StringBuilder(claimsDone
                    ? "the agent reported the goal reached (" + doneToken + ")" : "the goal is reached");
            if (checkOk) {
                reason.append(claimsDone ? " and" : ":").append(" the check `").append(check.command())
                        .append("` passed");
            }
            if (judgeOk) {
                reason.append(claimsDone || checkOk ? " and" : ":").append(" the judge is satisfied: ")
                        .append(v.judgeReason);
            }
            return Optional.of(new StopDecision(LoopStatus.SUCCEEDED, reason.toString()));
        }
        return Optional.empty();
    }
}
