/** Show Server Log, Restart Server, Set API Key…, Refresh. */
import * as vscode from 'vscode';
import { LoopwireSession } from '../client/session';
import { ApiKeys, KNOWN_KEY_NAMES } from '../settings/secrets';

export function registerServerCommands(session: LoopwireSession, output: vscode.OutputChannel, keys: ApiKeys): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('loopwire.showServerLog', () => output.show(true)),
    vscode.commands.registerCommand('loopwire.restartServer', async () => {
      await session.stop();
      await session.start(true).catch(() => undefined); // failures are reported by the session
    }),
    vscode.commands.registerCommand('loopwire.refresh', async () => {
      try {
        await session.rebuild(await session.ready());
      } catch (e) {
        void vscode.window.showErrorMessage(`Loopwire: ${(e as Error).message}`);
      }
    }),
    vscode.commands.registerCommand('loopwire.setApiKey', async () => {
      const stored = new Set(keys.names());
      const items = [...new Set([...KNOWN_KEY_NAMES, ...stored])].map((n) => ({ label: n, description: stored.has(n) ? 'stored' : '' }));
      items.push({ label: 'Other…', description: 'any NAME_API_KEY environment variable' });
      const picked = await vscode.window.showQuickPick(items, { title: 'Loopwire: which API key?', placeHolder: 'Stored in VS Code\'s secret storage, passed to the server\'s environment only' });
      if (!picked) {
        return;
      }
      const name = picked.label === 'Other…'
        ? await vscode.window.showInputBox({ title: 'Environment variable name', validateInput: (v) => (/^[A-Z_][A-Z0-9_]*$/.test(v) ? undefined : 'use A-Z, 0-9 and _') })
        : picked.label;
      if (!name) {
        return;
      }
      const value = await vscode.window.showInputBox({ title: `Value of ${name}`, password: true, ignoreFocusOut: true, prompt: 'Leave empty to delete the stored key' });
      if (value === undefined) {
        return;
      }
      if (value === '') {
        await keys.delete(name);
      } else {
        await keys.set(name, value);
      }
      const choice = await vscode.window.showInformationMessage(`Loopwire: ${name} ${value ? 'stored' : 'deleted'}. The server reads keys when it starts.`, 'Restart Server');
      if (choice) {
        await vscode.commands.executeCommand('loopwire.restartServer');
      }
    }),
  ];
}
