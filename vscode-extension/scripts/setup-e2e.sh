#!/usr/bin/env bash
# setup-e2e.sh - install what the Loopwire VS Code extension's browser and end-to-end tests need,
# on a fresh Debian machine, idempotently (fast when everything is already there):
#   - Debian packages: chromium, ripgrep, build tools and headers for code-server's native modules
#   - code-server (VS Code in the browser) from the npm registry, into a cache directory outside
#     the clone (default ~/.cache/loopwire-e2e/code-server), so a second clone reuses it.
#
# Network: only the npm registry and Debian apt are needed (GitHub is not reachable here).
# Must run as root (apt-get). Node 20 with headers in /usr/include/node.
#
# Env: LOOPWIRE_E2E_CACHE (default ~/.cache/loopwire-e2e), CS_VERSION (default 4.100.3, the newest
# code-server whose engines allow Node 20).
# Prints the code-server binary path as the last line.
set -Eeuo pipefail

CACHE=${LOOPWIRE_E2E_CACHE:-$HOME/.cache/loopwire-e2e}
CS_VERSION=${CS_VERSION:-4.100.3}
APP=$CACHE/code-server
PKGCACHE=$CACHE/pkgcache
NPMTMP=$CACHE/npmtmp
LOGS=$CACHE/logs
mkdir -p "$APP" "$PKGCACHE" "$NPMTMP" "$LOGS"

say() { printf '[setup-e2e] %s\n' "$*" >&2; }
die() { echo "[setup-e2e] ERROR: $*" >&2; exit 1; }

# 1. Debian packages ------------------------------------------------------------------------
APT_PKGS=(build-essential python3 pkg-config libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev
          ripgrep chromium)
command -v java >/dev/null 2>&1 || APT_PKGS+=(openjdk-17-jre-headless)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get -o DPkg::Lock::Timeout=900 update && apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"; } >"$LOGS/apt.log" 2>&1 \
    || { tail -30 "$LOGS/apt.log" >&2; die "apt-get install failed, see $LOGS/apt.log"; }
else
  say "Debian packages present"
fi
[ -x /usr/bin/rg ] || die "/usr/bin/rg missing"
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing"

node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" = 20 ] || die "code-server $CS_VERSION needs Node 20, found $(node --version)"
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr   # node-gyp: use local headers, do not download from nodejs.org
fi

# 2. code-server from npm -------------------------------------------------------------------
installed_ok() {
  local d=$APP/node_modules/code-server
  [ -f "$d/package.json" ] &&
    [ "$(node -p "require('$d/package.json').version")" = "$CS_VERSION" ] &&
    [ -x "$d/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] &&
    [ -f "$d/lib/vscode/node_modules/node-pty/build/Release/pty.node" ] &&
    [ -d "$d/lib/vscode/extensions/node_modules/typescript" ]
}
if installed_ok; then
  say "code-server $CS_VERSION present in $APP"
else
  say "installing code-server $CS_VERSION into $APP (takes a few minutes)"
  # @vscode/ripgrep downloads rg from GitHub in its postinstall; it accepts a cached download in
  # $TMPDIR/vscode-ripgrep-cache-<pkgver>/ripgrep-<tag>-<target>.tar.gz. Seed it with Debian's rg.
  cs_tgz=$(cd "$PKGCACHE" && npm pack "code-server@$CS_VERSION" --silent 2>/dev/null | tail -1)
  rg_ver=$(tar -xzOf "$PKGCACHE/$cs_tgz" package/lib/vscode/npm-shrinkwrap.json |
           node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).packages["node_modules/@vscode/ripgrep"].version))')
  rg_tgz=$(cd "$PKGCACHE" && npm pack "@vscode/ripgrep@$rg_ver" --silent 2>/dev/null | tail -1)
  rg_tag=$(tar -xzOf "$PKGCACHE/$rg_tgz" package/lib/postinstall.js | sed -n "s/^const VERSION = '\(.*\)';.*/\1/p")
  case "$(uname -m)" in
    x86_64)  rg_target=x86_64-unknown-linux-musl ;;
    aarch64) rg_target=aarch64-unknown-linux-musl ;;
    *) die "unsupported architecture $(uname -m)" ;;
  esac
  [ -n "$rg_ver" ] && [ -n "$rg_tag" ] || die "could not determine the @vscode/ripgrep version"
  mkdir -p "$NPMTMP/vscode-ripgrep-cache-$rg_ver" "$CACHE/rgstage"
  cp /usr/bin/rg "$CACHE/rgstage/rg"
  tar -czf "$NPMTMP/vscode-ripgrep-cache-$rg_ver/ripgrep-$rg_tag-$rg_target.tar.gz" -C "$CACHE/rgstage" rg
  rm -rf "$APP/node_modules" "$APP/package-lock.json"
  echo '{"name":"loopwire-e2e-code-server","private":true}' >"$APP/package.json"
  # npm_config_unsafe_perm: code-server's postinstall refuses root without it.
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`.
  ( cd "$APP" && TMPDIR=$NPMTMP npm_config_unsafe_perm=true npm_config_yes=true \
      npm_config_foreground_scripts=true JOBS=max \
      npm install --no-audit --no-fund --save-exact "code-server@$CS_VERSION" ) >"$LOGS/npm-code-server.log" 2>&1 \
    || { tail -40 "$LOGS/npm-code-server.log" >&2; die "npm install code-server failed, see $LOGS/npm-code-server.log"; }
  installed_ok || die "code-server installed but incomplete, see $LOGS/npm-code-server.log"
  say "code-server installed"
fi
echo "$APP/node_modules/.bin/code-server"
