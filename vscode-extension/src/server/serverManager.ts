/**
 * Creates the {@link LoopwireSession} for the extension: the launch (Java from the settings or the
 * system, the bundled or configured jar, API keys from SecretStorage in the environment), the
 * "Loopwire Server" output channel (stderr, trace), and the user-facing errors with actions.
 */
import * as vscode from 'vscode';
import { LoopwireSession } from '../client/session';
import { ApiKeys } from '../settings/secrets';
import { readSettings } from '../settings/settings';
import { JavaNotFoundError, findJava } from './java';
import { buildLaunch, bundledJar, describeLaunch } from './launch';

export function createSession(context: vscode.ExtensionContext, output: vscode.OutputChannel, keys: ApiKeys): LoopwireSession {
  const version = (context.extension?.packageJSON as { version?: string } | undefined)?.version ?? '0.0.0';
  const session = new LoopwireSession({
    clientName: 'vscode-loopwire',
    clientVersion: version,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
    get trace() { return readSettings().traceServer; },
    onStderr: (line) => output.appendLine(line),
    onTrace: (line) => output.appendLine(`[trace] ${line}`),
    log: (line) => output.appendLine(line),
    launch: async () => {
      const s = readSettings();
      const java = await findJava(s.javaPath);
      const launch = buildLaunch({ javaPath: java.path, jarPath: s.serverJarPath || bundledJar(context.extensionPath), vmArgs: s.serverVmArgs },
        await keys.environment());
      output.appendLine(`[client] starting: ${describeLaunch(launch)} (${java.versionLine})`);
      return launch;
    },
  });
  session.onDidChangeState(async ({ state, message }) => {
    if (state !== 'failed' || !message) {
      return;
    }
    if (message.includes('needs Java')) {
      const choice = await vscode.window.showErrorMessage(message, 'Open Settings', 'Get Java');
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'loopwire.javaPath');
      } else if (choice === 'Get Java') {
        void vscode.env.openExternal(vscode.Uri.parse('https://adoptium.net/temurin/releases/?version=17'));
      }
      return;
    }
    const choice = await vscode.window.showErrorMessage(`Loopwire: ${message}`, 'Restart Server', 'Show Server Log');
    if (choice === 'Restart Server') {
      void vscode.commands.executeCommand('loopwire.restartServer');
    } else if (choice === 'Show Server Log') {
      output.show(true);
    }
  });
  return session;
}

export { JavaNotFoundError };
