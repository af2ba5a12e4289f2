/** Resolves the loop a command acts on: an argument (tree item, loop id) or a quick pick. */
import * as vscode from 'vscode';
import { LoopStore } from '../client/loopStore';
import { LoopSnapshot } from '../protocol';
import { describeLoop, loopLabel } from '../views/format';

export async function pickLoop(store: LoopStore, arg: unknown, filter: (s: LoopSnapshot) => boolean, verb: string): Promise<string | undefined> {
  if (typeof arg === 'string') {
    return arg;
  }
  if (arg && typeof arg === 'object' && typeof (arg as { loopId?: unknown }).loopId === 'string') {
    return (arg as { loopId: string }).loopId;
  }
  const candidates = store.all().map((l) => l.snapshot).filter(filter);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(`Loopwire: no loop to ${verb}.`);
    return undefined;
  }
  if (candidates.length === 1) {
    return candidates[0].loopId;
  }
  const pick = await vscode.window.showQuickPick(candidates.map((s) => ({
    label: loopLabel(s), description: `${s.status} · ${describeLoop(s)}`, detail: s.loopId, loopId: s.loopId!,
  })), { title: `Loopwire: ${verb} which loop?`, matchOnDescription: true });
  return pick?.loopId;
}
