package dev.loopwire.intellij.statusBar;

import com.intellij.openapi.project.Project;
import com.intellij.openapi.wm.StatusBar;
import com.intellij.openapi.wm.StatusBarWidget;
import com.intellij.openapi.wm.StatusBarWidgetFactory;
import dev.loopwire.intellij.LoopwireBundle;

/** Adds the Loopwire widget (running / awaiting counts) to the status bar. */
public final class LoopwireStatusBarWidgetFactory implements StatusBarWidgetFactory {

    @Override
    public String getId() {
        return LoopwireStatusBarWidget.ID;
    }

    @Override
    public String getDisplayName() {
        return LoopwireBundle.message("status.widget.name");
    }

    @Override
    public boolean isAvailable(Project project) {
        return true;
    }

    @Override
    public StatusBarWidget createWidget(Project project) {
        return new LoopwireStatusBarWidget(project);
    }

    @Override
    public void disposeWidget(StatusBarWidget widget) {
        widget.dispose();
    }

    @Override
    public boolean canBeEnabledOn(StatusBar statusBar) {
        return true;
    }
}
