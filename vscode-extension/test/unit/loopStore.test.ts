import { describe, expect, it } from 'vitest';
import { LoopStore } from '../../src/client/loopStore';
import { LoopSnapshot, PendingApproval } from '../../src/protocol';

function snapshot(loopId: string, extra: Partial<LoopSnapshot> = {}): LoopSnapshot {
  return {
    loopId, name: `loop ${loopId}`, status: 'running', iteration: 0, resumable: false,
    usage: { iterations: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, elapsedSeconds: 0 },
    budget: { maxIterations: 5 }, createdAt: `2026-11-22T02:00:0${loopId.length}Z`, ...extra,
  };
}

const approval: PendingApproval = {
  approvalId: 'ap-1', iteration: 1, tool: 'run_command', title: 'Run `make test`', input: { command: 'make test' },
  reason: 'runs a command', options: [{ decision: 'allow_once', label: 'Allow once' }],
};

/** Records every event the store fires, in order. */
function recordEvents(store: LoopStore): string[] {
  const events: string[] = [];
  store.onDidChange((c) => events.push(`change:${c.loopId}:${c.kind}`));
  store.onDidReset(() => events.push('reset'));
  store.onApprovalRequested((e) => events.push(`requested:${e.loopId}:${e.approval.approvalId}`));
  store.onApprovalResolved((e) => events.push(`resolved:${e.loopId}:${e.approvalId}`));
  store.onMemoryChanged((e) => events.push(`memory:${e.loopId}`));
  return events;
}

