/**
 * The loop view's HTML shell: a strict Content-Security-Policy (no inline script or style, the
 * one script allowed by its nonce), the stylesheet and script from `media/`. No VS Code API here,
 * so the browser test renders exactly this page.
 */
import { randomBytes } from 'crypto';

export interface LoopViewHtmlOptions {
  /** `webview.cspSource`: the origin the webview's resources come from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  loopId: string;
  title: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function loopViewHtml(o: LoopViewHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(o.styleUri)}">
<title>${escapeText(o.title)}</title>
</head>
<body data-loop-id="${escapeAttr(o.loopId)}">
<main id="app" aria-live="polite"><p class="muted">Loading loop ${escapeText(o.loopId)}…</p></main>
<script nonce="${escapeAttr(o.nonce)}" src="${escapeAttr(o.scriptUri)}"></script>
</body>
</html>`;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;');
}
