#!/usr/bin/env bash
# Runs every test of Loopwire on a fresh machine (Debian, Java 17, Maven, Node 20, root):
#   1. installs the Debian packages the tests need (Xvfb for the Swing tests, Chromium and the
#      code-server build tools for the browser and VS Code tests), idempotently;
#   2. the Maven build of every module with all Java tests: unit tests, end-to-end tests against
#      the real server jar (failsafe), the IntelliJ plugin's Swing panels under Xvfb;
#   3. the VS Code extension: npm ci, type check, unit tests, the client against the real server
#      jar, the loop view in headless Chromium, and the packaged .vsix in a real VS Code
#      (code-server from the npm registry, driven from headless Chromium).
# Ends with one line "tests: N passed, N failed, N skipped" over all of them.
set -Eeuo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '[test-all] %s\n' "$*"; }

# 1. Debian packages -------------------------------------------------------------------------
pkgs=(xvfb xauth chromium fonts-dejavu-core build-essential python3 pkg-config libkrb5-dev
      libx11-dev libxkbfile-dev libsecret-1-dev ripgrep)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

status=0

# 2. Java: every module, every test ----------------------------------------------------------
say "mvn -B verify (under Xvfb for the Swing tests)"
xvfb-run -a -s "-screen 0 1600x1000x24" mvn -B -ntp verify || status=$?

# 3. VS Code extension -----------------------------------------------------------------------
if [ "$status" -eq 0 ]; then
  say "VS Code extension: npm ci && npm test"
  (cd vscode-extension && npm ci --no-audit --no-fund --loglevel=error && npm test) || status=$?
else
  say "skipping the VS Code extension tests: the Maven build failed (they need its server jar)"
fi

# Summary over every runner's reports --------------------------------------------------------
python3 scripts/test-summary.py "$root" || true
exit "$status"
