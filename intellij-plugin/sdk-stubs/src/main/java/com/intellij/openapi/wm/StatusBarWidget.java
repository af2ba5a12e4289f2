package com.intellij.openapi.wm;

import com.intellij.openapi.Disposable;

/** Stub of platform/platform-api/src/com/intellij/openapi/wm/StatusBarWidget.java (subset). */
public interface StatusBarWidget extends Disposable {
    String ID();

    default void install(StatusBar statusBar) {
    }

    @Override
    default void dispose() {
    }
}
