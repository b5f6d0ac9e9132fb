package capacity

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Shard is one of Count disjoint parts of a sweep: the grid points whose
// index in Config.Points is Index modulo Count. Dealing points round-robin
// spreads the expensive large-F points over all shards. The zero Shard (and
// any with Count ≤ 1) is the whole sweep.
type Shard struct {
	Index, Count int
}

// Whole reports whether s is the whole sweep (no sharding).
func (s Shard) Whole() bool { return s.Count <= 1 }

func (s Shard) String() string {
	if s.Whole() {
		return "0/1"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Select returns the points of the grid that belong to s, in grid order.
func (s Shard) Select(pts []Point) []Point {
	if s.Whole() {
		return pts
	}
	var out []Point
	for i := s.Index; i < len(pts); i += s.Count {
		out = append(out, pts[i])
	}
	return out
}

// Dir is where shard s of a sweep with output directory out writes its
// points: out itself for the whole sweep, else out/shards/I-of-N.
func (s Shard) Dir(out string) string {
	if s.Whole() {
		return out
	}
	return filepath.Join(out, "shards", fmt.Sprintf("%d-of-%d", s.Index, s.Count))
}

// Environment variables that carry the shard index of an array job.
const (
	EnvSlurmTask    = "SLURM_ARRAY_TASK_ID"    // Slurm job arrays (with SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT)
	EnvK8sIndex     = "JOB_COMPLETION_INDEX"   // Kubernetes Indexed Jobs
	envSlurmMin     = "SLURM_ARRAY_TASK_MIN"   // the array's first task id (index 0)
	envSlurmCount   = "SLURM_ARRAY_TASK_COUNT" // the number of tasks in the array
	shardSpecSyntax = "i/n with 0 ≤ i < n, env/n, or env (index from " + EnvSlurmTask + " or " + EnvK8sIndex + ", n from " + envSlurmCount + ")"
)

// ParseShard reads a --shard value: "i/n" (shard i of n), "env/n" (the
// index from the array job's environment: SLURM_ARRAY_TASK_ID minus
// SLURM_ARRAY_TASK_MIN, or Kubernetes' JOB_COMPLETION_INDEX) or "env" (also
// n from SLURM_ARRAY_TASK_COUNT). "" is the whole sweep. getenv is
// os.Getenv outside tests.
func ParseShard(spec string, getenv func(string) string) (Shard, error) {
	if spec == "" {
		return Shard{}, nil
	}
	idx, count, hasCount := strings.Cut(spec, "/")
	var s Shard
	if hasCount {
		n, err := strconv.Atoi(count)
		if err != nil || n < 1 {
			return Shard{}, fmt.Errorf("capacity: --shard %q: shard count %q is not a positive integer (want %s)", spec, count, shardSpecSyntax)
		}
		s.Count = n
	}
	switch {
	case idx == "env":
		i, n, err := shardFromEnv(getenv)
		if err != nil {
			return Shard{}, fmt.Errorf("capacity: --shard %q: %w", spec, err)
		}
		s.Index = i
		if !hasCount {
			if n == 0 {
				return Shard{}, fmt.Errorf("capacity: --shard env: the shard count is not in the environment (%s is unset); give it as env/n", envSlurmCount)
			}
			s.Count = n
		}
	case !hasCount:
		return Shard{}, fmt.Errorf("capacity: --shard %q: want %s", spec, shardSpecSyntax)
	default:
		i, err := strconv.Atoi(idx)
		if err != nil {
			return Shard{}, fmt.Errorf("capacity: --shard %q: shard index %q is not an integer (want %s)", spec, idx, shardSpecSyntax)
		}
		s.Index = i
	}
	if s.Index < 0 || s.Index >= s.Count {
		return Shard{}, fmt.Errorf("capacity: --shard %q: index %d is outside 0..%d", spec, s.Index, s.Count-1)
	}
	return s, nil
}

// shardFromEnv returns the array-task index and, for Slurm, the task count
// (0 when unknown).
func shardFromEnv(getenv func(string) string) (index, count int, err error) {
	atoi := func(name string) (int, error) {
		v, err := strconv.Atoi(getenv(name))
		if err != nil {
			return 0, fmt.Errorf("%s=%q is not an integer", name, getenv(name))
		}
		return v, nil
	}
	switch {
	case getenv(EnvSlurmTask) != "":
		id, err := atoi(EnvSlurmTask)
		if err != nil {
			return 0, 0, err
		}
		first := 0
		if getenv(envSlurmMin) != "" {
			if first, err = atoi(envSlurmMin); err != nil {
				return 0, 0, err
			}
		}
		if getenv(envSlurmCount) != "" {
			if count, err = atoi(envSlurmCount); err != nil {
				return 0, 0, err
			}
		}
		return id - first, count, nil
	case getenv(EnvK8sIndex) != "":
		index, err = atoi(EnvK8sIndex)
		return index, 0, err
	}
	return 0, 0, fmt.Errorf("neither %s (Slurm job array) nor %s (Kubernetes Indexed Job) is set", EnvSlurmTask, EnvK8sIndex)
}

var shardDirName = regexp.MustCompile(`^(\d+)-of-(\d+)$`)

// Merge collects the shards of the sweep c under out/shards/ (written by
// Sweep with SweepOptions.Shard, every shard of one count) into the
// whole-sweep order and writes out/points.csv, out/points.json and
// out/points/*.json exactly as one unsharded Sweep into out would have. It
// checks that every shard is complete and that each record is the point
// the config puts there.
func Merge(c Config, out string) ([]Record, error) {
	pts, err := c.Points()
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(filepath.Join(out, "shards"))
	if err != nil && !os.IsNotExist(err) {
		return nil, fmt.Errorf("capacity: merge: %w", err)
	}
	counts := map[int]bool{}
	for _, e := range entries {
		if m := shardDirName.FindStringSubmatch(e.Name()); e.IsDir() && m != nil {
			n, _ := strconv.Atoi(m[2])
			counts[n] = true
		}
	}
	if len(counts) == 0 {
		return nil, fmt.Errorf("capacity: merge: no shard outputs in %s (run sweep --shard i/n for every i first)", filepath.Join(out, "shards"))
	}
	if len(counts) > 1 {
		var ns []int
		for n := range counts {
			ns = append(ns, n)
		}
		sort.Ints(ns)
		return nil, fmt.Errorf("capacity: merge: %s holds shards of different counts %v; keep one", filepath.Join(out, "shards"), ns)
	}
	var n int
	for n = range counts {
	}
	recs := make([]Record, len(pts))
	var missing []string
	for i := 0; i < n; i++ {
		s := Shard{Index: i, Count: n}
		want := s.Select(pts)
		if len(want) == 0 {
			continue
		}
		got, err := readRecords(filepath.Join(s.Dir(out), "points.json"))
		if os.IsNotExist(err) {
			missing = append(missing, s.String())
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("capacity: merge: shard %v: %w", s, err)
		}
		if len(got) != len(want) {
			return nil, fmt.Errorf("capacity: merge: shard %v has %d of its %d points (still running, or failed?)", s, len(got), len(want))
		}
		for k, r := range got {
			p := want[k]
			if r.Method != p.Method || r.Family != p.Facts.Family || r.Values != p.Facts.N || r.Dim != p.Facts.Dim || r.Seed != p.Seed {
				return nil, fmt.Errorf("capacity: merge: shard %v point %d is %s %s F=%d d=%d seed %d, the config has %s %s F=%d d=%d seed %d there (was the shard run with another config?)",
					s, k, r.Method, r.Family, r.Values, r.Dim, r.Seed, p.Method, p.Facts.Family, p.Facts.N, p.Facts.Dim, p.Seed)
			}
			recs[i+k*n] = r
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("capacity: merge: shards %s of %d have no points.json in %s", strings.Join(missing, ", "), n, filepath.Join(out, "shards"))
	}
	for _, r := range recs {
		if err := writePoint(out, r); err != nil {
			return nil, err
		}
	}
	if err := WriteRecords(out, recs); err != nil {
		return nil, err
	}
	return recs, nil
}

func readRecords(path string) ([]Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var recs []Record
	if err := json.Unmarshal(data, &recs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}
