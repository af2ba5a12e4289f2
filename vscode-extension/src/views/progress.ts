/**
 * A progress notification (`window.withProgress`) while a loop started, resumed or stepped from
 * this window runs; its Cancel button sends `loop/cancel`.
 */
import * as vscode from 'vscode';
import { LoopwireSession } from '../client/session';
import { isActive } from '../protocol';
import { describeLoop, loopLabel } from './format';

export class LoopProgress {
  private readonly tracked = new Set<string>();

  constructor(private readonly session: LoopwireSession, private readonly enabled: () => boolean) {}

  track(loopId: string): void {
    if (!this.enabled() || this.tracked.has(loopId)) {
      return;
    }
    const store = this.session.store;
    const initial = store.get(loopId)?.snapshot;
    if (!initial || !(isActive(initial.status ?? '') || initial.status === 'created')) {
      return;
    }
    this.tracked.add(loopId);
    void vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification,
      title: `Loopwire: ${loopLabel(initial)}`,
      cancellable: true,
    }, (progress, token) => new Promise<void>((resolve) => {
      const report = () => {
        const state = store.get(loopId);
        if (!state || !(isActive(state.snapshot.status ?? '') || state.snapshot.status === 'created')) {
          done();
          return;
        }
        const s = state.snapshot;
        const phase = s.status === 'awaiting_approval' ? 'waiting for your approval'
          : state.progress?.phase ? `${state.progress.phase}${state.progress.message ? ': ' + state.progress.message : ''}` : s.status;
        progress.report({ message: `${describeLoop(s)} — ${phase}` });
      };
      const sub = store.onDidChange((c) => { if (c.loopId === loopId && c.kind !== 'output') { report(); } });
      const reset = store.onDidReset(report);
      const cancel = token.onCancellationRequested(async () => {
        try {
          const conn = await this.session.ready();
          store.upsertSnapshot(await conn.cancel(loopId));
        } catch (e) {
          void vscode.window.showErrorMessage(`Loopwire: could not cancel: ${(e as Error).message}`);
        }
        done();
      });
      const done = () => {
        sub.dispose(); reset.dispose(); cancel.dispose();
        this.tracked.delete(loopId);
        resolve();
      };
      report();
    }));
  }
}
