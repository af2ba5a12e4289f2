package dev.loopwire.intellij.actions;

import com.intellij.openapi.actionSystem.ActionUpdateThread;
import com.intellij.openapi.actionSystem.AnAction;
import com.intellij.openapi.actionSystem.AnActionEvent;
import com.intellij.openapi.project.DumbAware;
import com.intellij.openapi.project.Project;
import dev.loopwire.intellij.LoopwireBundle;
import dev.loopwire.intellij.services.LoopwireProjectService;
import dev.loopwire.protocol.LoopSnapshot;
import dev.loopwire.protocol.LoopStatus;

/**
 * An action on the target loop (selected in the tool window, see
 * {@link LoopwireProjectService#targetLoop()}). Enablement is computed on a background thread
 * from the store; the request itself is sent by the core's commands off the UI thread.
 */
abstract class LoopAction extends AnAction implements DumbAware {

    @Override
    public ActionUpdateThread getActionUpdateThread() {
        return ActionUpdateThread.BGT;
    }

    @Override
    public void update(AnActionEvent e) {
        Project project = e.getProject();
        LoopSnapshot target = project == null ? null : LoopwireProjectService.getInstance(project).targetLoop();
        e.getPresentation().setEnabled(target != null
                && isEnabledFor(target, LoopStatus.fromWire(target.status()).orElse(null)));
    }

    @Override
    public void actionPerformed(AnActionEvent e) {
        Project project = e.getProject();
        if (project == null) {
            return;
        }
        LoopwireProjectService service = LoopwireProjectService.getInstance(project);
        LoopSnapshot target = service.targetLoop();
        if (target == null) {
            service.notifier().requestFailed(getClass().getSimpleName(), LoopwireBundle.message("no.loop"));
            return;
        }
        perform(service, target.loopId());
    }

    /** Whether the action applies to a loop in {@code status} ({@code null}: unknown status). */
    abstract boolean isEnabledFor(LoopSnapshot loop, LoopStatus status);

    /** Does it. */
    abstract void perform(LoopwireProjectService service, String loopId);

    /** Reports a failed request as a notification. */
    static void report(LoopwireProjectService service, String what, java.util.concurrent.CompletableFuture<?> request) {
        request.whenComplete((r, t) -> {
            if (t != null) {
                service.notifier().requestFailed(what, dev.loopwire.intellij.core.LoopCommands.describe(t));
            }
        });
    }
}
