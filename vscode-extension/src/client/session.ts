/**
 * Owns the server connection for the lifetime of the extension (or a test): starts the server,
 * rebuilds the {@link LoopStore} from `loop/list` + `loop/get` after every (re)connect, restarts a
 * crashed server within the {@link RestartLimiter}'s budget, and reports when it gives up.
 */
import { Emitter } from 'vscode-jsonrpc';
import { GetLoopResult, LoopSnapshot } from '../protocol';
import { ConnectionOptions, ServerConnection, ServerLaunch } from './connection';
import { LoopStore } from './loopStore';
import { RestartLimiter } from './restartLimiter';

export type SessionState = 'stopped' | 'starting' | 'running' | 'failed';

export interface SessionOptions extends ConnectionOptions {
  /** Builds the command line; called for every (re)start so that settings changes apply. */
  launch: () => Promise<ServerLaunch>;
  limiter?: RestartLimiter;
  log?: (line: string) => void;
}

export class LoopwireSession {
  readonly store = new LoopStore();
  private conn: ServerConnection | undefined;
  private state: SessionState = 'stopped';
  private readonly limiter: RestartLimiter;
  private starting: Promise<ServerConnection> | undefined;

  private readonly stateChanged = new Emitter<{ state: SessionState; message?: string }>();
  /** 'failed' carries a message for the user (the restart budget is used up, or start failed). */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly connected = new Emitter<ServerConnection>();
  /** A new connection is initialized and the store rebuilt. */
  readonly onDidConnect = this.connected.event;

  constructor(private readonly options: SessionOptions) {
    this.limiter = options.limiter ?? new RestartLimiter();
  }

  get status(): SessionState {
    return this.state;
  }

  get connection(): ServerConnection | undefined {
    return this.conn?.alive ? this.conn : undefined;
  }

  /** The live connection, starting the server when needed. */
  async ready(): Promise<ServerConnection> {
    if (this.conn?.alive && this.state === 'running') {
      return this.conn;
    }
    if (this.starting) {
      return this.starting;
    }
    return this.start();
  }

  /** Starts (or, after a user's Restart, restarts) the server and rebuilds the store. */
  start(userRequested = false): Promise<ServerConnection> {
    if (userRequested) {
      this.limiter.reset();
    }
    const run = async (): Promise<ServerConnection> => {
      this.setState('starting');
      const launch = await this.options.launch();
      const conn = await ServerConnection.start(launch, this.store, this.options);
      this.conn = conn;
      conn.onExit((info) => this.onExit(conn, info.expected, info.code, info.signal));
      await this.rebuild(conn);
      this.setState('running');
      this.connected.fire(conn);
      return conn;
    };
    this.starting = run().finally(() => { this.starting = undefined; });
    this.starting.catch((e: Error) => {
      this.options.log?.(`[client] start failed: ${e.message}`);
      this.setState('failed', e.message);
    });
    return this.starting;
  }

  /** Stops the server orderly (running loops are checkpointed by the server). */
  async stop(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    this.setState('stopped');
    await conn?.stop();
  }

  /** `loop/list` for every workspace folder (or all loops), then `loop/get` for each loop. */
  async rebuild(conn: ServerConnection = this.conn!): Promise<void> {
    const folders = this.options.workspaceFolders.length > 0 ? this.options.workspaceFolders : [undefined];
    const snapshots = new Map<string, LoopSnapshot>();
    for (const folder of folders) {
      const result = await conn.list(folder);
      for (const s of result.loops ?? []) {
        if (s.loopId) {
          snapshots.set(s.loopId, s);
        }
      }
    }
    const results: GetLoopResult[] = await Promise.all(
      [...snapshots.values()].map((s) => conn.get(s.loopId!).catch(() => ({ loop: s, iterations: [] }))));
    this.store.rebuild(results);
  }

  /** Fetches one loop with its iterations into the store (e.g. before showing a loop view). */
  async refreshLoop(loopId: string): Promise<void> {
    const conn = await this.ready();
    const r = await conn.get(loopId);
    if (r.loop) {
      this.store.upsertSnapshot(r.loop, r.iterations ?? []);
    }
  }

  private onExit(conn: ServerConnection, expected: boolean, code: number | null, signal: string | null): void {
    if (conn !== this.conn) {
      return;
    }
    this.conn = undefined;
    if (expected || this.state === 'stopped') {
      return;
    }
    this.options.log?.(`[client] the server exited unexpectedly (code ${code ?? signal})`);
    if (this.limiter.tryAcquire()) {
      this.options.log?.(`[client] restarting the server (${this.limiter.recent} of ${this.limiter.max} restarts in ${this.limiter.windowMs / 60000} minutes)`);
      this.start().catch(() => undefined);
    } else {
      this.setState('failed', `The Loopwire server crashed ${this.limiter.max + 1} times in ${this.limiter.windowMs / 60000} minutes and was not restarted again. See "Loopwire: Show Server Log".`);
    }
  }

  private setState(state: SessionState, message?: string): void {
    this.state = state;
    this.stateChanged.fire({ state, message });
  }
}
