package dev.loopwire.engine.internal;

import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.PendingApproval;

/** For every status: whether {@code loop/resume} can continue it, and what a person can do next. */
public final class StatusAdvice {

    private StatusAdvice() {
    }

    public static boolean resumable(LoopStatus status) {
        return switch (status) {
            case CREATED, PAUSED, INTERRUPTED, BUDGET_EXHAUSTED, FAILED, NO_PROGRESS, APPROVAL_DENIED,
                    APPROVAL_EXPIRED -> true;
            case RUNNING, WAITING, AWAITING_APPROVAL, SUCCEEDED, CANCELLED -> false;
        };
    }

    /** A concrete next step, or null while there is nothing to do but wait. */
    public static String recommendedAction(LoopStatus status, String loopId, PendingApproval approval,
            Budget budget, int iterations) {
        return switch (status) {
            case CREATED -> "Run it: loopwire resume " + loopId + " (or one iteration at a time with loop/step)";
            case RUNNING, WAITING -> "Watch it: loopwire tail " + loopId + "; stop it with loopwire cancel " + loopId;
            case AWAITING_APPROVAL -> approval == null ? "Answer its approval: loopwire show " + loopId
                    : "Answer approval " + approval.approvalId() + ": loopwire approve " + loopId + " "
                            + approval.approvalId() + " [--deny]";
            case PAUSED -> "Continue it: loopwire resume " + loopId;
            case INTERRUPTED -> "Resume with loopwire resume " + loopId;
            case BUDGET_EXHAUSTED -> "Resume with a larger budget: loopwire resume " + loopId + " "
                    + largerBudgetFlag(budget, iterations);
            case FAILED -> "Read the reason and the journal (loopwire show " + loopId
                    + "), fix the cause, then loopwire resume " + loopId;
            case NO_PROGRESS -> "Edit the loop's memory file to steer it, then loopwire resume " + loopId;
            case APPROVAL_DENIED -> "Adjust the goal or approval rules, then loopwire resume " + loopId;
            case APPROVAL_EXPIRED -> "Resume to be asked again: loopwire resume " + loopId;
            case SUCCEEDED -> "Review the changes in the workspace; start a new loop for more work";
            case CANCELLED -> "Start a new loop (a cancelled loop cannot be resumed)";
        };
    }

    private static String largerBudgetFlag(Budget budget, int iterations) {
        if (budget != null && budget.maxIterations() != null) {
            return "--max-iterations " + Math.max(iterations, budget.maxIterations()) * 2;
        }
        if (budget != null && budget.maxTokens() != null) {
            return "--max-tokens " + budget.maxTokens() * 2;
        }
        if (budget != null && budget.maxWallSeconds() != null) {
            return "--max-wall-seconds " + Math.round(budget.maxWallSeconds() * 2);
        }
        if (budget != null && budget.maxCostUsd() != null) {
            return "--max-cost-usd " + budget.maxCostUsd() * 2;
        }
        return "--max-iterations " + Math.max(20, iterations * 2);
    }
}
