package com.intellij.openapi.application;

import com.intellij.openapi.components.ComponentManager;

/** Stub of platform/core-api/src/com/intellij/openapi/application/Application.java (subset). */
public interface Application extends ComponentManager {
    void invokeLater(Runnable runnable);
}
