package com.intellij.openapi.wm;

import javax.swing.JComponent;

/** Stub of platform/platform-api/src/com/intellij/openapi/wm/CustomStatusBarWidget.java. */
public interface CustomStatusBarWidget extends StatusBarWidget {
    JComponent getComponent();
}
