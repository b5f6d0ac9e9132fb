#!/usr/bin/env bash
# Installs the GoNB Jupyter kernel spec for this repository into
# $JUPYTER_DATA_DIR/kernels/gonb (the Makefile points JUPYTER_DATA_DIR at
# <repo>/.jupyter/data so nothing depends on ~), then sets the spec's env:
#   GOEXPERIMENT=simd  - SIMD kernels of GoMLX's pure-Go backend (~7x faster matmuls)
#   PATH               - <repo>/bin (gonb, goimports, gopls) + the Go toolchain + the PATH at install time
#   GOTOOLCHAIN=local  - never download a toolchain
# Extra variables: KERNEL_EXTRA_ENV="GOMLX_BACKEND=xla:cpu FOO=bar".
# GoNB's own log (klog) goes to <repo>/.jupyter/gonb.log, not to the console: at
# start-up GoNB v0.11.5 logs a test "Error message" and at shutdown a goroutine
# trace at info level, which students read as failures. Only fatal errors reach
# stderr; GONB_LOG=console keeps the old behaviour (everything on stderr).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${JUPYTER_DATA_DIR:?set JUPYTER_DATA_DIR (the Makefile does)}"
BIN="$REPO/bin"
PY="${PYTHON:-$REPO/.venv/bin/python}"
GOROOT_BIN="$(go env GOROOT)/bin"
mkdir -p "$JUPYTER_DATA_DIR"
# gonb --install writes kernel.json + logo and checks goimports/gopls are on PATH.
PATH="$BIN:$GOROOT_BIN:$PATH" "$BIN/gonb" --install --logtostderr >/dev/null 2>"$JUPYTER_DATA_DIR/gonb-install.log" || {
  cat "$JUPYTER_DATA_DIR/gonb-install.log" >&2; exit 1; }
SPEC="$JUPYTER_DATA_DIR/kernels/gonb/kernel.json"
test -f "$SPEC" || { echo "install-kernel: gonb --install did not write $SPEC" >&2; exit 1; }
KPATH="$BIN:$GOROOT_BIN:$PATH" SPEC="$SPEC" BIN="$BIN" EXTRA="${KERNEL_EXTRA_ENV:-}" "$PY" - <<'PYEOF'
import json, os
spec_path = os.environ["SPEC"]
with open(spec_path) as f:
    spec = json.load(f)
# Run the gonb binary inside the repo (stable path), not a copy.
spec["argv"][0] = os.path.join(os.environ["BIN"], "gonb")
if os.environ.get("GONB_LOG", "") != "console":
    log = os.path.join(os.path.dirname(os.environ["BIN"]), ".jupyter", "gonb.log")
    quiet = {"-logtostderr": "false", "-alsologtostderr": "false", "-log_file": log, "-stderrthreshold": "3"}
    argv = []
    for a in spec["argv"]:
        k, eq, _ = a.partition("=")
        argv.append(k + "=" + quiet[k] if eq and k in quiet else a)
    spec["argv"] = argv
env = spec.get("env") or {}
seen, parts = set(), []
for p in os.environ["KPATH"].split(":"):
    if p and p not in seen and ".venv" not in p:
        seen.add(p); parts.append(p)
env.update({"GOEXPERIMENT": "simd", "PATH": ":".join(parts), "GOTOOLCHAIN": "local"})
for kv in os.environ.get("EXTRA", "").split():
    k, _, v = kv.partition("=")
    env[k] = v
spec["env"] = env
spec["display_name"] = "Go (gonb, factmlp)"
tmp = spec_path + ".tmp"
with open(tmp, "w") as f:
    json.dump(spec, f, indent=2)
os.replace(tmp, spec_path)
print("kernel spec:", spec_path, "env:", json.dumps(env))
PYEOF
