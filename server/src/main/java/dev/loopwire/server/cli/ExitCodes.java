package dev.loopwire.server.cli;

import dev.loopwire.protocol.LoopStatus;

/** The CLI's exit codes, from a loop's status. */
final class ExitCodes {

    static final int SUCCEEDED = 0;
    static final int FAILED = 1;
    static final int BUDGET = 2;
    static final int AWAITING_APPROVAL = 3;
    static final int USAGE = 64;
    static final int CANCELLED = 130;

    private ExitCodes() {
    }

    /**
     * 0 succeeded; 2 budget exhausted or no progress; 3 awaiting approval; 130 cancelled; 1 for
     * every other status (failed, approval denied or expired, interrupted, paused).
     */
    static int of(String status) {
        LoopStatus s = LoopStatus.fromWire(status).orElse(LoopStatus.FAILED);
        return switch (s) {
            case SUCCEEDED -> SUCCEEDED;
            case BUDGET_EXHAUSTED, NO_PROGRESS -> BUDGET;
            case AWAITING_APPROVAL -> AWAITING_APPROVAL;
            case CANCELLED -> CANCELLED;
            default -> FAILED;
        };
    }
}
