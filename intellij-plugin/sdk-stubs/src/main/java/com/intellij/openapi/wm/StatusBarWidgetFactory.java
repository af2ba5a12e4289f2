package com.intellij.openapi.wm;

import com.intellij.openapi.project.Project;

/** Stub of platform/platform-api/src/com/intellij/openapi/wm/StatusBarWidgetFactory.java (subset). */
public interface StatusBarWidgetFactory {
    String getId();

    String getDisplayName();

    boolean isAvailable(Project project);

    default StatusBarWidget createWidget(Project project) {
        throw new AbstractMethodError("createWidget is not implemented");
    }

    default void disposeWidget(StatusBarWidget widget) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    default boolean canBeEnabledOn(StatusBar statusBar) {
        return true;
    }
}
