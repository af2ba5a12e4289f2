/**
 * The Loopwire wire protocol, declared once: method names, request/notification types and the
 * message shapes. Mirrors the Java module `protocol/` (records in `dev.loopwire.protocol`,
 * interfaces in `dev.loopwire.protocol.services`); `test/unit/protocolContract.test.ts` checks
 * this file against `protocol/target/protocol-description.json`, which the Java build emits.
 *
 * Conventions the contract test relies on: one `export interface` per Java record with the same
 * field names (optional `?` for reference types, required for Java primitives), one
 * `export type X = 'a' | 'b'` per Java enum, and every method as
 * `new RequestType<Params, Result, void>('name')` / `new NotificationType<Params>('name')`
 * inside `ClientRequests`, `ClientNotifications` (client to server) or `ServerNotifications`
 * (server to client). `RequestType0`/`NotificationType0` for methods without params.
 */
import { NotificationType, NotificationType0, RequestType, RequestType0 } from 'vscode-jsonrpc';

export const PROTOCOL_VERSION = 1;
export const DEFAULT_DONE_TOKEN = '<promise>DONE</promise>';

// ---- enums ---------------------------------------------------------------------------------

export type LoopStatus =
  | 'created'
  | 'running'
  | 'waiting'
  | 'awaiting_approval'
  | 'paused'
  | 'succeeded'
  | 'budget_exhausted'
  | 'no_progress'
  | 'failed'
  | 'cancelled'
  | 'approval_denied'
  | 'approval_expired'
  | 'interrupted';

export type Decision = 'allow_once' | 'allow_always' | 'reject_once' | 'reject_always';

export type OutputKind = 'text' | 'thought' | 'tool_call' | 'tool_result' | 'log';

export type ApprovalMode = 'ask' | 'auto' | 'deny';

/** Statuses in which a loop is doing (or waiting to do) work on its own. */
export const ACTIVE_STATUSES: readonly LoopStatus[] = ['running', 'waiting', 'awaiting_approval'];

export function isActive(status: LoopStatus | string): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(status);
}

export function isTerminal(status: LoopStatus | string): boolean {
  return !isActive(status) && status !== 'created' && status !== 'paused';
}

/** JSON-RPC error codes, as in `dev.loopwire.protocol.ErrorCode`. */
export const ErrorCodes = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  UNKNOWN_LOOP: -32001,
  WRONG_STATE: -32002,
  STALE_APPROVAL: -32003,
  APPROVAL_EXPIRED: -32004,
  PROVIDER_UNAVAILABLE: -32005,
  PATH_OUTSIDE_WORKSPACE: -32006,
  INVALID_LOOP_CONFIG: -32007,
  SERVER_NOT_READY: -32008,
  STORAGE_ERROR: -32009,
  REQUEST_CANCELLED: -32010,
} as const;

// ---- records -------------------------------------------------------------------------------

export interface ClientInfo {
  name?: string;
  version?: string;
}

export interface InitializeParams {
  protocolVersion?: number;
  clientInfo?: ClientInfo;
  processId?: number;
  workspaceFolders?: string[];
}

export interface ServerInfo {
  name?: string;
  version?: string;
}

export interface ProviderInfo {
  id: string;
  available: boolean;
  detail?: string;
  models?: string[];
}

export interface TemplateInfo {
  name?: string;
  source?: string;
  description?: string;
}

export interface ServerCapabilities {
  providers?: ProviderInfo[];
  templates?: TemplateInfo[];
}

export interface InitializeResult {
  protocolVersion: number;
  serverInfo?: ServerInfo;
  capabilities?: ServerCapabilities;
}

export type InitializedParams = Record<string, never>;

export interface Usage {
  iterations: number;
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
  elapsedSeconds: number;
}

export interface Budget {
  maxIterations?: number;
  maxTokens?: number;
  maxWallSeconds?: number;
  maxCostUsd?: number;
}

export interface ProviderSpec {
  id?: string;
  model?: string;
  options?: Record<string, unknown>;
}

