#!/usr/bin/env bash
# Installs what the browser test needs when missing: Debian's chromium
# (apt-get, as root) and playwright-core from npm (scripts/browser/node_modules).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "browser-setup: installing chromium (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "browser-setup: $CHROMIUM missing; install Debian's chromium (sudo apt-get install -y chromium) or set CHROMIUM=/path" >&2
    exit 1
  fi
fi
command -v node >/dev/null || { echo "browser-setup: node (>= 18) and npm are needed (Debian: apt-get install -y nodejs npm)" >&2; exit 1; }
if [ ! -f "$DIR/node_modules/playwright-core/package.json" ] || [ "$DIR/package-lock.json" -nt "$DIR/node_modules/.package-lock.json" ]; then
  echo "browser-setup: npm ci (playwright-core)"
  (cd "$DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi
