/**
 * Loop views: one webview panel per loop. Each panel gets the loop's full state when it opens or
 * the store is rebuilt (fetched fresh with `loop/get`), then incremental output as it streams.
 * Messages from the page (approvals, loop commands) become requests or commands.
 */
import * as vscode from 'vscode';
import { LoopChange, LoopState } from '../client/loopStore';
import { LoopwireSession } from '../client/session';
import { Decision } from '../protocol';
import { toDisposable } from './loopsTree';
import { loopLabel } from './format';
import { loopViewHtml, newNonce } from './loopViewHtml';

export const LOOP_VIEW_TYPE = 'loopwire.loopView';

/** What the page posts. */
type PageMessage =
  | { type: 'ready'; loopId: string }
  | { type: 'approve'; loopId: string; approvalId: string; decision: Decision; note?: string }
  | { type: 'command'; loopId: string; command: string };

export class LoopViewManager implements vscode.Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly pendingState = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly session: LoopwireSession) {
    const store = session.store;
    this.subscriptions.push(
      toDisposable(store.onDidChange((c) => this.onChange(c))),
      toDisposable(store.onDidReset(() => { for (const id of this.panels.keys()) { this.postState(id); } })),
      vscode.window.registerWebviewPanelSerializer(LOOP_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, saved: { state?: { snapshot?: { loopId?: string } } } | undefined) => {
          const loopId = saved?.state?.snapshot?.loopId;
          if (!loopId) {
            panel.dispose();
            return;
          }
          this.adopt(loopId, panel);
        },
      }),
    );
  }

  /** Opens (or reveals) the view of a loop and fills it from `loop/get`. */
  async open(loopId: string): Promise<void> {
    const existing = this.panels.get(loopId);
    if (existing) {
      existing.reveal();
    } else {
      const s = this.session.store.get(loopId)?.snapshot;
      const panel = vscode.window.createWebviewPanel(LOOP_VIEW_TYPE, `Loop: ${s ? loopLabel(s) : loopId}`,
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, this.webviewOptions());
      this.adopt(loopId, panel);
    }
    try {
      await this.session.refreshLoop(loopId);
    } catch (e) {
      this.panels.get(loopId)?.webview.postMessage({ type: 'error', message: (e as Error).message });
    }
    this.postState(loopId);
  }

  isOpen(loopId: string): boolean {
    return this.panels.has(loopId);
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'media')],
    };
  }

  private adopt(loopId: string, panel: vscode.WebviewPanel): void {
    this.panels.set(loopId, panel);
    const webview = panel.webview;
    webview.options = this.webviewOptions();
    const subs = [
      webview.onDidReceiveMessage((m: PageMessage) => this.onMessage(loopId, m)),
      panel.onDidChangeViewState(() => { if (panel.visible) { this.postState(loopId); } }),
    ];
    const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', f)).toString();
    const s = this.session.store.get(loopId)?.snapshot;
    webview.html = loopViewHtml({
      cspSource: webview.cspSource, nonce: newNonce(), scriptUri: media('loopView.js'), styleUri: media('loopView.css'),
      loopId, title: s ? loopLabel(s) : loopId,
    });
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'loopwire.svg');
    panel.onDidDispose(() => {
      subs.forEach((d) => d.dispose());
      this.panels.delete(loopId);
    });
  }

  private async onMessage(loopId: string, m: PageMessage): Promise<void> {
    const panel = this.panels.get(loopId);
    try {
      switch (m.type) {
        case 'ready':
          this.postState(loopId);
          if (!this.session.store.get(loopId)) {
            await this.session.refreshLoop(loopId);
            this.postState(loopId);
          }
          break;
        case 'approve': {
          const conn = await this.session.ready();
          const snapshot = await conn.approve({ loopId, approvalId: m.approvalId, decision: m.decision, note: m.note });
          this.session.store.upsertSnapshot(snapshot);
          break;
        }
        case 'command':
          if (['step', 'pause', 'resume', 'cancel', 'openMemory', 'openJournal'].includes(m.command)) {
            await vscode.commands.executeCommand(`loopwire.${m.command}`, loopId);
          }
          break;
      }
    } catch (e) {
      void panel?.webview.postMessage({ type: 'error', message: (e as Error).message });
    }
  }

  private onChange(c: LoopChange): void {
    const panel = this.panels.get(c.loopId);
    if (!panel) {
      return;
    }
    if (c.kind === 'output') {
      void panel.webview.postMessage({ type: 'output', entry: c.entry, merged: c.merged });
    } else {
      this.scheduleState(c.loopId);
    }
  }

  private scheduleState(loopId: string): void {
    if (!this.pendingState.has(loopId)) {
      this.pendingState.set(loopId, setTimeout(() => { this.pendingState.delete(loopId); this.postState(loopId); }, 50));
    }
  }

  private postState(loopId: string): void {
    const panel = this.panels.get(loopId);
    const state: LoopState | undefined = this.session.store.get(loopId);
    if (!panel || !state) {
      return;
    }
    panel.title = `Loop: ${loopLabel(state.snapshot)}`;
    void panel.webview.postMessage({ type: 'state', state });
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.pendingState.forEach((t) => clearTimeout(t));
    this.panels.forEach((p) => p.dispose());
  }
}
