package com.intellij.openapi.vfs;

import java.nio.file.Path;

/** Stub of platform/analysis-api/src/com/intellij/openapi/vfs/LocalFileSystem.java (subset). */
public abstract class LocalFileSystem {
    public static LocalFileSystem getInstance() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public VirtualFile refreshAndFindFileByNioFile(Path file) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }
}
