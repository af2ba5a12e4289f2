package dev.loopwire.engine.internal.stop;

import java.util.ArrayList;
import java.util.List;

/**
 * What the iteration policies remember between iterations (kept in {@code state.json}, so that
 * streaks survive a restart). Plain fields for Jackson.
 */
public final class PolicyState {

    /** Iterations in a row without an artifact change and without a memory change. */
    public int unchangedIterations;
    /** The last normalized summaries (at most the stagnation limit). */
    public List<String> recentSummaries = new ArrayList<>();
    /** Signature of the last failure, or null after a success. */
    public String lastFailureSignature;
    /** Identical failures in a row. */
    public int identicalFailures;
    /** Failures of any kind in a row. */
    public int anyFailures;
    /** Iterations in a row that ended with invalid tool arguments. */
    public int invalidPlans;
    /** SHA-256 of the memory file after the last iteration's progress line (null before one). */
    public String memorySha;
    /** Why the last done claim was rejected (check output tail, judge reason), for the next prompt. */
    public String rejectedClaim;
    /** The artifacts section measured at the end of the last iteration, for the next prompt. */
    public String artifactsSection;
    /** Judge calls made so far (the judge's own call index). */
    public int judgeCalls;
    /** How the last prompt's context was budgeted (verbatim window), shown by {@code loop/get}. */
    public dev.loopwire.protocol.ContextBudget contextBudget;
    /** The last completed provider call, for the budget forecast ({@link BudgetForecast}); null before one. */
    public Long lastCallChars;
    public Long lastCallInputTokens;
    public Long lastCallOutputTokens;
    public Double lastCallCostUsd;
    /** The loop said once that its provider reports no cost, so {@code maxCostUsd} cannot be enforced. */
    public boolean costUnknownNoted;

    /** Starts every streak again (on {@code loop/resume}); measurements and the judge's call count stay. */
    public void resetStreaks() {
        unchangedIterations = 0;
        recentSummaries.clear();
        lastFailureSignature = null;
        identicalFailures = 0;
        anyFailures = 0;
        invalidPlans = 0;
    }
}
