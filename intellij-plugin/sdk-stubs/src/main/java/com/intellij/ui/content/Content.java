package com.intellij.ui.content;

import com.intellij.openapi.Disposable;

/** Stub of platform/ide-core/src/com/intellij/ui/content/Content.java (subset). */
public interface Content {
    void setDisposer(Disposable disposer);
}
