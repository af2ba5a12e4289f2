package com.intellij.openapi.actionSystem;

/** Stub of platform/editor-ui-api/src/com/intellij/openapi/actionSystem/Presentation.java (subset). */
public final class Presentation {
    public void setEnabled(boolean enabled) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public void setEnabledAndVisible(boolean enabled) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }
}
