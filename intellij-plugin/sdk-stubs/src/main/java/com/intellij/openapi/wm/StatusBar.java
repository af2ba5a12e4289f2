package com.intellij.openapi.wm;

/** Stub of platform/platform-api/src/com/intellij/openapi/wm/StatusBar.java (subset). */
public interface StatusBar {
    void updateWidget(String id);
}
