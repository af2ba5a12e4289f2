package dev.loopwire.intellij.actions;

import dev.loopwire.intellij.services.LoopwireProjectService;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;

/** Resumes a paused or resumable loop. */
public final class ResumeAction extends LoopAction {

    @Override
    boolean isEnabledFor(LoopSnapshot loop, LoopStatus status) {
        return status != null && !status.isActive() && (status == LoopStatus.PAUSED || loop.resumable());
    }

    @Override
    void perform(LoopwireProjectService service, String loopId) {
        report(service, "loop/resume", service.commands().resume(loopId, null));
    }
}
