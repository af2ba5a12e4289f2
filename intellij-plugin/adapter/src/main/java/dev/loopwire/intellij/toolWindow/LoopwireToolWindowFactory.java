package dev.loopwire.intellij.toolWindow;

import com.intellij.openapi.project.DumbAware;
import com.intellij.openapi.project.Project;
import com.intellij.openapi.wm.ToolWindow;
import com.intellij.openapi.wm.ToolWindowFactory;
import com.intellij.ui.content.Content;
import com.intellij.ui.content.ContentFactory;
import dev.loopwire.intellij.actions.StartLoopAction;
import dev.loopwire.intellij.core.ui.LoopwirePanel;
import dev.loopwire.intellij.services.LoopwireProjectService;

/** Hosts the core's {@link LoopwirePanel} in the Loopwire tool window and starts the server. */
public final class LoopwireToolWindowFactory implements ToolWindowFactory, DumbAware {

    @Override
    public void createToolWindowContent(Project project, ToolWindow toolWindow) {
        LoopwireProjectService service = LoopwireProjectService.getInstance(project);
        LoopwirePanel panel = new LoopwirePanel(service.store(), service.commands(), new LoopwirePanel.Hooks() {
            @Override
            public void startLoop() {
                StartLoopAction.open(project);
            }

            @Override
            public void openMemory(String loopId) {
                service.openMemory(loopId);
            }

            @Override
            public void openJournal(String loopId) {
                service.openJournal(loopId);
            }

            @Override
            public void restartServer() {
                service.restart();
            }

            @Override
            public void requestFailed(String what, String message) {
                service.notifier().requestFailed(what, message);
            }
        });
        panel.setConnectionState(service.supervisor().state());
        service.supervisor().addStateListener(panel::setConnectionState);
        service.setSelection(panel::selectedLoopId);
        Content content = ContentFactory.getInstance().createContent(panel, "", false);
        content.setDisposer(panel::dispose);
        toolWindow.getContentManager().addContent(content);
        service.ensureStarted();
    }
}