export interface ApprovalRule {
  tool?: string;
  match?: string;
  decision?: string;
}

export interface ApprovalConfig {
  mode?: ApprovalMode | string;
  rules?: ApprovalRule[];
  onReject?: string;
  iterations?: string;
  ttlSeconds?: number;
}

export interface CheckConfig {
  command?: string;
  timeoutSeconds?: number;
  every?: string;
}

export interface JudgeConfig {
  provider?: ProviderSpec;
}

export interface FailureStreak {
  identical?: number;
  any?: number;
}

export interface StopConfig {
  noProgressIterations?: number;
  stagnationRepeats?: number;
  failureStreak?: FailureStreak;
}

export interface WaitsConfig {
  intervalSeconds?: number;
  maxWaitSeconds?: number;
  pidPollSeconds?: number;
}

export interface ScheduleConfig {
  every?: string;
}

export interface StartLoopParams {
  workspace?: string;
  goal?: string;
  goalFile?: string;
  template?: string;
  args?: Record<string, unknown>;
  provider?: ProviderSpec;
  budget?: Budget;
  approval?: ApprovalConfig;
  autoRun?: boolean;
  name?: string;
  check?: CheckConfig;
  judge?: JudgeConfig;
  stop?: StopConfig;
  waits?: WaitsConfig;
  schedule?: ScheduleConfig;
  doneToken?: string;
}

export interface ApprovalOption {
  decision?: Decision | string;
  label?: string;
}

export interface PendingApproval {
  approvalId?: string;
  iteration: number;
  tool?: string;
  title?: string;
  input?: Record<string, unknown>;
  reason?: string;
  options?: ApprovalOption[];
  expiresAt?: string;
}

