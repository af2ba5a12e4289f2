package com.intellij.openapi.options;

/** Stub of platform/ide-core/src/com/intellij/openapi/options/ConfigurationException.java (subset). */
public class ConfigurationException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
