package com.intellij.openapi.project;

import com.intellij.openapi.actionSystem.AnAction;
import java.util.function.Supplier;

/** Stub of platform/platform-api/src/com/intellij/openapi/project/DumbAwareAction.java (subset). */
public abstract class DumbAwareAction extends AnAction implements DumbAware {
    protected DumbAwareAction() {
    }

    protected DumbAwareAction(String text) {
        super(text);
    }

    protected DumbAwareAction(Supplier<String> dynamicText) {
        super(dynamicText);
    }
}
