package com.intellij.openapi.fileEditor;

import com.intellij.openapi.project.Project;
import com.intellij.openapi.vfs.VirtualFile;

/** Stub of platform/analysis-api/src/com/intellij/openapi/fileEditor/FileEditorManager.java (subset). */
public abstract class FileEditorManager {
    public static FileEditorManager getInstance(Project project) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public abstract FileEditor[] openFile(VirtualFile file, boolean focusEditor);
}
