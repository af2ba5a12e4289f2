package dev.loopwire.intellij.actions;

import dev.loopwire.intellij.services.LoopwireProjectService;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;

/** Opens the target loop's journal in an editor. */
public final class OpenJournalAction extends LoopAction {

    @Override
    boolean isEnabledFor(LoopSnapshot loop, LoopStatus status) {
        return true;
    }

    @Override
    void perform(LoopwireProjectService service, String loopId) {
        service.openJournal(loopId);
    }
}
