package com.intellij.openapi.wm;

import com.intellij.ui.content.ContentManager;

/** Stub of platform/platform-api/src/com/intellij/openapi/wm/ToolWindow.java (subset). */
public interface ToolWindow {
    ContentManager getContentManager();
}
