package com.intellij.openapi.application;

/** Stub of platform/core-api/src/com/intellij/openapi/application/ApplicationManager.java (subset). */
public class ApplicationManager {
    public static Application getApplication() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }
}
