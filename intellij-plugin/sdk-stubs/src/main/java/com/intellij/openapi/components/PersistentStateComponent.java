package com.intellij.openapi.components;

/** Stub of platform/core-api/src/com/intellij/openapi/components/PersistentStateComponent.java. */
public interface PersistentStateComponent<T> {
    T getState();

    void loadState(T state);

    default void noStateLoaded() {
    }

    default void initializeComponent() {
    }
}
