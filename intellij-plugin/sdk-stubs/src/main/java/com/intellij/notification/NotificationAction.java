package com.intellij.notification;

import com.intellij.openapi.actionSystem.AnActionEvent;
import com.intellij.openapi.project.DumbAwareAction;
import java.util.function.BiConsumer;

/** Stub of platform/ide-core/src/com/intellij/notification/NotificationAction.java (subset). */
public abstract class NotificationAction extends DumbAwareAction {
    public NotificationAction(String text) {
        super(text);
    }

    public abstract void actionPerformed(AnActionEvent e, Notification notification);

    public static NotificationAction create(String text, BiConsumer<? super AnActionEvent, ? super Notification> action) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }

    public static NotificationAction createSimpleExpiring(String text, Runnable action) {
        throw new UnsupportedOperationException("IntelliJ Platform API stub: compile only");
    }
}
