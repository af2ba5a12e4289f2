package com.intellij.notification;

import com.intellij.openapi.actionSystem.AnAction;
import com.intellij.openapi.project.Project;

/** Stub of platform/ide-core/src/com/intellij/notification/Notification.java (subset). */
public class Notification {
    public Notification(String groupId, String title, String content, NotificationType type) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public Notification addAction(AnAction action) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public boolean isExpired() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public void expire() {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public void notify(Project project) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }
}
