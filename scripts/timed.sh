#!/usr/bin/env bash
# timed.sh LABEL CMD...: runs CMD, then prints "== LABEL: ok|FAILED in Ns".
label="$1"; shift
start=$(date +%s)
echo "== $label"
if "$@"; then st=ok; rc=0; else rc=$?; st=FAILED; fi
echo "== $label: $st in $(( $(date +%s) - start ))s"
exit $rc
