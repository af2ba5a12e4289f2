#!/bin/sh
# Engine-path artifact scan benchmark: a real loop (scripted provider, engine in process) over a
# 100,000-file git repository, per-iteration scan time with the loop's file watch vs stat-based vs
# `git status --porcelain` on the same tree. See README.md.
# Usage: [MVN_ARGS=-Dengine.build.dir=/tmp/my-target] bench/artifact-scan/run-loop.sh [files] [iterations] [rounds] [keep-tree:true|false]
set -e
cd "$(dirname "$0")/../.."
mvn -B -q -o -pl engine ${MVN_ARGS:-} test-compile exec:java \
  -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.loopwire.engine.internal.ArtifactLoopBench \
  -Dexec.args="${1:-100000} ${2:-15} ${3:-2} ${4:-false}"
