package diskcache

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

type point struct {
	Facts int     `json:"facts"`
	Gamma float64 `json:"gamma"`
}

func TestStoreLoadMissAndCorrupt(t *testing.T) {
	c := &Cache{Dir: filepath.Join(t.TempDir(), "cache")} // made on first Store
	key := map[string]int{"facts": 64, "seed": 1}
	var got point
	if ok, err := c.Load("trial", key, &got); ok || err != nil {
		t.Fatalf("empty cache: ok=%v err=%v", ok, err)
	}
	want := point{Facts: 64, Gamma: 0.25}
	if err := c.Store("trial", key, want); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.Load("trial", key, &got); !ok || err != nil || got != want {
		t.Fatalf("hit: ok=%v err=%v got=%+v", ok, err, got)
	}
	// Same key under another kind, and another key: misses.
	if ok, _ := c.Load("point", key, &got); ok {
		t.Error("another kind hit")
	}
	if ok, _ := c.Load("trial", map[string]int{"facts": 65, "seed": 1}, &got); ok {
		t.Error("another key hit")
	}
	// One file, no temporaries.
	ents, _ := os.ReadDir(c.Dir)
	if len(ents) != 1 || !regexp.MustCompile(`^trial-[0-9a-f]{16}\.json$`).MatchString(ents[0].Name()) {
		t.Errorf("cache folder holds %v", ents)
	}
	p, err := c.Path("trial", key)
	if err != nil || p != filepath.Join(c.Dir, ents[0].Name()) {
		t.Errorf("Path = %q, %v", p, err)
	}
	// Corrupt file: a miss, then repaired by Store.
	if err := os.WriteFile(p, []byte(`{"name":"trial","params":{"fa`), 0o644); err != nil {
		t.Fatal(err)
	}
	if ok, err := c.Load("trial", key, &got); ok || err != nil {
		t.Fatalf("corrupt file: ok=%v err=%v", ok, err)
	}
	// A file for another key at this path (as after a hash collision): a miss.
	if err := os.WriteFile(p, []byte(`{"name":"trial","params":{"facts":1},"value":{"facts":1}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Load("trial", key, &got); ok {
		t.Error("foreign entry hit")
	}
	// A value of the wrong type: a miss.
	if err := c.Store("trial", key, "text"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Load("trial", key, &got); ok {
		t.Error("undecodable value hit")
	}
	// Remove, twice.
	if err := c.Remove("trial", key); err != nil {
		t.Fatal(err)
	}
	if err := c.Remove("trial", key); err != nil {
		t.Fatalf("removing a missing entry: %v", err)
	}
	if ok, _ := c.Load("trial", key, &got); ok {
		t.Error("removed entry hit")
	}
}

func TestKeyOrderAndSpacingDoNotMatter(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	type k struct{ A, B int }
	if err := c.Store("k", k{1, 2}, 3); err != nil {
		t.Fatal(err)
	}
	var v int
	// A map with the same JSON encoding finds the same entry.
	if ok, _ := c.Load("k", map[string]int{"B": 2, "A": 1}, &v); !ok || v != 3 {
		t.Errorf("equal JSON key missed: ok=%v v=%d", ok, v)
	}
}

func TestDisabledAndErrors(t *testing.T) {
	var v int
	for _, c := range []*Cache{nil, {}} {
		if err := c.Store("k", 1, 2); err != nil {
			t.Errorf("disabled Store: %v", err)
		}
		if ok, err := c.Load("k", 1, &v); ok || err != nil {
			t.Errorf("disabled Load: ok=%v err=%v", ok, err)
		}
		if err := c.Remove("k", 1); err != nil {
			t.Errorf("disabled Remove: %v", err)
		}
	}
	c := &Cache{Dir: t.TempDir()}
	if _, err := c.Load("bad", func() {}, &v); err == nil || !strings.Contains(err.Error(), "JSON") {
		t.Errorf("unencodable key: %v", err)
	}
	if err := c.Store("bad", 1, math.NaN()); err == nil || !strings.Contains(err.Error(), "JSON") {
		t.Errorf("unencodable value: %v", err)
	}
	if ents, _ := os.ReadDir(c.Dir); len(ents) != 0 {
		t.Errorf("failed stores left %d files", len(ents))
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"01-alpha-kappa10":      "01-alpha-kappa10",
		"Capacity Sweep!":       "capacity-sweep",
		"":                      "entry",
		"ρ":                     "entry",
		strings.Repeat("a", 70): strings.Repeat("a", 60),
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
