/**
 * The client's picture of every loop it knows, kept current from the server's notifications and
 * rebuilt from `loop/list` + `loop/get` after (re)connecting. Pure state: no VS Code, no I/O, so
 * views, commands and tests share it. All loop logic stays in the server; this only records what
 * the server said.
 */
import { Emitter, Event } from 'vscode-jsonrpc';
import {
  ApprovalRequestedParams,
  ApprovalResolvedParams,
  GetLoopResult,
  IterationRecord,
  LoopIterationParams,
  LoopOutputParams,
  LoopProgressParams,
  LoopSnapshot,
  LoopStatusParams,
  MemoryChangedParams,
  PendingApproval,
  ToolCall,
  isActive,
} from '../protocol';

/** One piece of streamed output, with consecutive text/thought deltas merged. */
export interface OutputEntry {
  seq: number;
  iteration: number;
  kind: string;
  text?: string;
  toolCall?: ToolCall;
}

/** The latest `loop/progress` of a loop. */
export interface ProgressInfo {
  iteration: number;
  phase?: string;
  message?: string;
}

/** Everything the client shows about one loop. */
export interface LoopState {
  snapshot: LoopSnapshot;
  iterations: IterationRecord[];
  output: OutputEntry[];
  progress?: ProgressInfo;
  /** Set when the store was filled from `loop/get`; output before that point is not known. */
  restored: boolean;
}

/** What changed, so that a view can update incrementally. */
export type LoopChange =
  | { loopId: string; kind: 'snapshot' | 'iteration' | 'progress' | 'approval' | 'removed' }
  | { loopId: string; kind: 'output'; entry: OutputEntry; merged: boolean };

export const MAX_OUTPUT_ENTRIES = 2000;
export const MAX_ENTRY_TEXT = 200_000;

export class LoopStore {
  private readonly loops = new Map<string, LoopState>();
  private seq = 0;

  private readonly changed = new Emitter<LoopChange>();
  private readonly reset = new Emitter<void>();
  private readonly approvalRequested = new Emitter<{ loopId: string; approval: PendingApproval }>();
  private readonly approvalResolved = new Emitter<{ loopId: string; approvalId: string; decision?: string }>();
  private readonly memoryChanged = new Emitter<{ loopId: string; path?: string }>();

  /** One loop changed. */
  readonly onDidChange: Event<LoopChange> = this.changed.event;
  /** The whole store was rebuilt (after a (re)connect). */
  readonly onDidReset: Event<void> = this.reset.event;
  /** A new pending approval (fired once per approval id, also after a rebuild). */
  readonly onApprovalRequested = this.approvalRequested.event;
  /** A pending approval was answered or withdrawn, by any client. */
  readonly onApprovalResolved = this.approvalResolved.event;
  readonly onMemoryChanged = this.memoryChanged.event;

  get(loopId: string): LoopState | undefined {
    return this.loops.get(loopId);
  }

  /** Loops, newest first. */
  all(): LoopState[] {
    return [...this.loops.values()].sort((a, b) =>
      (b.snapshot.createdAt ?? '').localeCompare(a.snapshot.createdAt ?? ''));
  }

  pendingApprovals(): { loopId: string; approval: PendingApproval }[] {
    return this.all()
      .filter((l) => l.snapshot.pendingApproval?.approvalId)
      .map((l) => ({ loopId: l.snapshot.loopId!, approval: l.snapshot.pendingApproval! }));
  }

  runningCount(): number {
    return this.all().filter((l) => isActive(l.snapshot.status ?? '')).length;
  }

