package com.intellij.ui.content;

import javax.swing.JComponent;

/** Stub of platform/ide-core/src/com/intellij/ui/content/ContentFactory.java (subset). */
public interface ContentFactory {
    Content createContent(JComponent component, String displayName, boolean isLockable);

    static ContentFactory getInstance() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }
}
