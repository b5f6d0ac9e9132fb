#!/usr/bin/env bash
# go test -race on the packages where it runs in reasonable time on 2 cores.
#
# GoMLX's pure-Go matmul (github.com/gomlx/compute) breaks unsafe's pointer
# rules, which -race checks with checkptr: every package that runs it dies
# with "checkptr: pointer arithmetic result points to invalid allocation"
# before any race check. Checkptr is switched off for that module only
# (environment.md, "Race detector"); our code keeps it.
#
# Chosen: every package that does not run GoMLX (seconds each under -race)
# and, for the GoMLX side, training (-short): the trainer's goroutines and
# the backend's worker pool under the race detector: 1 min 56 s wall on 2
# shared cores (load ≈ 12, warm build cache). cmd/factmlp took 464 s under
# -race there and editing did not finish in 3 min, too long for
# `make test`; run them by hand with
# RACE_PKGS="./factmlp/cmd/factmlp ./factmlp/editing ./factmlp/transformer".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
default_pkgs="./factmlp/atomicfile ./factmlp/diskcache ./factmlp/tensorio ./factmlp/factset ./factmlp/facts
./factmlp/fit ./factmlp/geometry ./factmlp/hebbian ./factmlp/linalg ./factmlp/mlp ./factmlp/progress
./factmlp/resources ./factmlp/rhosweep ./factmlp/rng ./factmlp/widthsearch ./factmlp/construction
./kernelext/cmd/nbrun ./kernelext/contract ./factmlp/training"
pkgs=${RACE_PKGS:-$default_pkgs}
# shellcheck disable=SC2086 # word splitting of the package list is intended
go test -race -short -gcflags='github.com/gomlx/compute/...=-d=checkptr=0' $pkgs
# The sweep's seeds side by side (goroutines sharing a training.Together).
go test -race -short -gcflags='github.com/gomlx/compute/...=-d=checkptr=0' -run 'SideBySide' ./factmlp/capacity/
go -C third_party/compute test -race ./internal/gobackend/fusedops/