  /**
   * Replaces everything with what the server reports after a (re)connect. Output streamed before
   * is kept for loops that still exist (the server does not replay it); approvals that are
   * pending now are announced again if they are new to this store, and ones that vanished are
   * reported resolved.
   */
  rebuild(results: GetLoopResult[]): void {
    const before = new Map(this.loops);
    this.loops.clear();
    for (const r of results) {
      if (!r.loop?.loopId) {
        continue;
      }
      const old = before.get(r.loop.loopId);
      this.loops.set(r.loop.loopId, {
        snapshot: r.loop,
        iterations: [...(r.iterations ?? [])].sort((a, b) => a.index - b.index),
        output: old?.output ?? [],
        progress: undefined,
        restored: !old,
      });
    }
    this.reset.fire();
    for (const [loopId, old] of before) {
      const oldApproval = old.snapshot.pendingApproval?.approvalId;
      const now = this.loops.get(loopId)?.snapshot.pendingApproval?.approvalId;
      if (oldApproval && oldApproval !== now) {
        this.approvalResolved.fire({ loopId, approvalId: oldApproval });
      }
    }
    for (const [loopId, state] of this.loops) {
      const approval = state.snapshot.pendingApproval;
      if (approval?.approvalId && before.get(loopId)?.snapshot.pendingApproval?.approvalId !== approval.approvalId) {
        this.approvalRequested.fire({ loopId, approval });
      }
    }
  }

  /** Inserts or updates one loop from a snapshot (a request's result or `loop/get`). */
  upsertSnapshot(snapshot: LoopSnapshot, iterations?: IterationRecord[]): void {
    if (!snapshot.loopId) {
      return;
    }
    const state = this.ensure(snapshot.loopId, snapshot);
    const hadApproval = state.snapshot.pendingApproval?.approvalId;
    state.snapshot = { ...snapshot, pendingApproval: snapshot.pendingApproval ?? undefined };
    if (iterations) {
      state.iterations = [...iterations].sort((a, b) => a.index - b.index);
    }
    this.changed.fire({ loopId: snapshot.loopId, kind: 'snapshot' });
    const nowApproval = state.snapshot.pendingApproval;
    if (hadApproval && hadApproval !== nowApproval?.approvalId) {
      this.approvalResolved.fire({ loopId: snapshot.loopId, approvalId: hadApproval });
    }
    if (nowApproval?.approvalId && nowApproval.approvalId !== hadApproval) {
      this.approvalRequested.fire({ loopId: snapshot.loopId, approval: nowApproval });
    }
  }

  remove(loopId: string): void {
    if (this.loops.delete(loopId)) {
      this.changed.fire({ loopId, kind: 'removed' });
    }
  }

  // ---- notifications ------------------------------------------------------------------------

  applyStatus(p: LoopStatusParams): void {
    const state = this.known(p.loopId);
    if (!state) {
      return;
    }
    state.snapshot = {
      ...state.snapshot,
      status: p.status,
      reason: p.reason,
      resumable: p.resumable,
      recommendedAction: p.recommendedAction,
    };
    if (p.status !== 'awaiting_approval' && state.snapshot.pendingApproval) {
      const approvalId = state.snapshot.pendingApproval.approvalId;
      state.snapshot.pendingApproval = undefined;
      if (approvalId) {
        this.approvalResolved.fire({ loopId: p.loopId!, approvalId });
      }
    }
    if (!isActive(p.status ?? '')) {
      state.progress = undefined;
    }
    this.changed.fire({ loopId: p.loopId!, kind: 'snapshot' });
  }

  applyProgress(p: LoopProgressParams): void {
    const state = this.known(p.loopId);
    if (!state) {
      return;
    }
    state.progress = { iteration: p.iteration, phase: p.phase, message: p.message };
    if (p.usage) {
      state.snapshot = { ...state.snapshot, usage: p.usage };
    }
    if (p.iteration > state.snapshot.iteration) {
      state.snapshot = { ...state.snapshot, iteration: p.iteration };
    }
    this.changed.fire({ loopId: p.loopId!, kind: 'progress' });
  }

