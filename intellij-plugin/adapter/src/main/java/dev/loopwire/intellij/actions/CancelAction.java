package dev.loopwire.intellij.actions;

import dev.loopwire.intellij.services.LoopwireProjectService;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;

/** Cancels the target loop. */
public final class CancelAction extends LoopAction {

    @Override
    boolean isEnabledFor(LoopSnapshot loop, LoopStatus status) {
        return status != null && !status.isTerminal();
    }

    @Override
    void perform(LoopwireProjectService service, String loopId) {
        report(service, "loop/cancel", service.commands().cancel(loopId));
    }
}
