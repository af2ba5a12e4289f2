package com.intellij.openapi.options;

/** Stub of platform/ide-core/src/com/intellij/openapi/options/Configurable.java (subset). */
public interface Configurable extends UnnamedConfigurable {
    String getDisplayName();
}
