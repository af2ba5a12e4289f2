package com.intellij.openapi.ui;

import com.intellij.openapi.project.Project;
import javax.swing.JComponent;

/** Stub of platform/platform-api/src/com/intellij/openapi/ui/DialogWrapper.java (subset). */
public abstract class DialogWrapper {
    protected DialogWrapper(Project project) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    protected void init() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    protected abstract JComponent createCenterPanel();

    protected ValidationInfo doValidate() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public JComponent getPreferredFocusedComponent() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public void setTitle(String title) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public boolean showAndGet() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }
}
