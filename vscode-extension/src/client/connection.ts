/**
 * One connection to one `loopwire serve` process: JSON-RPC over its stdio with LSP framing
 * (vscode-jsonrpc), typed request helpers, and the process's exit. No VS Code API here, so the
 * same code runs in the extension host and in plain Node tests.
 */
import { ChildProcess, spawn } from 'child_process';
import {
  CancellationToken,
  Emitter,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  Trace,
  createMessageConnection,
} from 'vscode-jsonrpc/node';
import {
  ApproveParams,
  Budget,
  ClientNotifications,
  ClientRequests,
  GetLoopResult,
  InitializeParams,
  InitializeResult,
  IterationRecord,
  ListLoopsResult,
  LoopSnapshot,
  MemoryResult,
  PROTOCOL_VERSION,
  ProvidersListResult,
  ServerNotifications,
  StartLoopParams,
  TemplatesListResult,
  isActive,
} from '../protocol';
import { LoopStore } from './loopStore';

/** How to start the server process. */
export interface ServerLaunch {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface ConnectionOptions {
  clientName: string;
  clientVersion: string;
  workspaceFolders: string[];
  /** Receives the server's stderr, line by line. */
  onStderr?: (line: string) => void;
  /** JSON-RPC trace: 'off' | 'messages' | 'verbose'. */
  trace?: string;
  onTrace?: (line: string) => void;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the exit followed `shutdown`/`exit` or `dispose()` from this side. */
  expected: boolean;
}

/** A live, initialized connection. Create it with {@link ServerConnection.start}. */
export class ServerConnection {
  private readonly exited = new Emitter<ExitInfo>();
  readonly onExit = this.exited.event;
  private stopping = false;
  private exitInfo: ExitInfo | undefined;
  initializeResult: InitializeResult | undefined;

  private constructor(
    readonly process: ChildProcess,
    readonly rpc: MessageConnection,
  ) {}

  /** Starts the process, wires the store to its notifications and runs `initialize`. */
  static async start(launch: ServerLaunch, store: LoopStore, options: ConnectionOptions): Promise<ServerConnection> {
    const child = spawn(launch.command, launch.args, {
      env: launch.env ?? process.env,
      cwd: launch.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const rpc = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const conn = new ServerConnection(child, rpc);
    let stderrTail = '';
    let buffered = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      buffered += chunk;
      stderrTail = (stderrTail + chunk).slice(-4000);
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        options.onStderr?.(buffered.slice(0, nl).replace(/\r$/, ''));
        buffered = buffered.slice(nl + 1);
      }
    });
    child.stdin!.on('error', () => { /* reported through 'exit' */ });
    const spawnError = new Promise<never>((_, reject) => {
      child.once('error', (e) => reject(new Error(`could not start the Loopwire server (${launch.command}): ${e.message}`)));
      // 'close' (not 'exit'): stderr has been read completely, so the message can quote it.
      child.once('close', (code, signal) => {
        conn.exitInfo = { code, signal, expected: conn.stopping };
        reject(new Error(`the Loopwire server exited during start-up (code ${code ?? signal})${stderrTail ? ':\n' + stderrTail.trim().split('\n').slice(-5).join('\n') : ''}`));
        setImmediate(() => {
          rpc.dispose();
          conn.exited.fire(conn.exitInfo!);
        });
      });
    });
    spawnError.catch(() => { /* only observed through the race below */ });

