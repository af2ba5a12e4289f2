package com.intellij.openapi.components;

/** Stub of platform/core-api/src/com/intellij/openapi/components/ComponentManager.java (subset). */
public interface ComponentManager {
    <T> T getService(Class<T> serviceClass);

    boolean isDisposed();
}
