#!/usr/bin/env bash
# make slurm-test: runs sweep-array.sbatch for real on a throw-away single-node
# Slurm (slurmctld + slurmd, auth/none, everything under a temporary directory),
# a 2-task array of the tiny sweep, then checks that the merged output equals an
# unsharded run's: byte for byte from the same cache, and record for record (all
# but wall-clock seconds) against a fresh unsharded run.
# Needs root and Debian's slurm-wlm (apt-get install slurm-wlm).
set -euo pipefail
cd "$(dirname "$0")/../.."
for cmd in slurmctld slurmd sbatch sinfo; do
	command -v "$cmd" >/dev/null || { echo "slurm-test: $cmd not found; install Debian's slurm-wlm" >&2; exit 1; }
done
[[ $(id -u) == 0 ]] || { echo "slurm-test: needs root (slurmd runs jobs as their user)" >&2; exit 1; }

T=$(mktemp -d /tmp/factmlp-slurm.XXXXXX)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT

export GOEXPERIMENT=simd GOTOOLCHAIN=local
go build -o "$T/factmlp" ./factmlp/cmd/factmlp

host=$(hostname -s)
mkdir -p "$T/state" "$T/spool"
cat >"$T/slurm.conf" <<CONF
ClusterName=factmlp-test
SlurmctldHost=$host
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/none
CredType=cred/none
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/builtin
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
export SLURM_CONF=$T/slurm.conf
slurmctld -D -i -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$T/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 60); do
	state=$(sinfo -h -o %T 2>/dev/null || true)
	[[ "$state" == idle* ]] && break
	sleep 1
done
[[ "$state" == idle* ]] || { echo "slurm-test: the node did not come up (state '$state')"; tail -20 "$T"/slurm*.log; exit 1; }
echo "slurm-test: single-node Slurm $(sinfo -V | cut -d' ' -f2) up on $host"

cfg=scripts/cluster/tiny.json
out=$T/sharded
job=$(sbatch --parsable --wait --array=0-1 --cpus-per-task=1 --output="$T/slurm-%A_%a.out" \
	--export=ALL,CONFIG="$cfg",OUT="$out",FACTMLP="$T/factmlp" scripts/cluster/sweep-array.sbatch) || {
	echo "slurm-test: the array job failed"; cat "$T"/slurm-*.out; exit 1; }
echo "slurm-test: array job $job finished: $(ls "$out/shards" | tr '\n' ' ')"
"$T/factmlp" sweep --config "$cfg" --out "$out" --merge >/dev/null

# Byte-identical: an unsharded run that reads the shards' measurements from their cache.
mkdir -p "$T/whole"
cp -r "$out/cache" "$T/whole/cache"
"$T/factmlp" sweep --config "$cfg" --out "$T/whole" -q >/dev/null
n=0
for f in points.csv points.json fits.txt $(cd "$T/whole" && ls points/*.json); do
	cmp "$T/whole/$f" "$out/$f" || { echo "slurm-test: $f differs between merged and unsharded output"; exit 1; }
	n=$((n + 1))
done
echo "slurm-test: merged output equals the unsharded run's, byte for byte ($n files)"

# Fresh: an unsharded run that measures everything again; equal but for seconds.
"$T/factmlp" sweep --config "$cfg" --out "$T/fresh" -q >/dev/null
python3 - "$out/points.json" "$T/fresh/points.json" <<'PY'
import json, sys
def strip(path):
    recs = json.load(open(path))
    for r in recs:
        r.pop("seconds", None)
        for t in r.get("trials") or []:
            t.pop("seconds", None)
    return recs
a, b = strip(sys.argv[1]), strip(sys.argv[2])
if a != b:
    sys.exit("slurm-test: fresh unsharded records differ from the merged ones beyond seconds")
print(f"slurm-test: a fresh unsharded run gives the same {len(a)} records (all but wall-clock seconds)")
PY
echo "slurm-test: ok"
