/**
 * Start Loop…: goal (text or a workspace file), template, provider and model (from the server),
 * budget and approval mode, each a quick pick or input with a sensible default; the last choices
 * are remembered. Called with a `StartLoopParams`-like argument it starts that loop without asking.
 */
import * as vscode from 'vscode';
import { LoopwireSession } from '../client/session';
import { ApprovalMode, ProviderInfo, StartLoopParams } from '../protocol';
import { readSettings } from '../settings/settings';

const LAST = 'loopwire.lastStart';

interface LastChoices {
  goal?: string;
  goalFile?: string;
  template?: string;
  provider?: string;
  model?: string;
  script?: string;
  maxIterations?: number;
  approvalMode?: ApprovalMode;
  autoRun?: boolean;
}

type Item<T> = vscode.QuickPickItem & { value: T };

async function pick<T>(title: string, items: Item<T>[], placeHolder?: string): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, ignoreFocusOut: true, matchOnDescription: true });
  return chosen?.value;
}

/** Puts the remembered or default value first so that Enter accepts it. */
function defaultFirst<T>(items: Item<T>[], value: T | undefined): Item<T>[] {
  const i = items.findIndex((x) => x.value === value);
  if (i > 0) {
    const [it] = items.splice(i, 1);
    items.unshift(it);
  }
  return items;
}

async function workspaceFiles(glob: string): Promise<string[]> {
  const uris = await vscode.workspace.findFiles(glob, '{**/node_modules/**,**/.loopwire/**,**/.git/**}', 300);
  return uris.map((u) => vscode.workspace.asRelativePath(u, false)).sort();
}