export interface LoopSnapshot {
  loopId?: string;
  name?: string;
  workspace?: string;
  status?: LoopStatus;
  iteration: number;
  usage?: Usage;
  budget?: Budget;
  provider?: ProviderSpec;
  memoryPath?: string;
  pendingApproval?: PendingApproval;
  reason?: string;
  resumable: boolean;
  recommendedAction?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface ToolCall {
  id?: string;
  name?: string;
  input?: Record<string, unknown>;
  status?: string;
  output?: string;
}

export interface IterationRecord {
  index: number;
  startedAt?: string;
  durationSeconds: number;
  summary?: string;
  toolCalls?: ToolCall[];
  usage?: Usage;
  outcome?: string;
}

export interface LoopIdParams {
  loopId?: string;
}

export interface ApproveParams {
  loopId?: string;
  approvalId?: string;
  decision?: Decision;
  note?: string;
  /** Where an allow_always / reject_always answer is saved: 'loop' (default) or 'workspace' (.loopwire/policy.json). */
  scope?: 'loop' | 'workspace';
}

export interface ResumeParams {
  loopId?: string;
  budget?: Budget;
}

export interface ListLoopsParams {
  workspace?: string;
}

export interface ListLoopsResult {
  loops?: LoopSnapshot[];
}

/** One provider call of an iteration, for the iteration trace. */
export interface ProviderCallTrace {
  callIndex: number;
  startedAt?: string;
  durationSeconds?: number;
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
  stopReason?: string;
  error?: string;
}

/** One tool call of an iteration with its approval decision, for the iteration trace. */
export interface ToolCallTrace {
  id?: string;
  name?: string;
  status?: string;
  durationSeconds?: number;
  decision?: string;
  output?: string;
}

/** A policy decision taken during an iteration (stop checks, approvals, budgets). */
export interface PolicyDecision {
  at?: string;
  kind?: string;
  detail?: string;
}

/** What happened inside one iteration, beyond its record. */
export interface IterationTrace {
  index: number;
  promptChars?: number;
  providerCalls?: ProviderCallTrace[];
  toolCalls?: ToolCallTrace[];
  decisions?: PolicyDecision[];
}

/** How the last prompt's context was budgeted (verbatim window of API providers). */
export interface ContextBudget {
  iteration: number;
  mode?: string;
  verbatimIterations: number;
  summarizedIterations: number;
  omittedIterations: number;
  promptChars: number;
  historyChars: number;
}

export interface GetLoopResult {
  loop?: LoopSnapshot;
  iterations?: IterationRecord[];
  traces?: IterationTrace[];
  contextBudget?: ContextBudget;
  runs?: ScheduledRun[];
}

export interface ScheduledRun {
  run: number;
  status?: string;
  reason?: string;
  startedAt?: string;
  endedAt?: string;
  iterations: number;
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
}

export interface MemoryResult {
  path?: string;
  content?: string;
}

export type ProvidersListParams = Record<string, never>;

export interface ProvidersListResult {
  providers?: ProviderInfo[];
}

export interface TemplatesListParams {
  workspace?: string;
}

export interface TemplatesListResult {
  templates?: TemplateInfo[];
}

export interface LoopStatusParams {
  loopId?: string;
  status?: LoopStatus;
  reason?: string;
  resumable: boolean;
  recommendedAction?: string;
}

export interface LoopProgressParams {
  loopId?: string;
  iteration: number;
  phase?: string;
  message?: string;
  usage?: Usage;
}

export interface LoopOutputParams {
  loopId?: string;
  iteration: number;
  kind?: OutputKind;
  text?: string;
  toolCall?: ToolCall;
}

export interface LoopIterationParams {
  loopId?: string;
  record?: IterationRecord;
}

export interface ApprovalRequestedParams {
  loopId?: string;
  approval?: PendingApproval;
}

export interface ApprovalResolvedParams {
  loopId?: string;
  approvalId?: string;
  decision?: Decision | string;
}

export interface MemoryChangedParams {
  loopId?: string;
  path?: string;
}

// ---- methods -------------------------------------------------------------------------------

/** Requests the client sends to the server. */
export const ClientRequests = {
  initialize: new RequestType<InitializeParams, InitializeResult, void>('initialize'),
  shutdown: new RequestType0<null, void>('shutdown'),
  start: new RequestType<StartLoopParams, LoopSnapshot, void>('loop/start'),
  step: new RequestType<LoopIdParams, IterationRecord, void>('loop/step'),
  approve: new RequestType<ApproveParams, LoopSnapshot, void>('loop/approve'),
  cancel: new RequestType<LoopIdParams, LoopSnapshot, void>('loop/cancel'),
  pause: new RequestType<LoopIdParams, LoopSnapshot, void>('loop/pause'),
  resume: new RequestType<ResumeParams, LoopSnapshot, void>('loop/resume'),
  list: new RequestType<ListLoopsParams, ListLoopsResult, void>('loop/list'),
  get: new RequestType<LoopIdParams, GetLoopResult, void>('loop/get'),
  memory: new RequestType<LoopIdParams, MemoryResult, void>('loop/memory'),
  providersList: new RequestType<ProvidersListParams, ProvidersListResult, void>('providers/list'),
  templatesList: new RequestType<TemplatesListParams, TemplatesListResult, void>('templates/list'),
} as const;

/** Notifications the client sends to the server. */
export const ClientNotifications = {
  initialized: new NotificationType<InitializedParams>('initialized'),
  exit: new NotificationType0('exit'),
} as const;

/** Notifications the server sends to the client. */
export const ServerNotifications = {
  status: new NotificationType<LoopStatusParams>('loop/status'),
  progress: new NotificationType<LoopProgressParams>('loop/progress'),
  output: new NotificationType<LoopOutputParams>('loop/output'),
  iteration: new NotificationType<LoopIterationParams>('loop/iteration'),
  approvalRequested: new NotificationType<ApprovalRequestedParams>('loop/approvalRequested'),
  approvalResolved: new NotificationType<ApprovalResolvedParams>('loop/approvalResolved'),
  memoryChanged: new NotificationType<MemoryChangedParams>('loop/memoryChanged'),
} as const;
