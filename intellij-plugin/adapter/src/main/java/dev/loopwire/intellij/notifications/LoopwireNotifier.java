package dev.loopwire.intellij.notifications;

import com.google.gson.Gson;
import com.intellij.notification.Notification;
import com.intellij.notification.NotificationAction;
import com.intellij.notification.NotificationType;
import com.intellij.openapi.project.Project;
import dev.loopwire.intellij.LoopwireBundle;
import dev.loopwire.intellij.core.LoopCommands;
import dev.loopwire.intellij.core.LoopStoreListener;
import dev.loopwire.protocol.Decision;
import dev.loopwire.protocol.PendingApproval;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns approval requests into sticky balloons with Approve / Always / Deny, wherever the person
 * is in the IDE. A click answers {@code loop/approve} (off the UI thread, through
 * {@link LoopCommands}) and expires the balloon; an approval answered elsewhere (the tool window,
 * another client) expires it too. Also shows server failures (with Restart) and failed requests.
 */
public final class LoopwireNotifier implements LoopStoreListener {

    /** Notification group ids, declared in plugin.xml. */
    public static final String APPROVALS = "Loopwire Approvals";
    public static final String SERVER = "Loopwire Server";
    public static final String ERRORS = "Loopwire Errors";

    private final Project project;
    private final LoopCommands commands;
    private final Runnable restart;
    private final Map<String, Notification> byApproval = new ConcurrentHashMap<>();
    private volatile Notification serverFailure;

    /** @param restart what Restart in a server failure does */
    public LoopwireNotifier(Project project, LoopCommands commands, Runnable restart) {
        this.project = project;
        this.commands = commands;
        this.restart = restart;
    }

    @Override
    public void approvalRequested(String loopId, PendingApproval approval) {
        Notification existing = byApproval.get(approval.approvalId());
        if (existing != null && !existing.isExpired()) {
            return;
        }
        String input = approval.input() == null ? "" : new Gson().toJson(approval.input());
        if (input.length() > 300) {
            input = input.substring(0, 300) + "\u2026";
        }
        Notification n = new Notification(APPROVALS,
                LoopwireBundle.message("approval.title", loopId, approval.tool()),
                LoopwireBundle.message("approval.content", html(approval.title()), html(approval.reason()), html(input)),
                NotificationType.WARNING);
        n.addAction(answer(loopId, approval, Decision.ALLOW_ONCE, "approval.approve"));
        n.addAction(answer(loopId, approval, Decision.ALLOW_ALWAYS, "approval.always"));
        n.addAction(answer(loopId, approval, Decision.REJECT_ONCE, "approval.deny"));
        byApproval.put(approval.approvalId(), n);
        n.notify(project);
    }

    @Override
    public void approvalResolved(String loopId, String approvalId) {
        Notification n = byApproval.remove(approvalId);
        if (n != null) {
            n.expire();
        }
    }

    /** The server gave up: a sticky error with Restart. */
    public void serverFailed(String message) {
        Notification old = serverFailure;
        if (old != null) {
            old.expire();
        }
        Notification n = new Notification(SERVER, LoopwireBundle.message("server.failed.title"), html(message),
                NotificationType.ERROR);
        n.addAction(NotificationAction.createSimpleExpiring(LoopwireBundle.message("server.restart"), restart));
        serverFailure = n;
        n.notify(project);
    }

    /** A request failed; {@code message} is the server's sentence. */
    public void requestFailed(String what, String message) {
        new Notification(ERRORS, LoopwireBundle.message("request.failed.title", what), html(message),
                NotificationType.ERROR).notify(project);
    }

    private NotificationAction answer(String loopId, PendingApproval approval, Decision decision, String key) {
        return NotificationAction.createSimpleExpiring(LoopwireBundle.message(key), () -> {
            byApproval.remove(approval.approvalId());
            commands.approve(loopId, approval.approvalId(), decision).whenComplete((snapshot, t) -> {
                if (t != null) {
                    requestFailed("loop/approve", LoopwireBundle.message("approval.failed", LoopCommands.describe(t)));
                }
            });
        });
    }

    private static String html(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
