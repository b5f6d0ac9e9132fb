#!/usr/bin/env bash
# make bench: the Go benchmarks (go test -bench for linalg and the training
# step, then gobench's GD steps and Cholesky) and, when PEER_PYTHON points at
# a python with torch, the same steps in PyTorch with Go/PyTorch ratios, all
# from this one run. Results also land in out/bench/.
set -euo pipefail
cd "$(dirname "$0")/../.."
export GOEXPERIMENT=simd GOTOOLCHAIN=local
out=out/bench
mkdir -p "$out"
echo "bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load:$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== go test -bench (linalg Cholesky, training step)"
go test -run '^$' -bench 'Cholesky' -benchtime 3x -short ./factmlp/linalg | grep -E '^Benchmark' | tee "$out/go-test-bench.txt"
go test -run '^$' -bench '^BenchmarkStep(Small)?$' -benchtime 20x ./factmlp/training | grep -E '^Benchmark' | tee -a "$out/go-test-bench.txt"
echo "== gobench (GD steps at the peer's shapes, float64 Cholesky)"
go build -o "$out/gobench" ./scripts/bench/gobench
"$out/gobench" ${GOBENCH_ARGS:-} | tee "$out/go.jsonl"
if [[ -z "${PEER_PYTHON:-}" ]]; then
	echo "== peer: skipped (set PEER_PYTHON to a python with torch, e.g. a scratch venv outside the repository)"
	exit 0
fi
if ! "$PEER_PYTHON" -c 'import torch' 2>/dev/null; then
	echo "== peer: skipped ($PEER_PYTHON cannot import torch)"
	exit 0
fi
echo "== PyTorch peer ($PEER_PYTHON)"
"$PEER_PYTHON" -W ignore scripts/bench/peer.py "$out/go.jsonl" | tee "$out/ratios.txt"
