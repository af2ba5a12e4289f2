package dev.loopwire.intellij.actions;

import dev.loopwire.intellij.services.LoopwireProjectService;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;

/** Opens the target loop's memory file in an editor. */
public final class OpenMemoryAction extends LoopAction {

    @Override
    boolean isEnabledFor(LoopSnapshot loop, LoopStatus status) {
        return true;
    }

    @Override
    void perform(LoopwireProjectService service, String loopId) {
        service.openMemory(loopId);
    }
}
