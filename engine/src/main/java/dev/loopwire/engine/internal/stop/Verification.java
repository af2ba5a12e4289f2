package dev.loopwire.engine.internal.stop;

/**
 * What was measured after an iteration's tool calls and before it completes: artifact changes,
 * the check command's result, the judge's verdict. Kept in the in-flight iteration of
 * {@code state.json}, so that a restart never runs a check or asks the judge twice. Plain fields
 * for Jackson.
 */
public final class Verification {

    /** Null when unknown (the first scan of the workspace, or the scan failed). */
    public Boolean artifactsChanged;
    /** The artifacts section for the next prompt. */
    public String artifactsSection;
    /** Null when the check did not run. */
    public Boolean checkPassed;
    public Integer checkExitCode;
    /** The tail of the check's output. */
    public String checkTail;
    /** Null when the judge was not asked. */
    public Boolean judgeSatisfied;
    public String judgeReason;
}
