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
  /**
   * Every open panel of each loop. Usually one; a window restore can bring back more than one
   * panel of the same loop, and each of them must get the state and the stream.
   */
  private readonly panels = new Map<string, Set<vscode.WebviewPanel>>();
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
    const existing = this.first(loopId);
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
      this.each(loopId, (p) => void p.webview.postMessage({ type: 'error', message: (e as Error).message }));
    }
    this.postState(loopId);
  }

  isOpen(loopId: string): boolean {
    return this.panels.has(loopId);
  }

  private first(loopId: string): vscode.WebviewPanel | undefined {
    const set = this.panels.get(loopId);
    return set ? set.values().next().value : undefined;
  }

  private each(loopId: string, f: (panel: vscode.WebviewPanel) => void): void {
    this.panels.get(loopId)?.forEach(f);
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'media')],
    };
  }

  private adopt(loopId: string, panel: vscode.WebviewPanel): void {
    let set = this.panels.get(loopId);
    if (!set) {
      set = new Set();
      this.panels.set(loopId, set);
    }
    set.add(panel);
    const webview = panel.webview;
    webview.options = this.webviewOptions();
    const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', f)).toString();
    const load = () => {
      const s = this.session.store.get(loopId)?.snapshot;
      webview.html = loopViewHtml({
        cspSource: webview.cspSource, nonce: newNonce(), scriptUri: media('loopView.js'), styleUri: media('loopView.css'),
        loopId, title: s ? loopLabel(s) : loopId,
      });
    };
    // A page that is visible but never says 'ready' (its script did not load, as seen after a
    // window reload in code-server) is loaded again, a few times at most.
    let heard = false;
    let reloads = 0;
    const watchdog = setInterval(() => {
      if (heard || reloads >= 3) {
        clearInterval(watchdog);
      } else if (panel.visible) {
        reloads++;
        load();
      }
    }, 5000);
    const subs = [
      webview.onDidReceiveMessage((m: PageMessage) => {
        if (m.type === 'ready') {
          heard = true;
        }
        void this.onMessage(loopId, m, panel);
      }),
      panel.onDidChangeViewState(() => { if (panel.visible) { this.postStateTo(panel, loopId); } }),
    ];
    load();
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'loopwire.svg');
    panel.onDidDispose(() => {
      clearInterval(watchdog);
      subs.forEach((d) => d.dispose());
      const open = this.panels.get(loopId);
      open?.delete(panel);
      if (open && open.size === 0) {
        this.panels.delete(loopId);
      }
    });
  }

  private async onMessage(loopId: string, m: PageMessage, panel: vscode.WebviewPanel): Promise<void> {
    try {
      switch (m.type) {
        case 'ready':
          // answer the page that asked (there may be more than one panel of this loop)
          if (!this.session.store.get(loopId)) {
            await this.session.refreshLoop(loopId);
          }
          this.postStateTo(panel, loopId);
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
      void panel.webview.postMessage({ type: 'error', message: (e as Error).message });
    }
  }

  private onChange(c: LoopChange): void {
    if (!this.panels.has(c.loopId)) {
      return;
    }
    if (c.kind === 'output') {
      this.each(c.loopId, (p) => void p.webview.postMessage({ type: 'output', entry: c.entry, merged: c.merged }));
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
    this.each(loopId, (p) => this.postStateTo(p, loopId));
  }

  private postStateTo(panel: vscode.WebviewPanel, loopId: string): void {
    const state: LoopState | undefined = this.session.store.get(loopId);
    if (!state) {
      return;
    }
    panel.title = `Loop: ${loopLabel(state.snapshot)}`;
    void panel.webview.postMessage({ type: 'state', state });
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.pendingState.forEach((t) => clearTimeout(t));
    this.panels.forEach((set) => [...set].forEach((p) => p.dispose()));
  }
}
