package com.intellij.openapi.actionSystem;

import com.intellij.openapi.project.Project;

/** Stub of platform/editor-ui-api/src/com/intellij/openapi/actionSystem/AnActionEvent.java (subset). */
public class AnActionEvent {
    public Project getProject() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public Presentation getPresentation() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }
}
