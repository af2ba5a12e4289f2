package com.intellij.openapi.project;

/** Stub of platform/core-api/src/com/intellij/openapi/project/DumbAware.java (a marker interface). */
public interface DumbAware {
}
