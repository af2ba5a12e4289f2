#!/usr/bin/env bash
# The RPC benchmark: Loopwire's server against a minimal Node vscode-jsonrpc server, same client.
#   bench/rpc/run.sh            full run (a few minutes)
#   bench/rpc/run.sh --quick    fewer repetitions
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
[ -f server/target/loopwire.jar ] || mvn -B -q package -DskipTests
[ -d bench/rpc/node/node_modules/vscode-jsonrpc ] || npm ci --prefix bench/rpc/node --no-audit --no-fund
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
exec "$java_bin" -cp server/target/loopwire.jar bench/rpc/RpcBench.java "$@"
