/**
 * The loop view page (src/views/loopViewHtml.ts + media/loopView.{js,css}) in headless Chromium:
 * served over HTTP with the same strict CSP as in VS Code, `acquireVsCodeApi` replaced by a
 * recording test double, state posted the way the extension posts it.
 */
import * as fs from 'fs';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopViewHtml, newNonce } from '../../src/views/loopViewHtml';
import { ARTIFACTS, launchChromium } from '../chromium';

const MEDIA = path.resolve(__dirname, '../../media');

/** Test double for the webview API: records what the page posts, keeps its state in memory. */
const RECORDING_VSCODE_API = `
  window.__posted = [];
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  window.acquireVsCodeApi = function RecordingVsCodeApi() {
    let state;
    return {
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => state,
      setState: (s) => { state = s; return s; },
    };
  };`;

const snapshot = {
  loopId: 'L1', name: 'Create hello.txt', workspace: '/tmp/ws', status: 'awaiting_approval', iteration: 2,
  usage: { iterations: 1, inputTokens: 1200, outputTokens: 300, costUsd: 0.012, elapsedSeconds: 42 },
  budget: { maxIterations: 5, maxTokens: 10000, maxCostUsd: 0.1, maxWallSeconds: 600 },
  provider: { id: 'scripted', options: { script: 'turns.json' } }, memoryPath: '/tmp/ws/.loopwire/loops/L1/memory.md',
  resumable: false,
  pendingApproval: {
    approvalId: 'ap-7', iteration: 2, tool: 'run_command', title: 'Run `cat hello.txt`', input: { command: 'cat hello.txt' },
    reason: 'run_command needs approval in mode ask',
    options: [{ decision: 'allow_once', label: 'Allow once' }, { decision: 'allow_always', label: 'Always allow' }, { decision: 'reject_once', label: 'Reject' }],
  },
};

describe('loop view in headless Chromium', () => {
  let server: http.Server;
  let origin: string;
  let ctx: BrowserContext;
  let close: () => Promise<void>;
  let page: Page;

  beforeAll(async () => {
    const nonce = newNonce();
    server = http.createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(loopViewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/media/loopView.js`, styleUri: `${origin}/media/loopView.css`, loopId: 'L1', title: 'Create hello.txt' }));
      } else if (url.startsWith('/media/') && fs.existsSync(path.join(MEDIA, path.basename(url)))) {
        res.writeHead(200, { 'content-type': url.endsWith('.css') ? 'text/css' : 'text/javascript' });
        res.end(fs.readFileSync(path.join(MEDIA, path.basename(url))));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ({ ctx, close } = await launchChromium({ width: 1000, height: 900 }));
    page = await ctx.newPage();
    await page.addInitScript(RECORDING_VSCODE_API);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await close?.();
    server?.close();
  });

  const posted = () => page.evaluate(() => (window as unknown as { __posted: any[] }).__posted);
  const send = (msg: unknown) => page.evaluate((m) => window.postMessage(m, '*'), msg);

  it('renders streamed output and a pending approval, and posts the decision with the note', async () => {
    await page.goto(origin + '/');
    await expect.poll(posted).toEqual([{ loopId: 'L1', type: 'ready' }]);

    await send({ type: 'state', state: {
      snapshot, restored: false, progress: { iteration: 2, phase: 'approval' },
      iterations: [{ index: 1, durationSeconds: 3.2, summary: 'Wrote hello.txt', outcome: 'continue',
        toolCalls: [{ id: 't1', name: 'write_file', input: { path: 'hello.txt' }, status: 'ok', output: 'wrote 6 bytes' }] }],
      output: [
        { seq: 1, iteration: 1, kind: 'thought', text: 'I should create the file.' },
        { seq: 2, iteration: 1, kind: 'text', text: 'Creating hello.txt' },
        { seq: 3, iteration: 1, kind: 'tool_call', toolCall: { id: 't1', name: 'write_file', input: { path: 'hello.txt', content: 'hello\n' } } },
        { seq: 4, iteration: 2, kind: 'text', text: 'Now <img src=x onerror="window.__pwned=1"> checking' },
      ] } });
    // a streamed delta merged into entry 4
    await send({ type: 'output', merged: true, entry: { seq: 4, iteration: 2, kind: 'text', text: 'Now <img src=x onerror="window.__pwned=1"> checking the file' } });

    await page.locator('section.approval').waitFor();
    await expect.poll(() => page.locator('.out-entry[data-seq="4"]').textContent()).toBe('Now <img src=x onerror="window.__pwned=1"> checking the file');
    expect(await page.locator('.badge').getAttribute('data-status')).toBe('awaiting_approval');
    expect(await page.locator('.out.kind-thought').textContent()).toBe('I should create the file.');
    expect(await page.locator('details.tool summary').first().textContent()).toContain('write_file');
    expect(await page.locator('.meter[data-meter="Tokens"] .value').textContent()).toBe('1,500 / 10,000');
    expect(await page.locator('.meter[data-meter="Iterations"] .fill').evaluate((e) => (e as HTMLElement).style.width)).toBe('20%');
    expect(await page.locator('section.approval pre').textContent()).toContain('cat hello.txt');
    expect(await page.locator('section.approval button').allTextContents()).toEqual(['Approve', 'Always', 'Deny']);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('#iterations img').count()).toBe(0);
    expect(await page.locator('#app').evaluate((e) => [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== ''))).toBe(false);

    await page.locator('section.approval textarea').fill('only read it, do not change it');
    await page.screenshot({ path: path.join(ARTIFACTS, 'webview-approval.png'), fullPage: true });
    await page.locator('section.approval button[data-decision="allow_once"]').click();
    await expect.poll(posted).toContainEqual({ loopId: 'L1', type: 'approve', approvalId: 'ap-7', decision: 'allow_once', note: 'only read it, do not change it' });

    await page.locator('button[data-command="openMemory"]').click();
    await expect.poll(posted).toContainEqual({ loopId: 'L1', type: 'command', command: 'openMemory' });
    expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
  });

  it('shows the stop reason and recommended action when the loop ends, and keeps state for restore', async () => {
    await send({ type: 'state', state: {
      snapshot: { ...snapshot, status: 'budget_exhausted', pendingApproval: undefined, resumable: true,
        reason: 'maxIterations 5 reached', recommendedAction: 'Resume with a larger budget' },
      iterations: [], output: [], restored: true } });
    await page.locator('section.ended').waitFor();
    expect(await page.locator('section.approval').count()).toBe(0);
    expect(await page.locator('section.ended .reason').textContent()).toBe('maxIterations 5 reached');
    expect(await page.locator('section.ended .recommended').textContent()).toBe('Recommended: Resume with a larger budget');
    expect(await page.locator('button[data-command="resume"]').isEnabled()).toBe(true);
    expect(await page.locator('button[data-command="pause"]').isEnabled()).toBe(false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'webview-ended.png'), fullPage: true });
  });

  it('has a strict CSP: inline scripts without the nonce do not run', async () => {
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9]+'$/);
    expect(csp).not.toContain('unsafe-inline');
    const ran = await page.evaluate(() => new Promise((resolve) => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.append(s);
      setTimeout(() => resolve((window as unknown as { __inlineRan?: boolean }).__inlineRan ?? false), 100);
    }));
    expect(ran).toBe(false);
  });
});
