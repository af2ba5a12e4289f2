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
  /** Open memory documents that are older than their file (the file watcher missed a change). */
  private readonly stale = new Set<string>();

  constructor(
    private readonly session: LoopwireSession,
    private readonly loopViewOpen: (loopId: string) => boolean = () => false,
  ) {
    this.subscriptions.push(
      toDisposable(session.store.onMemoryChanged((e) => void this.onChanged(e.loopId, e.path))),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        const file = editor?.document.uri.fsPath;
        if (file && this.stale.delete(file) && !editor!.document.isDirty) {
          void vscode.commands.executeCommand('workbench.action.files.revert');
        }
      }),
    );
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
    // Beside the loop view when that is open, so both can be watched while the loop runs.
    return vscode.window.showTextDocument(doc, { preview: false, viewColumn: this.loopViewOpen(loopId) ? vscode.ViewColumn.Beside : undefined });
  }

  async openJournal(loopId: string): Promise<vscode.TextEditor> {
    const journal = path.join(path.dirname(await this.memoryPath(loopId)), 'journal.jsonl');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(journal));
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  private async onChanged(loopId: string, changedPath: string | undefined): Promise<void> {
    const file = changedPath ?? this.session.store.get(loopId)?.snapshot.memoryPath;
    const doc = file && vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
    if (!file || !doc || await sameAsDisk(doc, file)) {
      return;
    }
    if (doc.isDirty) {
      const choice = await vscode.window.showWarningMessage(
        `Loopwire: the loop changed ${path.basename(file)} while you have unsaved edits in it.`, 'Use the loop\'s version', 'Keep mine');
      if (choice === 'Use the loop\'s version') {
        await vscode.window.showTextDocument(doc, { preview: false });
        await vscode.commands.executeCommand('workbench.action.files.revert');
      }
      return;
    }
    // An unmodified editor follows the file through VS Code's file watcher. If it still shows old
    // content after a moment (watching can be slow or unavailable, e.g. in some remote setups),
    // reload it from disk: at once when it is the active editor, otherwise when it next becomes
    // active. Focus is never taken away from where the user is typing.
    await new Promise((r) => setTimeout(r, 1500));
    if (doc.isClosed || doc.isDirty || await sameAsDisk(doc, file)) {
      return;
    }
    if (vscode.window.activeTextEditor?.document === doc) {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    } else {
      this.stale.add(file);
    }
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}

async function sameAsDisk(doc: vscode.TextDocument, file: string): Promise<boolean> {
  try {
    return doc.getText() === await fs.promises.readFile(file, 'utf8');
  } catch {
    return true; // unreadable: leave the editor alone
  }
}
