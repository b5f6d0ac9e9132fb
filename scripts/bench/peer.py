#!/usr/bin/env python3
"""PyTorch peer of `make bench`: the same GD steps and float64 Cholesky that
scripts/bench/gobench times in Go, then a table of Go/PyTorch ratios.

    peer.py GO_RESULTS.jsonl          # prints the table (stdout)

PyTorch is a measuring stick, not a project dependency: run this with a
python that has torch (e.g. a scratch venv: python3 -m venv /tmp/peer-venv &&
/tmp/peer-venv/bin/pip install torch) and point PEER_PYTHON at it.

The step mirrors training.Train's: a gated MLP y = W_down((W_gate x) ⊙ (W_up x))
(identity gate, no biases), float32, logits y·V^T against all F values,
cross-entropy, Adam (lr 1e-2, betas 0.9/0.999, eps 1e-8), batches of at most
4096 keys, 2 threads. Eager mode; the time per step is the mean over the timed
steps after a warm-up, like Go's differenced mean.
"""
import json
import math
import os
import platform
import sys
import time

import torch

THREADS = int(os.environ.get("PEER_THREADS", "2"))
MAX_BATCH = 4096

# (F, d, h, timed steps, models): the shapes of scripts/bench/gobench. With
# models > 1, that many MLPs train side by side (batched matmuls, one Adam over
# the stacked weights, which is elementwise) and the time is per model, as
# Go's training.TrainMany row.
SHAPES = [(2048, 64, 512, 20, 1), (512, 32, 20, 400, 1), (16384, 128, 2048, 8, 1), (512, 32, 20, 200, 4)]


def gd_step(F, d, h, steps, models=1):
    g = torch.Generator().manual_seed(7)
    K = models
    lead = () if K == 1 else (K,)  # one model: plain matrices, as before the batched row existed
    V = torch.nn.functional.normalize(torch.randn(*lead, F, d, generator=g), dim=-1)
    X = V.clone()  # tied: the keys are the values
    target = torch.randperm(F, generator=g) if K == 1 else torch.stack([torch.randperm(F, generator=g) for _ in range(K)])
    wg = (torch.randn(*lead, h, d, generator=g) / math.sqrt(d)).requires_grad_()
    wu = (torch.randn(*lead, h, d, generator=g) / math.sqrt(d)).requires_grad_()
    wd = (torch.randn(*lead, d, h, generator=g) / math.sqrt(h)).requires_grad_()
    opt = torch.optim.Adam([wg, wu, wd], lr=1e-2, betas=(0.9, 0.999), eps=1e-8)
    batch = min(F, MAX_BATCH)
    order = torch.randperm(F, generator=g)
    pos = [0]

    def step():
        if batch == F:
            xb, tb = X, target
        else:
            if pos[0] + batch > F:
                pos[0] = 0
            idx = order[pos[0]:pos[0] + batch]
            pos[0] += batch
            xb, tb = (X[idx], target[idx]) if K == 1 else (X[:, idx], target[:, idx])
        if K == 1:
            y = ((xb @ wg.T) * (xb @ wu.T)) @ wd.T
            loss = torch.nn.functional.cross_entropy(y @ V.T, tb)
        else:  # each model's mean loss, summed: each model gets its own gradient
            y = torch.bmm(torch.bmm(xb, wg.transpose(1, 2)) * torch.bmm(xb, wu.transpose(1, 2)), wd.transpose(1, 2))
            logits = torch.bmm(y, V.transpose(1, 2))
            loss = torch.nn.functional.cross_entropy(logits.reshape(-1, F), tb.reshape(-1), reduction="sum") / batch
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    c0, t0 = time.process_time(), time.perf_counter()
    for _ in range(steps):
        step()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return wall / steps / K * 1e3, cpu / steps / K * 1e3


def cholesky(n, reps=3):
    g = torch.Generator().manual_seed(3)
    G = torch.randn(n, n, generator=g, dtype=torch.float64)
    A = G @ G.T + n * torch.eye(n, dtype=torch.float64)
    best, best_cpu = None, None
    for _ in range(reps):
        c0, t0 = time.process_time(), time.perf_counter()
        torch.linalg.cholesky(A, upper=True)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if best is None or wall < best:
            best, best_cpu = wall, cpu
    return best * 1e3, best_cpu * 1e3


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: peer.py GO_RESULTS.jsonl")
    torch.set_num_threads(THREADS)
    go = {}
    with open(sys.argv[1]) as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                go[r["name"]] = r
    peer = {}
    for F, d, h, steps, models in SHAPES:
        name = f"gd_step F={F} d={d} h={h}" + (f" models={models}" if models > 1 else "")
        if name in go:
            peer[name] = gd_step(F, d, h, steps, models)
    for name, r in go.items():
        if name.startswith("cholesky float64 n="):
            peer[name] = cholesky(int(name.split("n=")[1]))
    print(f"PyTorch {torch.__version__} ({THREADS} threads, eager) vs Go, "
          f"{platform.processor() or platform.machine()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print(f"{'benchmark':<43} {'Go ms':>10} {'PyTorch ms':>11} {'Go/PyTorch':>11} {'Go cpu-ms':>10} {'PT cpu-ms':>10} {'cpu ratio':>10}")
    for name, r in go.items():
        if name not in peer:
            continue
        ms, cpu = peer[name]
        print(f"{name:<43} {r['ms']:>10.2f} {ms:>11.2f} {r['ms'] / ms:>10.2f}x {r['cpu_ms']:>10.2f} {cpu:>10.2f} {r['cpu_ms'] / cpu:>9.2f}x")


if __name__ == "__main__":
    main()