export async function startLoop(context: vscode.ExtensionContext, session: LoopwireSession, preset?: Partial<StartLoopParams>): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage('Loopwire: open a folder first; a loop runs in a workspace folder.');
    return undefined;
  }
  const conn = await session.ready();
  if (preset && (preset.goal || preset.goalFile || preset.template)) {
    const snapshot = await conn.startLoop({ workspace: folder.uri.fsPath, autoRun: true, ...preset });
    session.store.upsertSnapshot(snapshot);
    return snapshot.loopId;
  }
  const settings = readSettings();
  const last = context.workspaceState.get<LastChoices>(LAST, {});
  const title = 'Loopwire: Start Loop';

  // 1. goal
  const source = await pick<'text' | 'file' | 'last'>(`${title} (1/7): goal`, [
    ...(last.goal ? [{ label: '$(history) Last goal', description: last.goal.slice(0, 80), value: 'last' as const }] : []),
    { label: '$(edit) Type a goal…', value: 'text' },
    { label: '$(file) Goal file from the workspace…', description: last.goalFile, value: 'file' },
  ], 'What should the loop achieve?');
  if (!source) {
    return undefined;
  }
  let goal: string | undefined;
  let goalFile: string | undefined;
  if (source === 'last') {
    goal = last.goal;
  } else if (source === 'text') {
    goal = await vscode.window.showInputBox({ title: `${title}: goal`, prompt: 'The goal, in a sentence or two', value: last.goal, ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'a goal is required') });
    if (!goal) {
      return undefined;
    }
  } else {
    const files = await workspaceFiles('**/*.{md,txt}');
    goalFile = await pick(`${title}: goal file`, defaultFirst(files.map((f) => ({ label: f, value: f })), last.goalFile));
    if (!goalFile) {
      return undefined;
    }
  }

  // 2. template
  const templates = (await conn.templates(folder.uri.fsPath)).templates ?? [];
  const template = await pick<string>(`${title} (2/7): template`, defaultFirst([
    { label: '(no template)', value: '' },
    ...templates.map((t) => ({ label: t.name ?? '', description: t.source, detail: t.description, value: t.name ?? '' })),
  ], last.template ?? ''));
  if (template === undefined) {
    return undefined;
  }

  // 3. provider (+ its options) and 4. model
  const providers: ProviderInfo[] = (await conn.providers()).providers ?? [];
  const preferred = last.provider ?? settings.defaultProvider ?? providers.find((p) => p.available)?.id;
  const providerItems = providers.map((p) => ({ label: `${p.available ? '$(check)' : '$(circle-slash)'} ${p.id}`, description: p.available ? '' : 'not available', detail: p.detail, value: p }));
  providerItems.sort((a, b) => Number(b.value.available) - Number(a.value.available));
  const provider = await pick(`${title} (3/7): provider`, defaultFirst(providerItems, providers.find((p) => p.id === preferred)));
  if (!provider) {
    return undefined;
  }
  if (!provider.available) {
    void vscode.window.showErrorMessage(`Loopwire: provider "${provider.id}" is not available here: ${provider.detail ?? ''}`, 'Set API Key…')
      .then((c) => { if (c) { void vscode.commands.executeCommand('loopwire.setApiKey'); } });
    return undefined;
  }
  const options: Record<string, unknown> = {};
  let script: string | undefined;
  if (provider.id === 'scripted') {
    const files = await workspaceFiles('**/*.json');
    script = await pick(`${title}: scripted turns file`, defaultFirst(files.map((f) => ({ label: f, value: f })), last.script), 'A turns file: {"turns": [...]}');
    if (!script) {
      return undefined;
    }
    options.script = script;
  }
  let model: string | undefined = last.provider === provider.id ? last.model : settings.defaultModel || undefined;
  if (provider.models && provider.models.length > 0) {
    const m = await pick<string>(`${title} (4/7): model`, defaultFirst([
      { label: '(provider default)', value: '' }, ...provider.models.map((x) => ({ label: x, value: x }))], model ?? ''));
    if (m === undefined) {
      return undefined;
    }
    model = m || undefined;
  }

  // 5. budget
  const iterations = await vscode.window.showInputBox({
    title: `${title} (5/7): budget`, prompt: 'Maximum iterations (token, time and cost limits come from the loopwire.budget.* settings)',
    value: String(last.maxIterations ?? settings.defaultBudget.maxIterations ?? 10), ignoreFocusOut: true,
    validateInput: (v) => (/^[1-9]\d*$/.test(v.trim()) ? undefined : 'a positive whole number'),
  });
  if (!iterations) {
    return undefined;
  }

  // 6. approval mode
  const modes: Item<ApprovalMode>[] = [
    { label: 'ask', description: 'ask before tools that change things', value: 'ask' },
    { label: 'auto', description: 'allow every tool call', value: 'auto' },
    { label: 'deny', description: 'reject tool calls that need approval', value: 'deny' },
  ];
  const mode = await pick(`${title} (6/7): approval mode`, defaultFirst(modes, last.approvalMode ?? settings.defaultApprovalMode));
  if (!mode) {
    return undefined;
  }

  // 7. run mode
  const autoRun = await pick<boolean>(`${title} (7/7): run`, defaultFirst([
    { label: 'Run automatically', description: 'iterate until done or a budget is used up', value: true },
    { label: 'Step by step', description: 'each "Loopwire: Step" runs one iteration', value: false },
  ], last.autoRun ?? true));
  if (autoRun === undefined) {
    return undefined;
  }

  const params: StartLoopParams = {
    workspace: folder.uri.fsPath,
    goal,
    goalFile,
    template: template || undefined,
    provider: { id: provider.id, model, options: Object.keys(options).length ? options : undefined },
    budget: { ...settings.defaultBudget, maxIterations: Number(iterations) },
    approval: { mode },
    autoRun,
  };
  await context.workspaceState.update(LAST, {
    goal: goal ?? last.goal, goalFile: goalFile ?? last.goalFile, template, provider: provider.id, model, script: script ?? last.script,
    maxIterations: Number(iterations), approvalMode: mode, autoRun,
  } satisfies LastChoices);
  const snapshot = await conn.startLoop(params);
  session.store.upsertSnapshot(snapshot);
  return snapshot.loopId;
}
