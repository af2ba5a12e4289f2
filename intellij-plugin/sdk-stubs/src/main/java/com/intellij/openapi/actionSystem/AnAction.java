package com.intellij.openapi.actionSystem;

import com.intellij.openapi.project.PossiblyDumbAware;
import java.util.function.Supplier;

/** Stub of platform/editor-ui-api/src/com/intellij/openapi/actionSystem/AnAction.java (subset). */
public abstract class AnAction implements PossiblyDumbAware {
    public AnAction() {
    }

    public AnAction(String text) {
    }

    public AnAction(Supplier<String> dynamicText) {
    }

    public ActionUpdateThread getActionUpdateThread() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public void update(AnActionEvent e) {
    }

    public abstract void actionPerformed(AnActionEvent e);
}
