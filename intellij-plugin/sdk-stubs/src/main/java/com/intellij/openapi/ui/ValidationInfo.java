package com.intellij.openapi.ui;

import javax.swing.JComponent;

/** Stub of platform/platform-api/src/com/intellij/openapi/ui/ValidationInfo.java (subset). */
public final class ValidationInfo {
    public ValidationInfo(String message, JComponent component) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }
}
