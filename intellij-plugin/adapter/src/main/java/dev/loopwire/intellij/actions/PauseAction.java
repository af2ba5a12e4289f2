package dev.loopwire.intellij.actions;

import dev.loopwire.intellij.services.LoopwireProjectService;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;

/** Pauses the target loop after its current step. */
public final class PauseAction extends LoopAction {

    @Override
    boolean isEnabledFor(LoopSnapshot loop, LoopStatus status) {
        return status != null && status.isActive();
    }

    @Override
    void perform(LoopwireProjectService service, String loopId) {
        report(service, "loop/pause", service.commands().pause(loopId));
    }
}
