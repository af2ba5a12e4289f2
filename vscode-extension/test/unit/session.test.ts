/**
 * LoopwireSession's restart policy and rebuild, against ScriptedTestServer (a Node test double of
 * the server in test/fixtures) so that crashes can be provoked at will. The same behaviour
 * against the real server jar is in test/server/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterEach, describe, expect, it } from 'vitest';
import { RestartLimiter } from '../../src/client/restartLimiter';
import { LoopwireSession, SessionState } from '../../src/client/session';

const SERVER = path.resolve(__dirname, '../fixtures/scriptedTestServer.js');

function setup(loops: unknown[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lw-session-'));
  const files = { loops: path.join(dir, 'loops.json'), starts: path.join(dir, 'starts.txt'), crash: path.join(dir, 'crash') };
  fs.writeFileSync(files.loops, JSON.stringify(loops));
  fs.writeFileSync(files.starts, '');
  return { dir, files };
}

const starts = (f: string) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).length;

let session: LoopwireSession | undefined;
afterEach(async () => {
  await session?.stop();
  session = undefined;
});

describe('LoopwireSession', () => {
  it('rebuilds the store on start and again after an unexpected exit', async () => {
    const { files } = setup([{ loop: { loopId: 'a', status: 'awaiting_approval', iteration: 1, resumable: false,
      pendingApproval: { approvalId: 'ap1', iteration: 1, tool: 'run_command' } }, iterations: [{ index: 1, durationSeconds: 1, summary: 's1' }] }]);
    const states: SessionState[] = [];
    const requested: string[] = [];
    session = new LoopwireSession({
      clientName: 'test', clientVersion: '0', workspaceFolders: ['/w'],
      launch: async () => ({ command: process.execPath, args: [SERVER], env: { ...process.env, TEST_LOOPS_FILE: files.loops, TEST_STARTS_FILE: files.starts, TEST_CRASH_FILE: files.crash } }),
    });
    session.onDidChangeState((e) => states.push(e.state));
    session.store.onApprovalRequested((e) => requested.push(e.approval.approvalId!));
    await session.start();
    expect(session.store.get('a')!.iterations[0].summary).toBe('s1');
    expect(requested).toEqual(['ap1']);

    const reconnected = new Promise<void>((resolve) => session!.onDidConnect(() => resolve()));
    session.connection!.kill();
    await reconnected;
    expect(starts(files.starts)).toBe(2);
    expect(session.status).toBe('running');
    expect(session.store.get('a')!.snapshot.status).toBe('awaiting_approval');
    expect(requested).toEqual(['ap1']); // same approval: not announced twice
    expect(states).toEqual(['starting', 'running', 'starting', 'running']);
  });

  it('gives up after the limiter refuses and reports failed with a message', async () => {
    const { files } = setup([]);
    fs.writeFileSync(files.crash, 'crash after start');
    let now = 0;
    const failed = new Promise<string>((resolve) => {
      session = new LoopwireSession({
        clientName: 'test', clientVersion: '0', workspaceFolders: [],
        limiter: new RestartLimiter(5, 10 * 60_000, () => now++),
        launch: async () => ({ command: process.execPath, args: [SERVER], env: { ...process.env, TEST_LOOPS_FILE: files.loops, TEST_STARTS_FILE: files.starts, TEST_CRASH_FILE: files.crash } }),
      });
      session.onDidChangeState((e) => { if (e.state === 'failed') { resolve(e.message!); } });
    });
    await session!.start();
    const message = await failed;
    expect(message).toContain('crashed 6 times in 10 minutes');
    expect(starts(files.starts)).toBe(6); // the first start + 5 restarts
    expect(session!.connection).toBeUndefined();

    // A user-requested restart resets the budget.
    fs.rmSync(files.crash);
    await session!.start(true);
    expect(session!.status).toBe('running');
    expect(starts(files.starts)).toBe(7);
  }, 60000);

  it('reports a start-up failure with the server\'s stderr', async () => {
    session = new LoopwireSession({
      clientName: 'test', clientVersion: '0', workspaceFolders: [],
      launch: async () => ({ command: process.execPath, args: ['-e', 'console.error("Error: Unable to access jarfile /nope.jar"); process.exit(1)'] }),
    });
    const failed = new Promise<string>((resolve) => session!.onDidChangeState((e) => { if (e.state === 'failed') { resolve(e.message!); } }));
    await expect(session.start()).rejects.toThrow(/exited during start-up/);
    expect(await failed).toContain('Unable to access jarfile /nope.jar');
  });
});
