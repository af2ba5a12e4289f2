package dev.loopwire.engine.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loopwire.protocol.Budget;
import dev.loopwire.protocol.LoopStatus;
import dev.loopwire.protocol.PendingApproval;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusAdviceTest {

    @Test
    void everyStatusSaysWhetherItCanBeResumedAndWhatToDo() {
        EnumSet<LoopStatus> resumable = EnumSet.of(LoopStatus.CREATED, LoopStatus.PAUSED, LoopStatus.INTERRUPTED,
                LoopStatus.BUDGET_EXHAUSTED, LoopStatus.FAILED, LoopStatus.NO_PROGRESS, LoopStatus.APPROVAL_DENIED,
                LoopStatus.APPROVAL_EXPIRED);
        PendingApproval approval = new PendingApproval("ap-1", 1, "run_command", "t", Map.of(), "r", List.of(), null);
        for (LoopStatus status : LoopStatus.values()) {
            assertEquals(resumable.contains(status), StatusAdvice.resumable(status), status.wire());
            String action = StatusAdvice.recommendedAction(status, "L1", approval, new Budget(5, null, null, null), 5);
            assertNotNull(action, status.wire());
            assertTrue(action.contains("L1") || status == LoopStatus.SUCCEEDED || status == LoopStatus.CANCELLED,
                    status.wire() + ": " + action);
        }
        assertEquals("Answer approval ap-1: loopwire approve L1 ap-1 [--deny]",
                StatusAdvice.recommendedAction(LoopStatus.AWAITING_APPROVAL, "L1", approval, null, 0));
        assertEquals("Resume with a larger budget: loopwire resume L1 --max-iterations 10",
                StatusAdvice.recommendedAction(LoopStatus.BUDGET_EXHAUSTED, "L1", null, new Budget(5, null, null, null), 5));
        assertEquals("Resume with loopwire resume L1",
                StatusAdvice.recommendedAction(LoopStatus.INTERRUPTED, "L1", null, null, 0));
    }
}
