/**
 * The loop's memory file in an editor. The server re-reads it at the start of every iteration, so
 * a saved edit steers the next iteration. When the loop changes the file (`loop/memoryChanged`)
 * an open, unmodified editor shows the new content; with unsaved edits the user chooses.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { LoopwireSession } from '../client/session';
import { toDisposable } from './loopsTree';

export class MemoryEditors implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly session: LoopwireSession) {
    this.subscriptions.push(toDisposable(session.store.onMemoryChanged((e) => void this.onChanged(e.loopId, e.path))));
  }

  async memoryPath(loopId: string): Promise<string> {
    const known = this.session.store.get(loopId)?.snapshot.memoryPath;
    if (known) {
      return known;
    }
    const conn = await this.session.ready();
    const r = await conn.memory(loopId);
    if (!r.path) {
      throw new Error(`the server did not name a memory file for loop ${loopId}`);
    }
    return r.path;
  }

  async open(loopId: string): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(await this.memoryPath(loopId)));
    return vscode.window.showTextDocument(doc, { preview: false });
  }

  async openJournal(loopId: string): Promise<vscode.TextEditor> {
    const journal = path.join(path.dirname(await this.memoryPath(loopId)), 'journal.jsonl');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(journal));
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  private async onChanged(loopId: string, changedPath: string | undefined): Promise<void> {
    const file = changedPath ?? this.session.store.get(loopId)?.snapshot.memoryPath;
    if (!file) {
      return;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
    if (!doc) {
      return;
    }
    let disk: string;
    try {
      disk = await fs.promises.readFile(file, 'utf8');
    } catch {
      return;
    }
    if (doc.getText() === disk) {
      return;
    }
    if (doc.isDirty) {
      const choice = await vscode.window.showWarningMessage(
        `Loopwire: the loop changed ${path.basename(file)} while you have unsaved edits in it.`, 'Use the loop\'s version', 'Keep mine');
      if (choice !== 'Use the loop\'s version') {
        return;
      }
      await vscode.window.showTextDocument(doc, { preview: false });
      await vscode.commands.executeCommand('workbench.action.files.revert');
      return;
    }
    // An unmodified editor follows the file through VS Code's file watcher; when it is the active
    // editor, revert as well so the new content shows at once even where watching is slow.
    if (vscode.window.activeTextEditor?.document === doc) {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}
