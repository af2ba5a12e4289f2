package com.intellij.openapi.options;

import javax.swing.JComponent;

/** Stub of platform/ide-core/src/com/intellij/openapi/options/UnnamedConfigurable.java. */
public interface UnnamedConfigurable {
    JComponent createComponent();

    boolean isModified();

    void apply() throws ConfigurationException;

    default void reset() {
    }

    default void disposeUIResources() {
    }
}
