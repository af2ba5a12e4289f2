package com.intellij.openapi.actionSystem;

/** Stub of platform/editor-ui-api/src/com/intellij/openapi/actionSystem/ActionUpdateThread.java. */
public enum ActionUpdateThread {
    BGT, EDT
}
