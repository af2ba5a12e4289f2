/**
 * The extension's client module (src/client) against the real server jar, in plain Node: start,
 * initialize, run scripted loops in a temporary workspace, watch the stream, approve, cancel,
 * kill the server and check that the session restarts and rebuilds everything from the server.
 * Needs ../server/target/loopwire.jar (or LOOPWIRE_JAR).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoopStore } from '../../src/client/loopStore';
import { LoopwireSession } from '../../src/client/session';
import { LoopStatus, StartLoopParams } from '../../src/protocol';

const JAR = process.env.LOOPWIRE_JAR ?? path.resolve(__dirname, '../../../server/target/loopwire.jar');

const TURNS = {
  turns: [
    { text: 'I will write hello.txt.', toolCalls: [{ name: 'write_file', input: { path: 'hello.txt', content: 'hello\n' } }] },
    { text: 'Now I check it.', toolCalls: [{ name: 'run_command', input: { command: 'cat hello.txt' } }] },
    { text: 'It says hello.\n<promise>DONE</promise>' },
  ],
};
const SLOW_TURNS = { turns: [{ text: 'Waiting a long time.', toolCalls: [{ name: 'run_command', input: { command: 'sleep 60' } }] }] };

function until<T>(store: LoopStore, what: string, check: () => T | undefined | false, timeoutMs = 30000): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = (v: T) => { clearTimeout(timer); sub.dispose(); reset.dispose(); resolve(v); };
    const test = () => { const v = check(); if (v) { done(v); } };
    const timer = setTimeout(() => { sub.dispose(); reset.dispose(); reject(new Error(`timed out waiting for ${what}`)); }, timeoutMs);
    const sub = store.onDidChange(test);
    const reset = store.onDidReset(test);
    test();
  });
}

const statusOf = (store: LoopStore, id: string) => store.get(id)?.snapshot.status;
const waitStatus = (store: LoopStore, id: string, status: LoopStatus) =>
  until(store, `${id} ${status} (now ${statusOf(store, id)})`, () => statusOf(store, id) === status);

describe('client module against the real server jar', () => {
  let ws: string;
  let session: LoopwireSession;
  const stderr: string[] = [];
  const memoryEvents: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(JAR)) {
      throw new Error(`${JAR} is missing: build it with "mvn -B -q -o package -DskipTests -pl server" in the repository root`);
    }
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lw-ws-')));
    fs.writeFileSync(path.join(ws, 'turns.json'), JSON.stringify(TURNS));
    fs.writeFileSync(path.join(ws, 'slow.json'), JSON.stringify(SLOW_TURNS));
    session = new LoopwireSession({
      clientName: 'loopwire-vscode-test', clientVersion: '0', workspaceFolders: [ws],
      onStderr: (l) => stderr.push(l),
      launch: async () => ({ command: 'java', args: ['-jar', JAR, 'serve'], cwd: ws }),
    });
    session.store.onMemoryChanged((e) => memoryEvents.push(e.loopId));
    await session.start();
  });

  afterAll(async () => {
    await session?.stop();
    if (process.env.KEEP_WS !== '1' && ws) {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  });

  const start = async (p: Partial<StartLoopParams>) => {
    const conn = await session.ready();
    const snapshot = await conn.startLoop({ workspace: ws, provider: { id: 'scripted', options: { script: 'turns.json' } },
      budget: { maxIterations: 5 }, approval: { mode: 'ask' }, ...p });
    session.store.upsertSnapshot(snapshot);
    return snapshot.loopId!;
  };

  let succeededId = '';
  let cancelledId = '';

  it('initializes and lists the scripted provider', () => {
    const providers = session.connection!.initializeResult!.capabilities!.providers!;
    expect(providers.find((p) => p.id === 'scripted')?.available).toBe(true);
  });

  it('streams a scripted loop, asks for approval, and succeeds after Approve', async () => {
    const store = session.store;
    const approvals: string[] = [];
    store.onApprovalRequested((e) => approvals.push(e.approval.approvalId!));
    const id = await start({ goal: 'Create hello.txt and check it' });
    succeededId = id;

    const approval = await until(store, 'the approval', () => store.get(id)?.snapshot.pendingApproval);
    expect(approval.tool).toBe('run_command');
    expect(approval.input).toEqual({ command: 'cat hello.txt' });
    expect(approvals).toEqual([approval.approvalId]);
    const out = store.get(id)!.output;
    expect(out.filter((o) => o.kind === 'text' && o.iteration === 1).map((o) => o.text).join('')).toBe('I will write hello.txt.');
    expect(out.filter((o) => o.toolCall?.name === 'write_file').map((o) => [o.kind, o.toolCall!.status])).toEqual([['tool_result', 'ok']]);
    expect(fs.readFileSync(path.join(ws, 'hello.txt'), 'utf8')).toBe('hello\n');

    const resolved = new Promise<string>((r) => store.onApprovalResolved((e) => r(e.approvalId)));
    store.upsertSnapshot(await session.connection!.approve({ loopId: id, approvalId: approval.approvalId, decision: 'allow_once', note: 'go ahead' }));
    expect(await resolved).toBe(approval.approvalId);
    await waitStatus(store, id, 'succeeded');
    expect(store.get(id)!.output.some((o) => o.kind === 'tool_result' && o.toolCall?.name === 'run_command' && (o.toolCall.output ?? '').includes('hello'))).toBe(true);

    const got = await session.connection!.get(id);
    expect(got.iterations!.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(memoryEvents).toContain(id);
    const memory = await session.connection!.memory(id);
    expect(memory.path).toBe(store.get(id)!.snapshot.memoryPath);
  });

  it('cancels a loop that is running a long tool', async () => {
    const store = session.store;
    const id = await start({ goal: 'Wait', provider: { id: 'scripted', options: { script: 'slow.json' } }, approval: { mode: 'auto' } });
    cancelledId = id;
    await until(store, 'the sleep tool call', () => store.get(id)?.output.some((o) => o.toolCall?.name === 'run_command'));
    store.upsertSnapshot(await session.connection!.cancel(id));
    await waitStatus(store, id, 'cancelled');
    expect(store.get(id)!.snapshot.resumable).toBeDefined();
  });

  it('restarts after the server is killed and rebuilds loops and pending approvals from loop/list + loop/get', async () => {
    const store = session.store;
    const pendingId = await start({ goal: 'Create hello.txt again' });
    const approval = await until(store, 'the approval', () => store.get(pendingId)?.snapshot.pendingApproval);
    const oldPid = session.connection!.pid;

    const reconnected = new Promise<void>((r) => session.onDidConnect(() => r()));
    const resets: number[] = [];
    store.onDidReset(() => resets.push(Date.now()));
    session.connection!.kill('SIGKILL');
    await reconnected;
    expect(session.connection!.pid).not.toBe(oldPid);
    expect(resets.length).toBeGreaterThanOrEqual(1);

    expect(statusOf(store, succeededId)).toBe('succeeded');
    expect(statusOf(store, cancelledId)).toBe('cancelled');
    expect(store.get(succeededId)!.iterations.map((r) => r.index)).toEqual([1, 2, 3]);
    // the approval that was pending when the server died is still pending, and can be answered
    const again = await until(store, 'the approval after restart', () => store.get(pendingId)?.snapshot.pendingApproval);
    expect(again.approvalId).toBe(approval.approvalId);
    store.upsertSnapshot(await session.connection!.approve({ loopId: pendingId, approvalId: again.approvalId, decision: 'allow_once' }));
    await waitStatus(store, pendingId, 'succeeded');
  }, 90000);

  it('rejects a stale approval with a loop error code and leaves the loop alone', async () => {
    const err = await session.connection!.approve({ loopId: succeededId, approvalId: 'no-such-approval', decision: 'allow_once' }).catch((e) => e);
    expect(err.code).toBeLessThanOrEqual(-32001);
    expect(statusOf(session.store, succeededId)).toBe('succeeded');
  });
});
