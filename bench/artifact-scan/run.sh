#!/bin/sh
# Artifact scan benchmark: builds a 100,000-file git repository in a temp dir and compares
# ArtifactScanner (full and incremental) with `git status --porcelain`. See README.md.
# Usage: [MVN_ARGS=-Dengine.build.dir=/tmp/my-target] bench/artifact-scan/run.sh [files] [runs] [keep-tree:true|false]
set -e
cd "$(dirname "$0")/../.."
mvn -B -q -o -pl engine ${MVN_ARGS:-} test-compile exec:java \
  -Dexec.classpathScope=test \
  -Dexec.mainClass=dev.loopwire.engine.context.ArtifactScanBench \
  -Dexec.args="${1:-100000} ${2:-7} ${3:-false}"