describe('LoopStore', () => {
  it('applies status, progress and iteration notifications to a known loop', () => {
    const store = new LoopStore();
    store.upsertSnapshot(snapshot('a'));
    store.applyProgress({ loopId: 'a', iteration: 1, phase: 'provider', usage: { iterations: 0, inputTokens: 10, outputTokens: 5, elapsedSeconds: 1 } });
    expect(store.get('a')!.snapshot.iteration).toBe(1);
    expect(store.get('a')!.snapshot.usage!.inputTokens).toBe(10);
    expect(store.get('a')!.progress!.phase).toBe('provider');

    store.applyIteration({ loopId: 'a', record: { index: 1, durationSeconds: 1.5, summary: 'wrote hello.txt', outcome: 'continue' } });
    store.applyIteration({ loopId: 'a', record: { index: 1, durationSeconds: 1.5, summary: 'wrote hello.txt (again)', outcome: 'continue' } });
    expect(store.get('a')!.iterations.map((r) => r.summary)).toEqual(['wrote hello.txt (again)']);

    store.applyStatus({ loopId: 'a', status: 'succeeded', resumable: false, reason: 'done token', recommendedAction: 'review the diff' });
    const s = store.get('a')!.snapshot;
    expect([s.status, s.reason, s.recommendedAction]).toEqual(['succeeded', 'done token', 'review the diff']);
    expect(store.get('a')!.progress).toBeUndefined();
    expect(store.runningCount()).toBe(0);
  });

  it('merges streamed text deltas of one iteration and keeps tool calls separate', () => {
    const store = new LoopStore();
    store.upsertSnapshot(snapshot('a'));
    const events = recordEvents(store);
    store.applyOutput({ loopId: 'a', iteration: 1, kind: 'text', text: 'Hel' });
    store.applyOutput({ loopId: 'a', iteration: 1, kind: 'text', text: 'lo' });
    store.applyOutput({ loopId: 'a', iteration: 1, kind: 'tool_call', toolCall: { id: 't1', name: 'write_file', input: { path: 'x' } } });
    store.applyOutput({ loopId: 'a', iteration: 1, kind: 'text', text: ' again' });
    store.applyOutput({ loopId: 'a', iteration: 2, kind: 'text', text: 'next' });
    const out = store.get('a')!.output;
    expect(out.map((o) => [o.kind, o.iteration, o.text ?? o.toolCall?.name])).toEqual([
      ['text', 1, 'Hello'], ['tool_call', 1, 'write_file'], ['text', 1, ' again'], ['text', 2, 'next']]);
    expect(events).toEqual(['change:a:output', 'change:a:output', 'change:a:output', 'change:a:output', 'change:a:output']);
  });

  it('ignores notifications for unknown loops and reports them unknown', () => {
    const store = new LoopStore();
    const events = recordEvents(store);
    store.applyStatus({ loopId: 'zz', status: 'running', resumable: false });
    store.applyOutput({ loopId: 'zz', iteration: 1, kind: 'text', text: 'x' });
    expect(store.isUnknown('zz')).toBe(true);
    expect(store.all()).toEqual([]);
    expect(events).toEqual([]);
  });

  it('announces an approval once and reports it resolved when answered elsewhere', () => {
    const store = new LoopStore();
    store.upsertSnapshot(snapshot('a'));
    const events = recordEvents(store);
    store.applyApprovalRequested({ loopId: 'a', approval });
    store.applyApprovalRequested({ loopId: 'a', approval }); // re-sent after a reconnect
    expect(store.pendingApprovals()).toHaveLength(1);
    expect(store.get('a')!.snapshot.status).toBe('awaiting_approval');
    store.applyApprovalResolved({ loopId: 'a', approvalId: 'ap-1', decision: 'allow_once' });
    expect(store.pendingApprovals()).toHaveLength(0);
    expect(events.filter((e) => !e.startsWith('change'))).toEqual(['requested:a:ap-1', 'resolved:a:ap-1']);
  });

  it('clears a pending approval when the status moves on without a resolved notification', () => {
    const store = new LoopStore();
    store.upsertSnapshot(snapshot('a', { status: 'awaiting_approval', pendingApproval: approval }));
    const events = recordEvents(store);
    store.applyStatus({ loopId: 'a', status: 'cancelled', resumable: false });
    expect(store.pendingApprovals()).toEqual([]);
    expect(events).toContain('resolved:a:ap-1');
  });

  it('rebuilds from loop/get results: keeps streamed output, re-announces new approvals, resolves vanished ones', () => {
    const store = new LoopStore();
    store.upsertSnapshot(snapshot('a', { status: 'awaiting_approval', pendingApproval: approval }));
    store.upsertSnapshot(snapshot('bb'));
    store.applyOutput({ loopId: 'bb', iteration: 1, kind: 'text', text: 'streamed before the crash' });
    const events = recordEvents(store);

    store.rebuild([
      { loop: snapshot('a', { status: 'running' }), iterations: [] },
      { loop: snapshot('bb', { status: 'awaiting_approval', pendingApproval: { ...approval, approvalId: 'ap-2' } }),
        iterations: [{ index: 2, durationSeconds: 1, summary: 'two' }, { index: 1, durationSeconds: 1, summary: 'one' }] },
      { loop: snapshot('ccc', { status: 'interrupted', resumable: true }), iterations: [] },
    ]);

    expect(store.all().map((l) => l.snapshot.loopId).sort()).toEqual(['a', 'bb', 'ccc']);
    expect(store.get('bb')!.output.map((o) => o.text)).toEqual(['streamed before the crash']);
    expect(store.get('bb')!.iterations.map((r) => r.index)).toEqual([1, 2]);
    expect(store.get('bb')!.restored).toBe(false);
    expect(store.get('ccc')!.restored).toBe(true);
    expect(events).toEqual(['reset', 'resolved:a:ap-1', 'requested:bb:ap-2']);
    expect(store.pendingApprovals().map((p) => p.approval.approvalId)).toEqual(['ap-2']);
  });

  it('drops loops that the server no longer reports after a rebuild', () => {
    const store = new LoopStore();
    store.upsertSnapshot(snapshot('a'));
    store.rebuild([]);
    expect(store.get('a')).toBeUndefined();
  });

  it('forwards memory changes', () => {
    const store = new LoopStore();
    const events = recordEvents(store);
    store.applyMemoryChanged({ loopId: 'a', path: '/w/.loopwire/loops/a/memory.md' });
    expect(events).toEqual(['memory:a']);
  });
});

describe('LoopStore tool results', () => {
  it('completes the tool call entry with its result instead of adding a second entry', () => {
    const store = new LoopStore();
    store.upsertSnapshot({ loopId: 'a', status: 'running', iteration: 1, resumable: false });
    const merged: boolean[] = [];
    store.onDidChange((c) => { if (c.kind === 'output') { merged.push(c.merged); } });
    store.applyOutput({ loopId: 'a', iteration: 1, kind: 'tool_call', toolCall: { id: 'c1', name: 'run_command', input: { command: 'ls' }, status: 'pending' } });
    store.applyOutput({ loopId: 'a', iteration: 1, kind: 'tool_result', toolCall: { id: 'c1', name: 'run_command', status: 'ok', output: 'a.txt' } });
    const out = store.get('a')!.output;
    expect(out).toHaveLength(1);
    expect(out[0].toolCall).toEqual({ id: 'c1', name: 'run_command', input: { command: 'ls' }, status: 'ok', output: 'a.txt' });
    expect(merged).toEqual([false, true]);
  });
});
