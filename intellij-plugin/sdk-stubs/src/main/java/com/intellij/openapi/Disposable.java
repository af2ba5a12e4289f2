package com.intellij.openapi;

/** Stub of platform/util/src/com/intellij/openapi/Disposable.java (JetBrains/intellij-community). */
public interface Disposable {
    void dispose();
}
