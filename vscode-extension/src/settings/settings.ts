/** Typed access to the `loopwire.*` settings (declared with defaults in package.json). */
import * as vscode from 'vscode';
import { ApprovalMode, Budget } from '../protocol';

export interface LoopwireSettings {
  javaPath: string;
  serverJarPath: string;
  serverVmArgs: string[];
  defaultProvider: string;
  defaultModel: string;
  defaultBudget: Budget;
  defaultApprovalMode: ApprovalMode;
  showProgressNotifications: boolean;
  traceServer: 'off' | 'messages' | 'verbose';
}

export function readSettings(): LoopwireSettings {
  const c = vscode.workspace.getConfiguration('loopwire');
  const num = (key: string): number | undefined => {
    const v = c.get<number | null>(key);
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  return {
    javaPath: c.get<string>('javaPath', ''),
    serverJarPath: c.get<string>('server.jarPath', ''),
    serverVmArgs: c.get<string[]>('server.vmArgs', []).filter((a) => typeof a === 'string' && a.length > 0),
    defaultProvider: c.get<string>('defaultProvider', ''),
    defaultModel: c.get<string>('defaultModel', ''),
    defaultBudget: {
      maxIterations: num('budget.maxIterations'),
      maxTokens: num('budget.maxTokens'),
      maxWallSeconds: num('budget.maxWallSeconds'),
      maxCostUsd: num('budget.maxCostUsd'),
    },
    defaultApprovalMode: (c.get<string>('defaultApprovalMode', 'ask') as ApprovalMode),
    showProgressNotifications: c.get<boolean>('showProgressNotifications', true),
    traceServer: c.get<'off' | 'messages' | 'verbose'>('trace.server', 'off'),
  };
}

/** True when a change needs a server restart to apply. */
export function affectsServer(e: vscode.ConfigurationChangeEvent): boolean {
  return ['loopwire.javaPath', 'loopwire.server', 'loopwire.trace.server'].some((k) => e.affectsConfiguration(k));
}