  applyOutput(p: LoopOutputParams): void {
    const state = this.known(p.loopId);
    if (!state) {
      return;
    }
    const kind = p.kind ?? 'log';
    // A tool result completes the entry of its tool call: one block with input, status and output.
    if (kind === 'tool_result' && p.toolCall?.id) {
      for (let i = state.output.length - 1; i >= 0; i--) {
        const e = state.output[i];
        if (e.toolCall?.id === p.toolCall.id && e.iteration === p.iteration) {
          e.toolCall = { ...e.toolCall, ...p.toolCall, input: p.toolCall.input ?? e.toolCall.input };
          e.kind = 'tool_result';
          this.changed.fire({ loopId: p.loopId!, kind: 'output', entry: e, merged: true });
          return;
        }
      }
    }
    const last = state.output[state.output.length - 1];
    const mergeable = (kind === 'text' || kind === 'thought') && !p.toolCall;
    if (mergeable && last && last.kind === kind && last.iteration === p.iteration && !last.toolCall
        && (last.text?.length ?? 0) < MAX_ENTRY_TEXT) {
      last.text = (last.text ?? '') + (p.text ?? '');
      this.changed.fire({ loopId: p.loopId!, kind: 'output', entry: last, merged: true });
      return;
    }
    const entry: OutputEntry = { seq: ++this.seq, iteration: p.iteration, kind, text: p.text, toolCall: p.toolCall };
    state.output.push(entry);
    if (state.output.length > MAX_OUTPUT_ENTRIES) {
      state.output.splice(0, state.output.length - MAX_OUTPUT_ENTRIES);
    }
    this.changed.fire({ loopId: p.loopId!, kind: 'output', entry, merged: false });
  }

  applyIteration(p: LoopIterationParams): void {
    const state = this.known(p.loopId);
    if (!state || !p.record) {
      return;
    }
    const i = state.iterations.findIndex((r) => r.index === p.record!.index);
    if (i >= 0) {
      state.iterations[i] = p.record;
    } else {
      state.iterations.push(p.record);
      state.iterations.sort((a, b) => a.index - b.index);
    }
    if (p.record.index > state.snapshot.iteration) {
      state.snapshot = { ...state.snapshot, iteration: p.record.index };
    }
    this.changed.fire({ loopId: p.loopId!, kind: 'iteration' });
  }

  applyApprovalRequested(p: ApprovalRequestedParams): void {
    const state = this.known(p.loopId);
    if (!state || !p.approval?.approvalId) {
      return;
    }
    const already = state.snapshot.pendingApproval?.approvalId === p.approval.approvalId;
    state.snapshot = { ...state.snapshot, pendingApproval: p.approval, status: 'awaiting_approval' };
    this.changed.fire({ loopId: p.loopId!, kind: 'approval' });
    if (!already) {
      this.approvalRequested.fire({ loopId: p.loopId!, approval: p.approval });
    }
  }

  applyApprovalResolved(p: ApprovalResolvedParams): void {
    const state = this.known(p.loopId);
    if (state && state.snapshot.pendingApproval?.approvalId === p.approvalId) {
      state.snapshot = { ...state.snapshot, pendingApproval: undefined };
      this.changed.fire({ loopId: p.loopId!, kind: 'approval' });
    }
    if (p.loopId && p.approvalId) {
      this.approvalResolved.fire({ loopId: p.loopId, approvalId: p.approvalId, decision: p.decision });
    }
  }

  applyMemoryChanged(p: MemoryChangedParams): void {
    if (p.loopId) {
      this.memoryChanged.fire({ loopId: p.loopId, path: p.path });
    }
  }

  /** True when a notification names a loop this store has not seen (the caller fetches it). */
  isUnknown(loopId: string | undefined): boolean {
    return !!loopId && !this.loops.has(loopId);
  }

  private known(loopId: string | undefined): LoopState | undefined {
    return loopId ? this.loops.get(loopId) : undefined;
  }

  private ensure(loopId: string, snapshot: LoopSnapshot): LoopState {
    let state = this.loops.get(loopId);
    if (!state) {
      state = { snapshot, iterations: [], output: [], restored: false };
      this.loops.set(loopId, state);
    }
    return state;
  }
}
