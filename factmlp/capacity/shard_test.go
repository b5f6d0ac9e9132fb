package capacity

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseShard(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	none := env()
	for _, tc := range []struct {
		spec   string
		getenv func(string) string
		want   Shard
	}{
		{"", none, Shard{}},
		{"0/1", none, Shard{0, 1}},
		{"2/4", none, Shard{2, 4}},
		{"env/4", env(EnvK8sIndex, "3"), Shard{3, 4}},
		{"env/4", env(EnvSlurmTask, "7", "SLURM_ARRAY_TASK_MIN", "5"), Shard{2, 4}},
		{"env", env(EnvSlurmTask, "1", "SLURM_ARRAY_TASK_COUNT", "2"), Shard{1, 2}},
	} {
		got, err := ParseShard(tc.spec, tc.getenv)
		if err != nil || got != tc.want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", tc.spec, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		spec   string
		getenv func(string) string
		want   string
	}{
		{"4/4", none, "index 4 is outside 0..3"},
		{"-1/2", none, "index -1 is outside 0..1"},
		{"a/2", none, `shard index "a" is not an integer`},
		{"1/0", none, `shard count "0" is not a positive integer`},
		{"3", none, "want i/n"},
		{"env/4", none, "neither SLURM_ARRAY_TASK_ID"},
		{"env", env(EnvK8sIndex, "0"), "give it as env/n"},
		{"env/2", env(EnvSlurmTask, "x"), `SLURM_ARRAY_TASK_ID="x" is not an integer`},
		{"env/2", env(EnvK8sIndex, "2"), "index 2 is outside 0..1"},
	} {
		_, err := ParseShard(tc.spec, tc.getenv)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseShard(%q): got %v, want an error containing %q", tc.spec, err, tc.want)
		}
	}
}

// The shards of n partition the grid: every point in exactly one shard.
func TestShardSelectPartitions(t *testing.T) {
	c := Config{Methods: []string{"gd", "encdec"}, Dims: []int{8, 16}, Facts: []int{16, 32, 64}, Seeds: []uint64{1, 2}}
	pts, err := c.Points()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 5, len(pts), len(pts) + 3} {
		var back []Point
		for i := 0; i < n; i++ {
			for k, p := range (Shard{i, n}).Select(pts) {
				if want := pts[i+k*n]; !reflect.DeepEqual(p, want) {
					t.Fatalf("n=%d shard %d point %d: %+v, want %+v", n, i, k, p, want)
				}
				back = append(back, p)
			}
		}
		if len(back) != len(pts) {
			t.Fatalf("n=%d: the shards hold %d points, the grid %d", n, len(back), len(pts))
		}
	}
}

// tinySweep is a grid of 5 quick points (encdec and ntk) with a
// deliberately uneven split over 3 shards.
var tinySweep = Config{Methods: []string{"encdec", "ntk"}, Dims: []int{8}, Facts: []int{12, 24, 40},
	Families: []Family{{Family: "spherical"}}, Seeds: []uint64{1}, MaxFactsPerDim: map[string]float64{"ntk": 4}}

func runShards(t *testing.T, c Config, out string, n int, cache string) {
	t.Helper()
	for i := 0; i < n; i++ {
		s := Shard{i, n}
		if _, err := Sweep(c, SweepOptions{Out: s.Dir(out), Shard: s, Cache: &Cache{Dir: cache}}); err != nil {
			t.Fatalf("shard %v: %v", s, err)
		}
	}
}

// readOutputs returns the files one sweep writes (not the cache or shards).
func readOutputs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, pattern := range []string{"points.csv", "points.json", "points/*.json"} {
		matches, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, m := range matches {
			data, err := os.ReadFile(m)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dir, m)
			files[rel] = data
		}
	}
	return files
}

// A sharded sweep, merged, writes the same files as the unsharded sweep:
// byte for byte when the measurements come from the same cache (what the
// shards and the merge add is the split and the ordering), and the same
// records up to wall-clock seconds when every shard measures afresh.
func TestShardedSweepMergesToUnsharded(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a small sweep four times")
	}
	c := tinySweep
	if pts, _ := c.Points(); len(pts) != 5 {
		t.Fatalf("tinySweep has %d points, want 5", len(pts))
	}
	whole := t.TempDir()
	wholeRecs, err := Sweep(c, SweepOptions{Out: whole})
	if err != nil {
		t.Fatal(err)
	}
	want := readOutputs(t, whole)
	if len(want) != 2+5 {
		t.Fatalf("the unsharded sweep wrote %d files, want points.csv, points.json and 5 point files", len(want))
	}

	// Same cache: byte-identical files.
	sharded := t.TempDir()
	runShards(t, c, sharded, 3, filepath.Join(whole, "cache"))
	if _, err := Merge(c, sharded); err != nil {
		t.Fatal(err)
	}
	got := readOutputs(t, sharded)
	if len(got) != len(want) {
		t.Fatalf("merge wrote %d files, the unsharded sweep %d", len(got), len(want))
	}
	for name, w := range want {
		if !bytes.Equal(got[name], w) {
			t.Errorf("%s differs after merge:\n%s\nunsharded:\n%s", name, got[name], w)
		}
	}

	// Fresh measurements in every shard: the same records but for seconds.
	fresh := t.TempDir()
	runShards(t, c, fresh, 2, filepath.Join(fresh, "cache"))
	freshRecs, err := Merge(c, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(withoutSeconds(freshRecs), withoutSeconds(wholeRecs)) {
		t.Errorf("fresh sharded records differ from the unsharded ones beyond seconds:\n%+v\n%+v", freshRecs, wholeRecs)
	}
}

func withoutSeconds(recs []Record) []Record {
	out := make([]Record, len(recs))
	for i, r := range recs {
		r.Seconds = 0
		r.Trials = append([]Trial(nil), r.Trials...)
		for k := range r.Trials {
			r.Trials[k].Seconds = 0
		}
		out[i] = r
	}
	return out
}

func TestMergeErrors(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a small sweep")
	}
	c := tinySweep
	out := t.TempDir()
	if _, err := Merge(c, out); err == nil || !strings.Contains(err.Error(), "no shard outputs") {
		t.Errorf("merge of nothing: %v", err)
	}
	cache := filepath.Join(out, "cache")
	s := Shard{0, 2}
	if _, err := Sweep(c, SweepOptions{Out: s.Dir(out), Shard: s, Cache: &Cache{Dir: cache}}); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(c, out); err == nil || !strings.Contains(err.Error(), "shards 1/2 of 2 have no points.json") {
		t.Errorf("merge with a missing shard: %v", err)
	}
	other := c
	other.Facts = []int{12, 20, 40}
	if _, err := Merge(other, out); err == nil || !strings.Contains(err.Error(), "another config") {
		t.Errorf("merge under another config: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(out, "shards", "0-of-3"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(c, out); err == nil || !strings.Contains(err.Error(), "different counts [2 3]") {
		t.Errorf("merge with mixed counts: %v", err)
	}
}
