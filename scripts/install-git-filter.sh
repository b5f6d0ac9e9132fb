#!/usr/bin/env bash
# Strips notebook outputs on commit: registers nbstripout (pinned in scripts/requirements.txt,
# installed in .venv) as this clone's git filter for the *.ipynb files named in .gitattributes.
# --keep-id keeps the committed cell ids (nbstripout would renumber them 0, 1, ...), so a committed
# notebook stays exactly what scripts/canonical-notebooks.py writes and JupyterLab saves.
# Outside a git work tree (a tarball) or without git it does nothing; in a clone without this
# config (before `make setup`) git ignores the undefined filter.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
if ! command -v git >/dev/null || ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "install-git-filter: not a git work tree; nbstripout filter not installed" >&2
  exit 0
fi
PY="$REPO/.venv/bin/python"
"$REPO/.venv/bin/nbstripout" --install --attributes .gitattributes
git config filter.nbstripout.clean "\"$PY\" -m nbstripout --keep-id"
git config diff.ipynb.textconv "\"$PY\" -m nbstripout --keep-id -t"
echo "install-git-filter: nbstripout $("$REPO/.venv/bin/nbstripout" --version) strips notebook outputs on commit"
