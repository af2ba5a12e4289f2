package com.intellij.notification;

/** Stub of platform/ide-core/src/com/intellij/notification/NotificationType.java. */
public enum NotificationType {
    IDE_UPDATE, INFORMATION, WARNING, ERROR
}
