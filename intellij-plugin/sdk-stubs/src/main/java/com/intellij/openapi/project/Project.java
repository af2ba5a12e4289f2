package com.intellij.openapi.project;

import com.intellij.openapi.components.ComponentManager;

/** Stub of platform/core-api/src/com/intellij/openapi/project/Project.java (subset). */
public interface Project extends ComponentManager {
    String getName();

    String getBasePath();
}
