package widthsearch

import (
	"errors"
	"math"
	"slices"
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

// TestSearchDescend checks the descending search: the same threshold as
// the default order, a single failing trial when the start is the
// threshold, and a pinned trial order.
func TestSearchDescend(t *testing.T) {
	for _, t0 := range []int{1, 2, 3, 17, 20, 100, 1000, 4097} {
		for _, start := range []int{0, 1, 5, 20, 21, 64, 5000} {
			for _, tol := range []float64{0, 0.05} {
				var fails int
				calls := 0
				pred := func(h int) (bool, int, error) {
					calls++
					if h < t0 {
						fails++
					}
					return h >= t0, 3 * h * 8, nil
				}
				r, err := Search(pred, Options{Start: start, Max: 10000, Descend: true, RelTol: tol})
				if err != nil {
					t.Fatal(err)
				}
				lo, hi := t0, t0
				if tol > 0 {
					hi = int(float64(t0)*(1+2*tol)) + 1
				}
				if !r.Found || r.MinHidden < lo || r.MinHidden > hi || len(r.Trials) != calls {
					t.Fatalf("threshold %d start %d tol %g: found=%v h=%d, %d trials for %d calls", t0, start, tol, r.Found, r.MinHidden, len(r.Trials), calls)
				}
				if calls > 3*int(math.Log2(10000))+3 {
					t.Fatalf("threshold %d start %d tol %g took %d evaluations", t0, start, tol, calls)
				}
				if tol == 0 && start == t0 && fails > 1 {
					t.Fatalf("threshold %d start %d: %d failing trials, want at most 1", t0, start, fails)
				}
			}
		}
	}
	for _, c := range []struct {
		t0, start int
		want      []int
	}{
		{20, 20, []int{20, 19}},
		{17, 20, []int{20, 19, 17, 13, 15, 16}},
		{37, 16, []int{16, 32, 64, 51, 43, 38, 35, 37, 36}}, // up by doubling, then costSplit's bisection
		{1, 3, []int{3, 2, 1}},
	} {
		var got []int
		r, err := Search(func(h int) (bool, int, error) { got = append(got, h); return h >= c.t0, h, nil }, Options{Start: c.start, Descend: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) || r.MinHidden != c.t0 {
			t.Fatalf("threshold %d from %d: tried %v (found %d), want %v", c.t0, c.start, got, r.MinHidden, c.want)
		}
	}
}

// TestSearchNear checks the search from a predicted start: the same
// threshold from anywhere, at most one failing trial when the prediction
// is the threshold or one short of it, and a pinned trial order.
func TestSearchNear(t *testing.T) {
	for _, t0 := range []int{1, 2, 3, 17, 20, 100, 1000, 4097} {
		for _, start := range []int{0, 1, 5, 19, 20, 21, 64, 99, 5000} {
			var fails, calls int
			pred := func(h int) (bool, int, error) {
				calls++
				if h < t0 {
					fails++
				}
				return h >= t0, h, nil
			}
			r, err := Search(pred, Options{Start: start, Max: 10000, Near: true})
			if err != nil {
				t.Fatal(err)
			}
			if !r.Found || r.MinHidden != t0 || len(r.Trials) != calls {
				t.Fatalf("threshold %d start %d: found=%v h=%d, %d trials for %d calls", t0, start, r.Found, r.MinHidden, len(r.Trials), calls)
			}
			if calls > 3*int(math.Log2(10000))+3 {
				t.Fatalf("threshold %d start %d took %d evaluations", t0, start, calls)
			}
			if (start == t0 || start == t0-1) && (fails > 1 || calls > 2) {
				t.Fatalf("threshold %d start %d: %d trials, %d failing; want 2, at most 1 failing", t0, start, calls, fails)
			}
		}
	}
	for _, c := range []struct {
		t0, start int
		want      []int
	}{
		{48, 47, []int{47, 48}},
		{47, 47, []int{47, 46}},
		{50, 47, []int{47, 48, 50, 49}},
		{45, 47, []int{47, 46, 44, 45}},
		{37, 16, []int{16, 17, 19, 23, 31, 47, 39, 36, 38, 37}}, // far off: log steps, then costSplit's bisection
	} {
		var got []int
		r, err := Search(func(h int) (bool, int, error) { got = append(got, h); return h >= c.t0, h, nil }, Options{Start: c.start, Near: true})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) || r.MinHidden != c.t0 {
			t.Fatalf("threshold %d from %d: tried %v (found %d), want %v", c.t0, c.start, got, r.MinHidden, c.want)
		}
	}
}

// costSplit's bisection must cost no more on average than the midpoint's,
// with failing probes costing 1 and storing ones storeCost, over thresholds
// spread evenly in an interval (and less for some lengths: it is the
// optimum, and the midpoint is not).
func TestCostSplitBeatsMidpoint(t *testing.T) {
	// cost runs a bisection of (0, n] for threshold t0 with the split rule.
	cost := func(n, t0 int, split func(int) int) float64 {
		lo, hi, c := 0, n, 0.0
		for hi-lo > 1 {
			p := lo + split(hi-lo)
			if p >= t0 {
				hi, c = p, c+storeCost
			} else {
				lo, c = p, c+1
			}
		}
		if hi != t0 {
			t.Fatalf("interval %d, threshold %d: bisection ended at %d", n, t0, hi)
		}
		return c
	}
	better := 0
	for _, n := range []int{2, 3, 5, 8, 13, 32, 40, 100, 511, 700, 5000} {
		var dp, mid float64
		for t0 := 1; t0 <= n; t0++ {
			dp += cost(n, t0, costSplit)
			mid += cost(n, t0, func(m int) int { return m / 2 })
		}
		if k := costSplit(n); k < 1 || k >= n {
			t.Fatalf("costSplit(%d) = %d, outside 1…%d", n, k, n-1)
		}
		if dp > mid+1e-9 {
			t.Errorf("interval %d: costSplit's bisection costs %.3f on average, the midpoint's %.3f", n, dp/float64(n), mid/float64(n))
		}
		if dp < mid-1e-9 {
			better++
		}
	}
	if better == 0 {
		t.Error("costSplit never beat the midpoint")
	}
}
