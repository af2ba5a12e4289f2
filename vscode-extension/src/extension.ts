/** Entry point: wires the session, views and commands together. No logic lives here. */
import * as vscode from 'vscode';
import { LoopwireSession } from './client/session';
import { registerLoopCommands } from './commands/loopCommands';
import { registerServerCommands } from './commands/serverCommands';
import { startLoop } from './commands/startLoop';
import { createSession } from './server/serverManager';
import { ApiKeys } from './settings/secrets';
import { affectsServer, readSettings } from './settings/settings';
import { ApprovalNotifier } from './views/approvals';
import { LoopViewManager } from './views/loopView';
import { LoopsTreeProvider, toDisposable } from './views/loopsTree';
import { MemoryEditors } from './views/memory';
import { LoopProgress } from './views/progress';
import { LoopwireStatusBar } from './views/statusBar';

let session: LoopwireSession | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ session: LoopwireSession }> {
  const output = vscode.window.createOutputChannel('Loopwire Server');
  const keys = new ApiKeys(context);
  session = createSession(context, output, keys);
  const s = session;

  const tree = new LoopsTreeProvider(s.store);
  const views = new LoopViewManager(context, s);
  const memory = new MemoryEditors(s, (loopId) => views.isOpen(loopId));
  const progress = new LoopProgress(s, () => readSettings().showProgressNotifications);
  const approvals = new ApprovalNotifier(s, (loopId) => views.open(loopId));
  const statusBar = new LoopwireStatusBar(s);

  context.subscriptions.push(
    output, tree, views, memory, approvals, statusBar,
    vscode.window.registerTreeDataProvider('loopwire.loops', tree),
    ...registerLoopCommands({ session: s, views, memory, progress }),
    ...registerServerCommands(s, output, keys),
    vscode.commands.registerCommand('loopwire.startLoop', async (preset?: object) => {
      try {
        const loopId = await startLoop(context, s, preset);
        if (loopId) {
          progress.track(loopId);
          await views.open(loopId);
        }
        return loopId;
      } catch (e) {
        void vscode.window.showErrorMessage(`Loopwire: could not start the loop: ${(e as Error).message}`);
        return undefined;
      }
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (affectsServer(e)) {
        const choice = await vscode.window.showInformationMessage('Loopwire: restart the server to apply the changed settings?', 'Restart Server');
        if (choice) {
          await vscode.commands.executeCommand('loopwire.restartServer');
        }
      }
    }),
    toDisposable({ dispose: () => void s.stop() }),
  );

  s.start().catch(() => undefined); // start-up failures are shown by the session's state handler
  return { session: s };
}

export async function deactivate(): Promise<void> {
  await session?.stop();
}