    // A notification about a loop this client has not seen (started by another client, the CLI,
    // or by this client with the `loop/start` result still in flight) is held back until that
    // loop has been fetched with `loop/get`, then applied in order: nothing streamed is dropped.
    // After the fetch only what the snapshot cannot contain is replayed (streamed output, memory
    // changes, idempotent iteration records); held status/progress/approval notifications are
    // older than the snapshot and would move it backwards.
    const held = new Map<string, { apply: () => void; replay: boolean }[]>();
    const route = (p: { loopId?: string }, apply: () => void, replay = false) => {
      const id = p.loopId;
      if (!id) {
        return;
      }
      const queue = held.get(id);
      if (queue) {
        queue.push({ apply, replay });
        return;
      }
      if (!store.isUnknown(id)) {
        apply();
        return;
      }
      held.set(id, [{ apply, replay }]);
      rpc.sendRequest(ClientRequests.get, { loopId: id })
        .then((r) => {
          if (r.loop && store.isUnknown(id)) {
            store.upsertSnapshot(r.loop, r.iterations ?? []);
          }
          return true;
        }, () => false)
        .then((fetched) => {
          const q = held.get(id) ?? [];
          held.delete(id);
          q.filter((h) => h.replay || !fetched).forEach((h) => h.apply());
        });
    };
    rpc.onNotification(ServerNotifications.status, (p) => route(p, () => {
      store.applyStatus(p);
      // A loop came to rest: fetch it once so that the final usage and iterations are exact.
      if (p.loopId && !isActive(p.status ?? '')) {
        rpc.sendRequest(ClientRequests.get, { loopId: p.loopId })
          .then((r) => { if (r.loop && !store.isUnknown(p.loopId)) { store.upsertSnapshot(r.loop, r.iterations ?? []); } })
          .catch(() => undefined);
      }
    }));
    rpc.onNotification(ServerNotifications.progress, (p) => route(p, () => store.applyProgress(p)));
    rpc.onNotification(ServerNotifications.output, (p) => route(p, () => store.applyOutput(p), true));
    rpc.onNotification(ServerNotifications.iteration, (p) => route(p, () => store.applyIteration(p), true));
    rpc.onNotification(ServerNotifications.approvalRequested, (p) => route(p, () => store.applyApprovalRequested(p)));
    rpc.onNotification(ServerNotifications.approvalResolved, (p) => route(p, () => store.applyApprovalResolved(p)));
    rpc.onNotification(ServerNotifications.memoryChanged, (p) => route(p, () => store.applyMemoryChanged(p), true));
    if (options.trace && options.trace !== 'off' && options.onTrace) {
      void rpc.trace(Trace.fromString(options.trace), { log: (m: string, d?: string) => options.onTrace!(d ? `${m}\n${d}` : m) });
    }
    rpc.listen();

    const init: InitializeParams = {
      protocolVersion: PROTOCOL_VERSION,
      clientInfo: { name: options.clientName, version: options.clientVersion },
      processId: process.pid,
      workspaceFolders: options.workspaceFolders,
    };
    conn.initializeResult = await Promise.race([rpc.sendRequest(ClientRequests.initialize, init), spawnError]);
    await rpc.sendNotification(ClientNotifications.initialized, {});
    return conn;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  // ---- typed requests -------------------------------------------------------------------------

  startLoop(p: StartLoopParams): Promise<LoopSnapshot> {
    return this.rpc.sendRequest(ClientRequests.start, p);
  }

  step(loopId: string, token?: CancellationToken): Promise<IterationRecord> {
    return this.rpc.sendRequest(ClientRequests.step, { loopId }, token);
  }

  approve(p: ApproveParams): Promise<LoopSnapshot> {
    return this.rpc.sendRequest(ClientRequests.approve, p);
  }

  cancel(loopId: string): Promise<LoopSnapshot> {
    return this.rpc.sendRequest(ClientRequests.cancel, { loopId });
  }

  pause(loopId: string): Promise<LoopSnapshot> {
    return this.rpc.sendRequest(ClientRequests.pause, { loopId });
  }

  resume(loopId: string, budget?: Budget): Promise<LoopSnapshot> {
    return this.rpc.sendRequest(ClientRequests.resume, { loopId, budget });
  }

  list(workspace?: string): Promise<ListLoopsResult> {
    return this.rpc.sendRequest(ClientRequests.list, { workspace });
  }

  get(loopId: string): Promise<GetLoopResult> {
    return this.rpc.sendRequest(ClientRequests.get, { loopId });
  }

  memory(loopId: string): Promise<MemoryResult> {
    return this.rpc.sendRequest(ClientRequests.memory, { loopId });
  }

  providers(): Promise<ProvidersListResult> {
    return this.rpc.sendRequest(ClientRequests.providersList, {});
  }

  templates(workspace?: string): Promise<TemplatesListResult> {
    return this.rpc.sendRequest(ClientRequests.templatesList, { workspace });
  }

  /** Orderly stop: `shutdown`, `exit`, then kill if the process lingers. */
  async stop(timeoutMs = 5000): Promise<void> {
    if (!this.alive) {
      return;
    }
    this.stopping = true;
    const gone = new Promise<void>((resolve) => {
      if (!this.alive) {
        resolve();
      } else {
        this.onExit(() => resolve());
      }
    });
    try {
      await Promise.race([this.rpc.sendRequest(ClientRequests.shutdown), delay(timeoutMs)]);
      await this.rpc.sendNotification(ClientNotifications.exit);
    } catch {
      // the process may already be gone
    }
    if (await Promise.race([gone.then(() => true), delay(timeoutMs).then(() => false)]) === false) {
      this.process.kill('SIGKILL');
      await gone;
    }
  }

  /** Kills the process without a handshake, as a crash would. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.process.kill(signal);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
