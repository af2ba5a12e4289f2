package dev.loopwire.intellij.actions;

import com.intellij.openapi.actionSystem.ActionUpdateThread;
import com.intellij.openapi.actionSystem.AnAction;
import com.intellij.openapi.actionSystem.AnActionEvent;
import com.intellij.openapi.project.DumbAware;
import com.intellij.openapi.project.Project;
import dev.loopwire.intellij.core.LoopCommands;
import dev.loopwire.intellij.services.LoopwireProjectService;
import dev.loopwire.protocol.StartLoopParams;

/** Tools | Loopwire | Start Loop…: the Start Loop dialog, then {@code loop/start}. */
public final class StartLoopAction extends AnAction implements DumbAware {

    @Override
    public ActionUpdateThread getActionUpdateThread() {
        return ActionUpdateThread.BGT;
    }

    @Override
    public void update(AnActionEvent e) {
        e.getPresentation().setEnabled(e.getProject() != null);
    }

    @Override
    public void actionPerformed(AnActionEvent e) {
        Project project = e.getProject();
        if (project != null) {
            open(project);
        }
    }

    /** Shows the dialog (UI thread) and starts the loop the person asked for. */
    public static void open(Project project) {
        LoopwireProjectService service = LoopwireProjectService.getInstance(project);
        service.ensureStarted();
        StartLoopDialog dialog = new StartLoopDialog(project, service);
        if (!dialog.showAndGet()) {
            return;
        }
        StartLoopParams params = dialog.params();
        service.commands().start(params).whenComplete((snapshot, t) -> {
            if (t != null) {
                service.notifier().requestFailed("loop/start", LoopCommands.describe(t));
            }
        });
    }
}
