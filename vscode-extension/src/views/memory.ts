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

/** Lets the memory editor borrow focus for a moment and give it back (see {@link MemoryEditors}). */
export interface FocusKeeper {
  /** Remembers what has focus now; the returned function gives focus back to it. */
  capture(): () => Promise<void>;
}

export class MemoryEditors implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Open memory documents that are older than their file (the file watcher missed a change). */
  private readonly stale = new Set<string>();

  constructor(
    private readonly session: LoopwireSession,
    private readonly loopViewOpen: (loopId: string) => boolean = () => false,
    private readonly focus?: FocusKeeper,
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
    // An unmodified editor normally follows the file through VS Code's file watcher. Give it a
    // moment; if the editor still shows old content (watching can be slow or unavailable, e.g. in
    // some remote setups), reload it from disk ("revert" of a clean document only re-reads it).
    await new Promise((r) => setTimeout(r, 700));
    if (doc.isClosed || doc.isDirty || await sameAsDisk(doc, file)) {
      return;
    }
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    if (!editor) {
      this.stale.add(file); // reloaded when it is next shown
      return;
    }
    if (vscode.window.activeTextEditor?.document === doc) {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      return;
    }
    const giveBack = this.focus?.capture();
    await vscode.window.showTextDocument(doc, { viewColumn: editor.viewColumn, preserveFocus: false, preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await giveBack?.();
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
