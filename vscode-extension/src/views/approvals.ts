/**
 * Approval notifications: one per pending approval, with Approve / Deny / Show, shown even when
 * no loop view is open. VS Code has no API to close a notification, so when an approval is
 * answered elsewhere (loop view, another client, the CLI) its toast is hidden with
 * `notifications.hideToasts` and its buttons turn into a no-op that says it was already answered.
 */
import * as vscode from 'vscode';
import { LoopwireSession } from '../client/session';
import { Decision, PendingApproval } from '../protocol';
import { toDisposable } from './loopsTree';
import { loopLabel } from './format';

export class ApprovalNotifier implements vscode.Disposable {
  /** approvalId -> still unanswered by this notification. */
  private readonly open = new Map<string, { loopId: string }>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly session: LoopwireSession, private readonly showLoop: (loopId: string) => Promise<void>) {
    this.subscriptions.push(
      toDisposable(session.store.onApprovalRequested((e) => void this.notify(e.loopId, e.approval))),
      toDisposable(session.store.onApprovalResolved((e) => this.resolvedElsewhere(e.approvalId))),
    );
  }

  private async notify(loopId: string, approval: PendingApproval): Promise<void> {
    const id = approval.approvalId!;
    if (this.open.has(id)) {
      return;
    }
    this.open.set(id, { loopId });
    const snapshot = this.session.store.get(loopId)?.snapshot;
    const what = approval.title || `${approval.tool ?? 'a tool'}`;
    const message = `Loopwire: "${snapshot ? loopLabel(snapshot) : loopId}" asks to ${what}` +
      (approval.reason ? ` (${approval.reason})` : '');
    const choice = await vscode.window.showWarningMessage(message, 'Approve', 'Deny', 'Show');
    const stillOpen = this.open.has(id);
    this.open.delete(id);
    if (choice === 'Show') {
      await this.showLoop(loopId);
      return;
    }
    if (choice !== 'Approve' && choice !== 'Deny') {
      return;
    }
    if (!stillOpen) {
      void vscode.window.showInformationMessage('Loopwire: that approval was already answered.');
      return;
    }
    const decision: Decision = choice === 'Approve' ? 'allow_once' : 'reject_once';
    try {
      const conn = await this.session.ready();
      this.session.store.upsertSnapshot(await conn.approve({ loopId, approvalId: id, decision }));
    } catch (e) {
      void vscode.window.showErrorMessage(`Loopwire: ${(e as Error).message}`);
    }
  }

  private resolvedElsewhere(approvalId: string): void {
    if (this.open.delete(approvalId)) {
      void vscode.commands.executeCommand('notifications.hideToasts');
    }
  }

  /** Approval ids with a notification still showing (for tests and the status bar). */
  get openCount(): number {
    return this.open.size;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}
