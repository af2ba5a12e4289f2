/** Status bar item: running loops and pending approvals; click opens the Loops view. */
import * as vscode from 'vscode';
import { LoopwireSession, SessionState } from '../client/session';
import { toDisposable } from './loopsTree';

export class LoopwireStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('loopwire.status', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [];
  private serverState: SessionState = 'stopped';

  constructor(private readonly session: LoopwireSession) {
    this.item.name = 'Loopwire';
    this.item.command = 'workbench.view.extension.loopwire';
    const update = () => this.update();
    this.subscriptions.push(
      toDisposable(session.store.onDidChange((c) => { if (c.kind !== 'output' && c.kind !== 'progress') { update(); } })),
      toDisposable(session.store.onDidReset(update)),
      toDisposable(session.onDidChangeState((e) => { this.serverState = e.state; update(); })),
    );
    this.update();
    this.item.show();
  }

  update(): void {
    const running = this.session.store.runningCount();
    const approvals = this.session.store.pendingApprovals().length;
    const parts: string[] = [];
    if (this.serverState === 'failed') {
      parts.push('$(error) Loopwire: server stopped');
    } else if (this.serverState === 'starting') {
      parts.push('$(loading~spin) Loopwire');
    } else {
      parts.push(running > 0 ? `$(sync~spin) Loopwire: ${running} running` : '$(debug-alt) Loopwire');
    }
    if (approvals > 0) {
      parts.push(`$(bell-dot) ${approvals} approval${approvals > 1 ? 's' : ''}`);
    }
    this.item.text = parts.join('  ');
    this.item.tooltip = `Loopwire: ${running} running loop(s), ${approvals} pending approval(s). Click to show the Loops view.`;
    this.item.backgroundColor = approvals > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : this.serverState === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.item.dispose();
  }
}
