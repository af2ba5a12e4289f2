// A minimal JSON-RPC server on stdio with vscode-jsonrpc: the baseline for bench/rpc.
// It answers initialize, loop/get (a canned snapshot of the same shape and size as Loopwire's)
// and bench/flood {count} (sends that many loop/output notifications, then answers).
'use strict';
const rpc = require('vscode-jsonrpc/node');

const connection = rpc.createMessageConnection(
  new rpc.StreamMessageReader(process.stdin),
  new rpc.StreamMessageWriter(process.stdout));

const usage = { iterations: 4, inputTokens: 760, outputTokens: 90, costUsd: 0, elapsedSeconds: 1.1 };
const snapshot = {
  loopId: '20261122-021949-3e26', name: 'hello', workspace: '/tmp/bench', status: 'succeeded',
  iteration: 4, usage, budget: { maxIterations: 20 },
  provider: { id: 'scripted', options: { script: '/tmp/bench/turns.json' } },
  memoryPath: '/tmp/bench/.loopwire/loops/20261122-021949-3e26/memory.md',
  reason: 'the agent reported the goal reached (<promise>DONE</promise>)', resumable: false,
  recommendedAction: 'Review the changes in the workspace; start a new loop for more work',
  createdAt: '2026-11-22T02:19:49.112Z', updatedAt: '2026-11-22T02:20:01.000Z'
};
const iterations = [1, 2, 3, 4].map(i => ({
  index: i, startedAt: '2026-11-22T02:19:49.800Z', durationSeconds: 0.2, summary: 'step ' + i,
  toolCalls: [], usage, outcome: i === 4 ? 'done' : 'continue'
}));

connection.onRequest('initialize', () => ({
  protocolVersion: 1, serverInfo: { name: 'node-baseline', version: '0' },
  capabilities: { providers: [], templates: [] }
}));
connection.onRequest('loop/get', () => ({ loop: snapshot, iterations }));
connection.onRequest('bench/flood', (params) => {
  for (let i = 0; i < params.count; i++) {
    connection.sendNotification('loop/output', { loopId: snapshot.loopId, iteration: 1, kind: 'text', text: 'word ' });
  }
  return params.count;
});
connection.onRequest('shutdown', () => null);
connection.onNotification('exit', () => process.exit(0));
connection.listen();
