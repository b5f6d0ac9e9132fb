#!/usr/bin/env bash
# Creates <repo>/.venv with JupyterLab, nbclient, nbconvert and ipykernel
# (versions pinned in scripts/requirements.txt + constraints.txt).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"
PY="${PYTHON:-python3}"
command -v "$PY" >/dev/null || { echo "setup-python: $PY not found; install Python >= 3.9 (Debian: apt-get install -y python3 python3-venv)" >&2; exit 1; }
if [ ! -x "$VENV/bin/python" ]; then
  if ! "$PY" -m venv "$VENV" 2>/tmp/factmlp-venv.err; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "setup-python: python venv module missing; installing python3-venv" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      rm -rf "$VENV"; "$PY" -m venv "$VENV"
    else
      cat /tmp/factmlp-venv.err >&2
      echo "setup-python: cannot create $VENV; install python3-venv" >&2; exit 1
    fi
  fi
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
  -r "$REPO/scripts/requirements.txt" -c "$REPO/scripts/constraints.txt"
"$VENV/bin/jupyter" --version | sed -n '/jupyterlab\|nbclient\|nbconvert\|ipykernel/p' | tr -s ' ' | paste -sd' ' | sed 's/^/setup-python: /'
