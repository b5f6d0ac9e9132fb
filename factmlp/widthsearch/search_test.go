package widthsearch

import (
	"errors"
	"math"
	"testing"
)

func threshold(t0 int, calls *int) Predicate {
	return func(h int) (bool, int, error) {
		*calls++
		return h >= t0, 3 * h * 8, nil
	}
}

func TestSearchFindsThreshold(t *testing.T) {
	for _, t0 := range []int{1, 2, 3, 17, 100, 1000, 4097} {
		for _, start := range []int{0, 1, 5, 64, 5000} {
			calls := 0
			r, err := Search(threshold(t0, &calls), Options{Start: start, Max: 10000})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Found || r.MinHidden != t0 || r.MinParams != 3*t0*8 {
				t.Fatalf("threshold %d start %d: got found=%v h=%d params=%d", t0, start, r.Found, r.MinHidden, r.MinParams)
			}
			if len(r.Trials) != calls {
				t.Fatalf("%d trials recorded for %d calls", len(r.Trials), calls)
			}
			if calls > 2*int(math.Log2(10000))+2 {
				t.Fatalf("threshold %d start %d took %d evaluations", t0, start, calls)
			}
		}
	}
}

// TestSearchTrialOrder pins the order in which widths are tried: callers'
// results depend on it when success is not exactly monotone (random draws
// differ per width), so a change here changes measured numbers.
func TestSearchTrialOrder(t *testing.T) {
	for _, c := range []struct {
		t0, start, min, max int
		want                []int
	}{
		{37, 16, 1, 1 << 16, []int{16, 32, 64, 48, 40, 36, 38, 37}},
		{5, 16, 1, 1 << 16, []int{16, 8, 4, 6, 5}},
		{1, 16, 1, 1 << 16, []int{16, 8, 4, 2, 1}},
		{9, 8, 4, 12, []int{8, 12, 10, 9}},
		{100, 8, 1, 40, []int{8, 16, 32, 40}},
	} {
		var got []int
		r, err := Search(func(h int) (bool, int, error) { got = append(got, h); return h >= c.t0, h, nil }, Options{Start: c.start, Min: c.min, Max: c.max})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(c.want) {
			t.Fatalf("threshold %d from %d in [%d, %d]: tried %v, want %v", c.t0, c.start, c.min, c.max, got, c.want)
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Fatalf("threshold %d from %d in [%d, %d]: tried %v, want %v", c.t0, c.start, c.min, c.max, got, c.want)
			}
		}
		if found := c.t0 <= c.max; r.Found != found {
			t.Fatalf("threshold %d, max %d: found = %v", c.t0, c.max, r.Found)
		}
	}
}

func TestSearchNotFoundAndTolerance(t *testing.T) {
	calls := 0
	r, err := Search(threshold(500, &calls), Options{Start: 3, Max: 300})
	if err != nil {
		t.Fatal(err)
	}
	if r.Found || r.MinHidden != 0 {
		t.Fatalf("nothing ≤ 300 stores, yet found h=%d", r.MinHidden)
	}
	calls = 0
	r, err = Search(threshold(1000, &calls), Options{Start: 8, RelTol: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if r.MinHidden < 1000 || r.MinHidden > 1060 {
		t.Fatalf("5%% tolerance: got %d for threshold 1000", r.MinHidden)
	}
	for _, o := range []Options{{Min: 5, Max: 2}, {Min: -1}, {RelTol: 1}, {RelTol: -0.1}, {RelTol: math.NaN()}} {
		if _, err := Search(threshold(1, &calls), o); err == nil {
			t.Fatalf("options %+v must be an error", o)
		}
	}
	if _, err := Search(nil, Options{}); err == nil {
		t.Fatal("a nil predicate must be an error")
	}
	boom := errors.New("boom")
	if _, err := Search(func(int) (bool, int, error) { return false, 0, boom }, Options{}); !errors.Is(err, boom) {
		t.Fatalf("predicate errors must abort the search, got %v", err)
	}
}
