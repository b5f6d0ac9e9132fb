#!/usr/bin/env bash
# Runs every Go fuzz target of the repository (func FuzzX in a *_test.go)
# for FUZZTIME each (default 10000x: ten thousand inputs), one at a time on
# one worker, after its committed seed corpus (testdata/fuzz/FuzzX/). A crash
# fails the run and go test writes the input that caused it under
# testdata/fuzz/FuzzX/. The default is a count, not a duration: with a
# duration, Go 1.26's fuzz coordinator can report "context deadline exceeded"
# at the deadline on a loaded machine without any failing input
# (golang/go#75804, fixed in Go 1.27); a count has no deadline to race.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fuzztime=${FUZZTIME:-10000x}
n=0
while IFS=: read -r file target; do
	pkg=./$(dirname "$file")
	echo "fuzz: $target ($pkg) for $fuzztime"
	go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" -parallel 1 "$pkg" || { echo "fuzz: $target failed" >&2; exit 1; }
	n=$((n + 1))
done < <(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' factmlp kernelext plots 2>/dev/null | sed 's/func //' | sort)
echo "fuzz: $n targets passed"
