package com.intellij.openapi.wm;

import com.intellij.openapi.project.PossiblyDumbAware;
import com.intellij.openapi.project.Project;

/**
 * Stub of platform/platform-api/src/com/intellij/openapi/wm/ToolWindowFactory.kt: the Java view of
 * the Kotlin interface (its default methods are Java default methods; the suspend functions
 * and internal members are left out).
 */
public interface ToolWindowFactory extends PossiblyDumbAware {
    void createToolWindowContent(Project project, ToolWindow toolWindow);

    default void init(ToolWindow toolWindow) {
    }

    default boolean shouldBeAvailable(Project project) {
        return true;
    }
}
