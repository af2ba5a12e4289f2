package com.intellij.openapi.fileEditor;

/** Stub of platform/editor-ui-api/src/com/intellij/openapi/fileEditor/FileEditor.java (type only). */
public interface FileEditor {
}
