// Loopwire loop view (runs inside the webview). Renders the state the extension posts and posts
// the user's intent back: approvals and loop commands. Builds the DOM with textContent only, so
// nothing the agent wrote is ever interpreted as HTML.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const app = document.getElementById('app');
  const loopId = document.body.dataset.loopId;

  /** @type {{snapshot: any, iterations: any[], output: any[], progress?: any, restored?: boolean} | undefined} */
  let state = (vscode.getState() || {}).state;
  let error = '';
  let renderQueued = false;
  const noteDrafts = {};

  const ACTIVE = ['running', 'waiting', 'awaiting_approval'];
  const BAD_END = ['failed', 'cancelled', 'approval_denied', 'approval_expired', 'no_progress', 'budget_exhausted', 'interrupted'];
  const DECISION_LABELS = { allow_once: 'Approve', allow_always: 'Always', reject_once: 'Deny', reject_always: 'Always deny' };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c !== undefined && c !== null && c !== false) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function post(msg) { vscode.postMessage(Object.assign({ loopId }, msg)); }

  function fmtNum(n) { return n === undefined || n === null ? '–' : Number(n).toLocaleString('en-US'); }
  function fmtCost(n) { return n === undefined || n === null ? '–' : '$' + Number(n).toFixed(n < 1 ? 4 : 2); }
  function fmtSecs(s) {
    if (s === undefined || s === null) return '–';
    s = Math.round(s);
    return s >= 3600 ? `${Math.floor(s / 3600)}h ${Math.floor(s % 3600 / 60)}m` : s >= 60 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${s}s`;
  }
  function json(v) { try { return JSON.stringify(v, null, 2); } catch (e) { return String(v); } }

  function meter(name, value, limit, fmt) {
    const ratio = limit ? Math.min(1, value / limit) : 0;
    const m = el('div', { class: 'meter' + (ratio >= 1 ? ' full' : ratio >= 0.8 ? ' high' : ''), 'data-meter': name },
      el('div', { class: 'label' }, el('span', { text: name }), el('span', { class: 'value', text: limit ? `${fmt(value)} / ${fmt(limit)}` : `${fmt(value)} (no limit)` })),
      el('div', { class: 'bar' }, el('div', { class: 'fill' })));
    m.querySelector('.fill').style.width = (ratio * 100).toFixed(1) + '%';  // CSSOM: allowed by the CSP
    return m;
  }

  function header(s) {
    const status = s.status || 'unknown';
    const active = ACTIVE.includes(status);
    const provider = s.provider ? [s.provider.id, s.provider.model].filter(Boolean).join(' · ') : '';
    const b = s.budget || {};
    const u = s.usage || {};
    const tokens = (u.inputTokens || 0) + (u.outputTokens || 0);
    const btn = (label, command, enabled, secondary = true) =>
      el('button', { class: secondary ? 'secondary' : '', 'data-command': command, disabled: !enabled, onclick: () => post({ type: 'command', command }) }, label);
    return el('header', { class: 'loop' },
      el('div', {}, el('h1', { text: s.name || s.loopId }), el('span', { class: 'badge status-' + status, 'data-status': status, text: status.replace(/_/g, ' ') })),
      el('div', { class: 'sub', text: [provider, `iteration ${s.iteration || 0}${b.maxIterations ? '/' + b.maxIterations : ''}`, s.workspace].filter(Boolean).join('  ·  ') }),
      el('div', { class: 'meters' },
        meter('Iterations', u.iterations !== undefined ? u.iterations : (s.iteration || 0), b.maxIterations, fmtNum),
        meter('Tokens', tokens, b.maxTokens, fmtNum),
        meter('Cost', u.costUsd || 0, b.maxCostUsd, fmtCost),
        meter('Time', u.elapsedSeconds || 0, b.maxWallSeconds, fmtSecs)),
      el('div', { class: 'controls' },
        btn('Step', 'step', ['created', 'paused', 'interrupted'].includes(status)),
        btn('Pause', 'pause', status === 'running' || status === 'waiting'),
        btn('Resume', 'resume', !!s.resumable && !active),
        btn('Cancel', 'cancel', active || status === 'paused' || status === 'created'),
        btn('Open Memory', 'openMemory', true),
        btn('Open Journal', 'openJournal', true)));
  }

  function approvalSection(s) {
    const a = s.pendingApproval;
    if (!a || !a.approvalId) return null;
    const offered = (a.options && a.options.length ? a.options.map(o => o.decision) : ['allow_once', 'allow_always', 'reject_once']);
    const order = ['allow_once', 'allow_always', 'reject_once', 'reject_always'];
    const decisions = order.filter(d => offered.includes(d)).concat(offered.filter(d => !order.includes(d)));
    const note = el('textarea', { placeholder: 'Note for the agent (optional)', 'aria-label': 'Note', 'data-approval-note': a.approvalId,
      oninput: (e) => { noteDrafts[a.approvalId] = e.target.value; } });
    note.value = noteDrafts[a.approvalId] || '';
    const label = (d) => DECISION_LABELS[d] || ((a.options || []).find(o => o.decision === d) || {}).label || d;
    return el('section', { class: 'approval', 'data-approval-id': a.approvalId },
      el('h2', { text: `Approval needed: ${a.title || a.tool || 'tool call'}` }),
      el('div', { class: 'sub', text: [a.tool && `tool ${a.tool}`, `iteration ${a.iteration}`, a.expiresAt && `expires ${a.expiresAt}`].filter(Boolean).join('  ·  ') }),
      a.reason ? el('p', { text: a.reason }) : null,
      a.input ? el('pre', { text: json(a.input) }) : null,
      note,
      el('div', { class: 'buttons' }, decisions.map((d, i) => el('button', {
        class: d.startsWith('reject') || i > 0 ? 'secondary' : '', 'data-decision': d,
        onclick: () => post({ type: 'approve', approvalId: a.approvalId, decision: d, note: note.value.trim() || undefined }),
      }, label(d)))));
  }

  function endedSection(s) {
    const status = s.status;
    if (!status || ACTIVE.includes(status) || status === 'created') return null;
    const bad = BAD_END.includes(status);
    return el('section', { class: 'ended' + (bad ? ' bad' : ''), 'data-ended': status },
      el('h2', { text: status === 'paused' ? 'Paused' : `Stopped: ${status.replace(/_/g, ' ')}` }),
      s.reason ? el('p', { class: 'reason', text: s.reason }) : null,
      s.recommendedAction ? el('p', { class: 'recommended' }, el('strong', { text: 'Recommended: ' }), s.recommendedAction) : null,
      el('p', { class: 'muted', text: s.resumable ? 'This loop can be resumed.' : 'This loop cannot be resumed.' }));
  }

  function outputNode(entry) {
    if (entry.toolCall) {
      const t = entry.toolCall;
      return el('details', { class: 'tool out-entry', 'data-seq': entry.seq, 'data-tool-status': t.status || '', open: entry.kind === 'tool_call' ? true : undefined },
        el('summary', {}, `${t.name || 'tool'}`, el('span', { class: 'status', text: t.status || '' })),
        t.input ? el('pre', { class: 'input', text: json(t.input) }) : null,
        t.output || entry.text ? el('pre', { class: 'output', text: t.output || entry.text }) : null);
    }
    return el('div', { class: `out kind-${entry.kind} out-entry`, 'data-seq': entry.seq, text: entry.text || '' });
  }

  function toolCallNode(t) {
    return el('details', { class: 'tool', 'data-tool-call': t.id || '' },
      el('summary', {}, t.name || 'tool', el('span', { class: 'status', text: t.status || '' })),
      el('pre', { class: 'input', text: json(t.input || {}) }),
      t.output ? el('pre', { class: 'output', text: t.output }) : null);
  }

  function streamedText(output) {
    return output.filter(o => o.kind === 'text').map(o => o.text || '').join('');
  }

  function iterationsSection(st) {
    const byIndex = new Map();
    for (const r of st.iterations || []) byIndex.set(r.index, { record: r, output: [] });
    for (const o of st.output || []) {
      if (!byIndex.has(o.iteration)) byIndex.set(o.iteration, { record: null, output: [] });
      byIndex.get(o.iteration).output.push(o);
    }
    const indexes = [...byIndex.keys()].sort((a, b) => a - b);
    const container = el('div', { id: 'iterations' });
    if (indexes.length === 0) container.append(el('p', { class: 'muted', text: 'No iterations yet.' }));
    for (const i of indexes) {
      const { record, output } = byIndex.get(i);
      const art = el('article', { class: 'iteration', 'data-iteration': i },
        el('h3', {}, `Iteration ${i}`, record ? el('span', { class: 'meta', text: [record.outcome, fmtSecs(record.durationSeconds), record.usage && `${fmtNum((record.usage.inputTokens || 0) + (record.usage.outputTokens || 0))} tokens`].filter(Boolean).join(' · ') }) : el('span', { class: 'meta', text: 'in progress' })),
        // The summary often repeats the streamed text: show it only when it adds something.
        record && record.summary && !streamedText(output).includes(record.summary.trim())
          ? el('p', { class: 'summary' }, el('strong', { text: 'Summary: ' }), record.summary) : null);
      const body = el('div', { class: 'stream' }, output.map(outputNode));
      art.append(body);
      // Tool calls of a restored iteration (its streamed output is not replayed by the server).
      if (record && output.length === 0) for (const t of record.toolCalls || []) art.append(toolCallNode(t));
      container.append(art);
    }
    return container;
  }

  function render() {
    renderQueued = false;
    if (!state || !state.snapshot) {
      app.replaceChildren(el('p', { class: 'muted', text: error || `Loading loop ${loopId}…` }));
      return;
    }
    const s = state.snapshot;
    const nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
    const progress = state.progress && (s.status === 'running' || s.status === 'waiting')
      ? el('div', { class: 'progress-line', text: `Iteration ${state.progress.iteration}: ${state.progress.phase || ''}${state.progress.message ? ' — ' + state.progress.message : ''}` }) : null;
    app.replaceChildren(...[
      header(s),
      error ? el('div', { class: 'error', role: 'alert', text: error }) : null,
      approvalSection(s),
      endedSection(s),
      state.restored ? el('p', { class: 'muted restored', text: 'Restored from the server: streamed text from before is not kept, iteration summaries and tool calls are.' }) : null,
      iterationsSection(state),
      progress,
    ].filter(Boolean));
    if (nearBottom) window.scrollTo(0, document.body.scrollHeight);
  }

  function queueRender() {
    if (!renderQueued) { renderQueued = true; requestAnimationFrame(render); }
  }

  function applyOutput(entry, merged) {
    if (!state) return;
    state.output = state.output || [];
    const i = state.output.findIndex(o => o.seq === entry.seq);
    if (i >= 0) state.output[i] = entry; else state.output.push(entry);
    const node = document.querySelector(`.out-entry[data-seq="${entry.seq}"]`);
    if (merged && node && !entry.toolCall) {
      const nearBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
      node.textContent = entry.text || '';
      if (nearBottom) window.scrollTo(0, document.body.scrollHeight);
    } else {
      queueRender();
    }
  }

  window.addEventListener('message', (event) => {
    const msg = event.data || {};
    switch (msg.type) {
      case 'state':
        state = msg.state; error = '';
        vscode.setState({ state });
        queueRender();
        break;
      case 'output':
        applyOutput(msg.entry, !!msg.merged);
        vscode.setState({ state });
        break;
      case 'error':
        error = msg.message || 'Request failed';
        queueRender();
        break;
    }
  });

  render();
  post({ type: 'ready' });
  // Until the first state arrives (the server may still be starting after a reload), ask again.
  let gotState = false;
  window.addEventListener('message', (e) => { if (e.data && e.data.type === 'state') gotState = true; });
  const retry = setInterval(() => { if (gotState) clearInterval(retry); else post({ type: 'ready' }); }, 2000);
})();
