package dev.loopwire.intellij.actions;

import dev.loopwire.intellij.services.LoopwireProjectService;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;

/** Runs exactly one iteration of the target loop. */
public final class StepAction extends LoopAction {

    @Override
    boolean isEnabledFor(LoopSnapshot loop, LoopStatus status) {
        return status != null && !status.isActive() && (!status.isTerminal() || loop.resumable());
    }

    @Override
    void perform(LoopwireProjectService service, String loopId) {
        report(service, "loop/step", service.commands().step(loopId));
    }
}
