/** The Loops tree: one item per loop (status icon, iteration k/N, tokens, cost), iterations below. */
import * as vscode from 'vscode';
import { LoopStore } from '../client/loopStore';
import { IterationRecord, isActive } from '../protocol';
import { describeLoop, loopLabel, statusIcon } from './format';

export class LoopItem extends vscode.TreeItem {
  constructor(readonly loopId: string) {
    super(loopId, vscode.TreeItemCollapsibleState.Collapsed);
  }
}

export class IterationItem extends vscode.TreeItem {
  constructor(readonly loopId: string, readonly record: IterationRecord) {
    super(`#${record.index} ${oneLine(record.summary) || '(no summary)'}`, vscode.TreeItemCollapsibleState.None);
  }
}

type Node = LoopItem | IterationItem;

export class LoopsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly store: LoopStore) {
    this.subscriptions.push(
      toDisposable(store.onDidChange((c) => { if (c.kind !== 'output') { this.schedule(); } })),
      toDisposable(store.onDidReset(() => this.schedule())),
    );
  }

  /** Coalesces bursts of notifications into one refresh. */
  private schedule(): void {
    if (!this.timer) {
      this.timer = setTimeout(() => { this.timer = undefined; this.changed.fire(undefined); }, 100);
    }
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node instanceof IterationItem) {
      const r = node.record;
      node.description = [r.outcome, r.durationSeconds !== undefined ? `${r.durationSeconds.toFixed(1)}s` : undefined].filter(Boolean).join(' · ');
      node.tooltip = new vscode.MarkdownString(
        `**Iteration ${r.index}** — ${r.outcome ?? ''}\n\n${r.summary ?? ''}\n\n` +
        (r.toolCalls ?? []).map((t) => `- \`${t.name}\` ${t.status ?? ''}`).join('\n'));
      node.iconPath = new vscode.ThemeIcon(r.outcome === 'failed' || r.outcome === 'error' ? 'error' : 'debug-stackframe-dot');
      node.contextValue = 'iteration';
      node.command = { command: 'loopwire.openLoopView', title: 'Open Loop View', arguments: [node.loopId] };
      return node;
    }
    const state = this.store.get(node.loopId);
    if (!state) {
      return node;
    }
    const s = state.snapshot;
    node.label = loopLabel(s);
    node.id = `loop:${node.loopId}`;
    node.description = `${s.status?.replace(/_/g, ' ') ?? ''} · ${describeLoop(s)}`;
    const icon = statusIcon(s.status);
    node.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    node.contextValue = `loop:${s.status}${s.resumable ? ':resumable' : ''}${isActive(s.status ?? '') || s.status === 'paused' || s.status === 'created' ? ':active' : ''}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${loopLabel(s)}** — ${s.status}\n\n`);
    md.appendText(`${describeLoop(s)}\nprovider ${s.provider?.id ?? ''}${s.provider?.model ? ' · ' + s.provider.model : ''}\n`);
    if (s.pendingApproval) {
      md.appendText(`\nWaiting for approval: ${s.pendingApproval.title ?? s.pendingApproval.tool}\n`);
    }
    if (s.reason) {
      md.appendText(`\n${s.reason}\n`);
    }
    if (s.recommendedAction) {
      md.appendText(`Recommended: ${s.recommendedAction}\n`);
    }
    node.tooltip = md;
    node.command = { command: 'loopwire.openLoopView', title: 'Open Loop View', arguments: [node.loopId] };
    return node;
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return this.store.all().map((l) => new LoopItem(l.snapshot.loopId!));
    }
    if (node instanceof LoopItem) {
      const state = this.store.get(node.loopId);
      return [...(state?.iterations ?? [])].reverse().map((r) => new IterationItem(node.loopId, r));
    }
    return [];
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    if (this.timer) {
      clearTimeout(this.timer);
    }
  }
}

function oneLine(s: string | undefined): string {
  const t = (s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > 80 ? t.slice(0, 79) + '…' : t;
}

export function toDisposable(d: { dispose(): void }): vscode.Disposable {
  return new vscode.Disposable(() => d.dispose());
}
