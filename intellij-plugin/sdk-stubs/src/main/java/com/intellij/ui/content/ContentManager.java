package com.intellij.ui.content;

/** Stub of platform/ide-core/src/com/intellij/ui/content/ContentManager.java (subset). */
public interface ContentManager {
    void addContent(Content content);
}
