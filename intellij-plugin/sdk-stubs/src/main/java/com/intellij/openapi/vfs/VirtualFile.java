package com.intellij.openapi.vfs;

/** Stub of platform/core-api/src/com/intellij/openapi/vfs/VirtualFile.java (type only). */
public abstract class VirtualFile {
}
