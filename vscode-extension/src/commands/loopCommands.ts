/** Step, Pause, Resume, Cancel, Approve Pending, Open Memory/Journal/Loop View. */
import * as vscode from 'vscode';
import { LoopwireSession } from '../client/session';
import { Budget, Decision, isActive } from '../protocol';
import { LoopViewManager } from '../views/loopView';
import { MemoryEditors } from '../views/memory';
import { LoopProgress } from '../views/progress';
import { loopLabel } from '../views/format';
import { pickLoop } from './pickLoop';

export interface LoopCommandDeps {
  session: LoopwireSession;
  views: LoopViewManager;
  memory: MemoryEditors;
  progress: LoopProgress;
}

export function registerLoopCommands(d: LoopCommandDeps): vscode.Disposable[] {
  const store = d.session.store;
  const run = (id: string, fn: (arg: unknown) => Promise<unknown>) => vscode.commands.registerCommand(id, async (arg: unknown) => {
    try {
      await fn(arg);
    } catch (e) {
      void vscode.window.showErrorMessage(`Loopwire: ${(e as Error).message}`);
    }
  });
  return [
    run('loopwire.step', async (arg) => {
      const loopId = await pickLoop(store, arg, (s) => ['created', 'paused', 'interrupted'].includes(s.status ?? '') || (s.resumable && !isActive(s.status ?? '')), 'step');
      if (!loopId) {
        return;
      }
      const conn = await d.session.ready();
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Loopwire: running one iteration', cancellable: true },
        async (_p, token) => {
          const record = await conn.step(loopId, token);
          await d.session.refreshLoop(loopId);
          void vscode.window.showInformationMessage(`Loopwire: iteration ${record.index} ${record.outcome ?? 'done'}${record.summary ? ': ' + record.summary : ''}`);
        });
    }),
    run('loopwire.pause', async (arg) => {
      const loopId = await pickLoop(store, arg, (s) => s.status === 'running' || s.status === 'waiting', 'pause');
      if (loopId) {
        store.upsertSnapshot(await (await d.session.ready()).pause(loopId));
      }
    }),
    run('loopwire.resume', async (arg) => {
      const loopId = await pickLoop(store, arg, (s) => s.resumable && !isActive(s.status ?? ''), 'resume');
      if (!loopId) {
        return;
      }
      const s = store.get(loopId)?.snapshot;
      let budget: Budget | undefined;
      if (s?.status === 'budget_exhausted' || arg === undefined) {
        const current = s?.budget?.maxIterations;
        const more = await vscode.window.showInputBox({
          title: `Resume "${s ? loopLabel(s) : loopId}"`,
          prompt: `Iteration budget (now ${current ?? 'none'}, used ${s?.iteration ?? 0}). Leave as is to keep the budget.`,
          value: String(current ?? ''),
          validateInput: (v) => v.trim() === '' || /^[1-9]\d*$/.test(v.trim()) ? undefined : 'a positive whole number',
        });
        if (more === undefined) {
          return;
        }
        if (more.trim() && Number(more) !== current) {
          budget = { ...(s?.budget ?? {}), maxIterations: Number(more) };
        }
      }
      store.upsertSnapshot(await (await d.session.ready()).resume(loopId, budget));
      d.progress.track(loopId);
    }),
    run('loopwire.cancel', async (arg) => {
      const loopId = await pickLoop(store, arg, (s) => isActive(s.status ?? '') || s.status === 'paused' || s.status === 'created', 'cancel');
      if (loopId) {
        store.upsertSnapshot(await (await d.session.ready()).cancel(loopId));
      }
    }),
    run('loopwire.approvePending', async (arg) => {
      const pending = store.pendingApprovals().filter((p) => !arg || p.loopId === (typeof arg === 'string' ? arg : (arg as { loopId?: string }).loopId));
      if (pending.length === 0) {
        void vscode.window.showInformationMessage('Loopwire: no pending approvals.');
        return;
      }
      const pick = pending.length === 1 ? { p: pending[0] } : await vscode.window.showQuickPick(pending.map((p) => ({
        label: p.approval.title || p.approval.tool || 'approval', description: store.get(p.loopId) ? loopLabel(store.get(p.loopId)!.snapshot) : p.loopId,
        detail: p.approval.reason, p,
      })), { title: 'Loopwire: answer which approval?' });
      if (!pick) {
        return;
      }
      const { loopId, approval } = pick.p;
      const options = approval.options?.length ? approval.options : [
        { decision: 'allow_once', label: 'Approve' }, { decision: 'allow_always', label: 'Always' }, { decision: 'reject_once', label: 'Deny' }];
      const choice = await vscode.window.showQuickPick(options.map((o) => ({ label: o.label ?? o.decision ?? '', decision: o.decision as Decision })), {
        title: `${approval.title ?? approval.tool}`, placeHolder: JSON.stringify(approval.input ?? {}).slice(0, 200),
      });
      if (!choice) {
        return;
      }
      const note = await vscode.window.showInputBox({ title: 'Note for the agent (optional)', prompt: 'Press Enter to send without a note' });
      if (note === undefined) {
        return;
      }
      store.upsertSnapshot(await (await d.session.ready()).approve({ loopId, approvalId: approval.approvalId, decision: choice.decision, note: note || undefined }));
    }),
    run('loopwire.openMemory', async (arg) => {
      const loopId = await pickLoop(store, arg, () => true, 'open the memory of');
      if (loopId) {
        await d.memory.open(loopId);
      }
    }),
    run('loopwire.openJournal', async (arg) => {
      const loopId = await pickLoop(store, arg, () => true, 'open the journal of');
      if (loopId) {
        await d.memory.openJournal(loopId);
      }
    }),
    run('loopwire.openLoopView', async (arg) => {
      const loopId = await pickLoop(store, arg, () => true, 'show');
      if (loopId) {
        await d.views.open(loopId);
      }
    }),
  ];
}
