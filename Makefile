# factmlp: one-command set-up, the notebooks (main job) and the tests.
#
#   make notebooks   set up what is missing, run every notebook at `fast` scale -> out/fast/ (output text -> results/fast/)
#   make test        set up, go vet, go test (GOEXPERIMENT=simd) + fuzz smoke, go test -race, notebook test at `smoke`, browser test
#   make lab         set up, start JupyterLab on notebooks/ with the GoNB kernel
#   make bench       Go benchmarks; with PEER_PYTHON=<python with torch>, the same steps in PyTorch and Go/PyTorch ratios
#
# Everything is installed inside the repository: Go tools in bin/, Python in .venv/,
# Jupyter data/config (the GoNB kernel spec) in .jupyter/, browser-test deps in scripts/browser/node_modules.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
REPO := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BIN := $(REPO)/bin
VENV := $(REPO)/.venv
SCALE ?= fast
NB ?= notebooks/00_getting_started.ipynb
NBRUN_FLAGS ?=

export GOEXPERIMENT := simd
export GOTOOLCHAIN := local
# No file-system paths in compiled packages, so a clone at another path (CI's fresh one) reuses the build
# cache instead of compiling the module and the patched backend in third_party/ again in every stage.
# (go env GOFLAGS keeps what the environment or go's own config already sets.)
export GOFLAGS := $(strip $(shell go env GOFLAGS 2>/dev/null) -trimpath)
export JUPYTER_DATA_DIR := $(REPO)/.jupyter/data
export JUPYTER_CONFIG_DIR := $(REPO)/.jupyter/config
export JUPYTER_RUNTIME_DIR := $(REPO)/.jupyter/runtime
export JUPYTER_PLATFORM_DIRS := 1
export PATH := $(BIN):$(VENV)/bin:$(PATH)

KERNEL_SPEC := $(JUPYTER_DATA_DIR)/kernels/gonb/kernel.json
NBRUN_SRC := $(wildcard kernelext/cmd/nbrun/*.go)

.PHONY: all setup notebooks notebook test go-vet go-test notebook-test browser-test browser-setup lab clean check-go bench slurm-test fuzz-smoke race
.DEFAULT_GOAL := help

help:
	@sed -n '2,10p' Makefile | sed 's/^# \{0,1\}//'

# ---------------------------------------------------------------- set-up
check-go:
	@command -v go >/dev/null || { echo "make: Go is not installed (need go1.26 with GOEXPERIMENT=simd support)" >&2; exit 1; }

$(BIN)/gonb $(BIN)/goimports &: go.mod go.sum | check-go
	@echo "setup: go tools (gonb, goimports) -> bin/"
	GOBIN=$(BIN) go install tool
	@touch $(BIN)/gonb $(BIN)/goimports

$(BIN)/gopls: tools/gopls/go.mod tools/gopls/go.sum | check-go
	@echo "setup: gopls -> bin/"
	cd tools/gopls && GOBIN=$(BIN) go install tool

$(BIN)/nbrun: $(NBRUN_SRC) go.mod | check-go
	go build -o $@ ./kernelext/cmd/nbrun

$(VENV)/.installed: scripts/requirements.txt scripts/constraints.txt scripts/setup-python.sh
	@echo "setup: Python virtualenv .venv (JupyterLab, nbclient, nbconvert, ipykernel, nbstripout)"
	scripts/setup-python.sh
	@touch $@

$(KERNEL_SPEC): $(BIN)/gonb $(BIN)/goimports $(BIN)/gopls $(VENV)/.installed scripts/install-kernel.sh
	@echo "setup: GoNB kernel spec (GOEXPERIMENT=simd) -> .jupyter/data/kernels/gonb"
	scripts/install-kernel.sh

# nbstripout as this clone's git filter: notebook outputs never reach a commit.
$(VENV)/.git-filter: $(VENV)/.installed scripts/install-git-filter.sh .gitattributes
	scripts/install-git-filter.sh
	@touch $@

setup: $(KERNEL_SPEC) $(BIN)/nbrun $(VENV)/.git-filter

# ---------------------------------------------------------------- main job
notebooks: setup
	nbrun -scale fast -out out/fast -record results/fast $(NBRUN_FLAGS)

notebook: setup
	nbrun -scale $(SCALE) -out out/$(SCALE) -check $(NB)

lab: setup
	jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# ---------------------------------------------------------------- tests
test:
	@scripts/timed.sh "setup" $(MAKE) --no-print-directory setup browser-setup
	@scripts/timed.sh "go vet" $(MAKE) --no-print-directory go-vet
	@scripts/timed.sh "go test" $(MAKE) --no-print-directory go-test
	@scripts/timed.sh "go test -race" $(MAKE) --no-print-directory race
	@scripts/timed.sh "notebook test (smoke)" $(MAKE) --no-print-directory notebook-test
	@scripts/timed.sh "browser test" $(MAKE) --no-print-directory browser-test
	@echo "make test: all passed"

go-vet:
	go mod tidy -diff
	go vet ./...
	go -C third_party/compute vet ./internal/gobackend/fusedops/
	go -C third_party/compute vet -unsafeptr=false ./internal/gobackend/dot/matmul/ # upstream's kernels do pointer arithmetic

go-test:
	go test ./...
	go -C third_party/compute test ./internal/gobackend/fusedops/ ./internal/gobackend/dot/matmul/
	@$(MAKE) --no-print-directory fuzz-smoke

# Every fuzz target for FUZZTIME (default 10000x inputs) after its seed corpus (environment.md, "Fuzzing").
fuzz-smoke: | check-go
	scripts/fuzz-smoke.sh

# go test -race where it runs in reasonable time (environment.md, "Race detector").
race: | check-go
	scripts/race.sh

# Two notebooks at a time: the same CPU (smoke 00, 01, 03 back to back on the loaded 2-core VM: 94.5 vs 91.9 CPU-s,
# 204 vs 340 s wall), and a notebook alone asks for both cores only about half the time (kernel start, the
# single-threaded link and compute steps). NOTEBOOK_JOBS=1 runs one at a time (per-notebook seconds undisturbed).
NOTEBOOK_JOBS ?= 2
# scripts/notebook-seconds.json: each notebook's smoke seconds (a CI run, 2026-12-01), so the long ones
# start first on the NOTEBOOK_JOBS slots (in notebook order they ended last: 428 s where 391 suffice).
notebook-test: setup
	rm -rf out/smoke
	nbrun -scale smoke -out out/smoke -check -fresh-cache -jobs $(NOTEBOOK_JOBS) -longest-first scripts/notebook-seconds.json $(NBRUN_FLAGS)

browser-setup: setup
	scripts/browser/setup.sh

browser-test: browser-setup
	node scripts/browser/browser-test.mjs

# ---------------------------------------------------------------- benchmarks, cluster
bench: | check-go
	scripts/bench/run.sh

# A 2-task Slurm job array of a tiny sharded sweep on a single-node Slurm
# started in a temporary directory (needs Debian's slurm-wlm and root).
slurm-test: | check-go
	scripts/cluster/slurm-local-test.sh

clean:
	rm -rf out .jupyter bin
