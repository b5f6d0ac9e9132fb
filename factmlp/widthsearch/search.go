package widthsearch

import (
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/factmlp/factmlp/factmlp/progress"
)

// Predicate reports whether hidden width h stores the fact set, and the
// parameter count of the MLP tried. An error aborts the search; a width
// that merely fails to store must return stored = false, not an error.
type Predicate func(h int) (stored bool, params int, err error)

// Trial is one evaluation of the predicate.
type Trial struct {
	Hidden  int     `json:"hidden"`
	Params  int     `json:"params"`
	Stored  bool    `json:"stored"`
	Seconds float64 `json:"seconds"`
	Cached  bool    `json:"cached,omitempty"`
	Note    string  `json:"note,omitempty"`
}

// Options bounds the search. Zero values take the defaults noted.
type Options struct {
	Start int // first width tried (default 1; a good guess saves trials)
	Min   int // smallest width considered (default 1)
	Max   int // largest width considered (default 65536)
	// RelTol stops the bisection once hi − lo ≤ max(1, RelTol·hi); 0 finds
	// the exact integer threshold.
	RelTol float64
	// Descend replaces the halving below a storing Start by steps down of
	// 1, 2, 4, … (at least RelTol·Start) until a width fails, then bisects. It suits predicates whose failures cost far more than their
	// successes, such as gradient descent, which trains to the end of its
	// budget when a width fails and stops as soon as one stores: near the
	// threshold it costs one failure where halving costs several. When
	// storing is monotone in h it finds the same width. Its bisection
	// probes where the expected cost is least when a storing trial costs
	// half a failing one (costSplit), above the midpoint.
	Descend bool
	// Near says Start is a prediction from neighbouring results (this
	// point's width at another seed, or a nearby F's width scaled), so the
	// threshold is expected within a few widths of it. After a failing
	// Start the search then steps up by 1, 2, 4, … until a width stores
	// (a prediction one short costs one more trial, where doubling to
	// 2·Start and bisecting back costs several near-threshold trials);
	// after a storing Start it steps down as Descend does. Near implies
	// Descend.
	Near     bool
	Progress progress.Func
}

// Result is the outcome of Search.
type Result struct {
	Found     bool    // some width ≤ Max stored the facts
	MinHidden int     // smallest width found to store (0 if !Found)
	MinParams int     // parameters at MinHidden
	Trials    []Trial // in the order they ran
}

// Search finds the smallest h in [Min, Max] with stored(h) = true: it
// gallops from Start (doubling up after failures, halving down after
// successes; see Options.Descend for the other way down, Options.Near for
// a Start predicted from neighbouring results) until it brackets
// the threshold, then bisects. Every width is evaluated at most once.
func Search(pred Predicate, opts Options) (*Result, error) {
	if pred == nil {
		return nil, fmt.Errorf("widthsearch: Search needs a predicate")
	}
	if opts.Min == 0 {
		opts.Min = 1
	}
	if opts.Max == 0 {
		opts.Max = 1 << 16
	}
	if opts.Min < 1 || opts.Max < opts.Min {
		return nil, fmt.Errorf("widthsearch: search range [%d, %d]; need 1 ≤ min ≤ max", opts.Min, opts.Max)
	}
	if !(opts.RelTol >= 0 && opts.RelTol < 1) { // NaN fails too
		return nil, fmt.Errorf("widthsearch: relative tolerance %g; it must be in [0, 1)", opts.RelTol)
	}
	h := min(max(opts.Start, opts.Min), opts.Max)
	res := &Result{}
	seen := map[int]Trial{}
	eval := func(h int) (bool, error) {
		if t, ok := seen[h]; ok {
			return t.Stored, nil
		}
		t0 := time.Now()
		stored, params, err := pred(h)
		if err != nil {
			return false, fmt.Errorf("widthsearch: width %d: %w", h, err)
		}
		t := Trial{Hidden: h, Params: params, Stored: stored, Seconds: time.Since(t0).Seconds()}
		seen[h] = t
		res.Trials = append(res.Trials, t)
		if stored && (!res.Found || h < res.MinHidden) {
			res.Found, res.MinHidden, res.MinParams = true, h, params
		}
		opts.Progress.Report(len(res.Trials), 0, fmt.Sprintf("h=%d stored=%v", h, stored))
		return stored, nil
	}
	opts.Descend = opts.Descend || opts.Near
	// lo fails (or is Min−1), hi stores (or is Max+1).
	lo, hi := opts.Min-1, opts.Max+1
	ok, err := eval(h)
	if err != nil {
		return res, err
	}
	if ok {
		hi = h
		for !opts.Descend && hi > opts.Min {
			next := max(opts.Min, hi/2)
			if ok, err = eval(next); err != nil {
				return res, err
			}
			if !ok {
				lo = next
				break
			}
			hi = next
		}
	} else {
		lo = h
		step := 1
		for {
			if lo >= opts.Max {
				return res, nil // nothing up to Max stores
			}
			next := min(opts.Max, 2*lo)
			if opts.Near {
				next = min(opts.Max, lo+step)
				step *= 2
			}
			if ok, err = eval(next); err != nil {
				return res, err
			}
			if ok {
				hi = next
				break
			}
			lo = next
		}
	}
	if opts.Descend && lo < opts.Min {
		// Only below a storing start: after a gallop up the threshold is as
		// likely anywhere in (lo, hi], and bisection wastes less there.
		step := max(1, int(opts.RelTol*float64(hi)))
		for hi-lo > 1 && float64(hi-lo) > opts.RelTol*float64(hi) {
			next := max(lo+1, hi-step)
			if ok, err = eval(next); err != nil {
				return res, err
			}
			if !ok {
				lo = next
				break
			}
			hi, step = next, 2*step
		}
	}
	for hi-lo > 1 && float64(hi-lo) > opts.RelTol*float64(hi) {
		mid := lo + (hi-lo)/2
		if opts.Descend {
			mid = lo + costSplit(hi-lo)
		}
		ok, err := eval(mid)
		if err != nil {
			return res, err
		}
		if ok {
			hi = mid
		} else {
			lo = mid
		}
	}
	if hi <= opts.Max {
		t := seen[hi]
		res.Found, res.MinHidden, res.MinParams = true, hi, t.Params
	}
	return res, nil
}

// storeCost is what the bisection of a Descend search assumes a storing
// trial costs, relative to a failing one: gradient descent trains a failing
// width to the end of its epoch budget and stops a storing one early. Near
// the threshold a storing GD trial took 0.4–0.7 of a failing one's time
// (capacity searches, 2026-12-01: 15–17 s against 35–42 s at F = 2048,
// d = 64; 2.0 s against 3.0 s at F = 512, d = 32).
const storeCost = 0.5

// splitTableMax bounds the exact table of costSplit; longer intervals probe
// at the same fraction as an interval of this length.
const splitTableMax = 512

var (
	splitOnce  sync.Once
	splitTable []int // splitTable[n]: the best probe offset in an interval of n
)

// costSplit returns the offset k (1 ≤ k < n) of the probe lo+k in the
// interval (lo, lo+n], lo failing and lo+n storing, that minimises the
// expected cost of the rest of the bisection when the threshold is equally
// likely at each of the n widths, a failing probe costs 1 and a storing one
// storeCost: E(1) = 0, E(n) = min over k of k/n·(storeCost + E(k)) +
// (n−k)/n·(1 + E(n−k)). Ties go to the smaller k. For storeCost = 1 it is the
// midpoint; for 0.5 it sits above it (n = 5: lo+3, not lo+2).
func costSplit(n int) int {
	splitOnce.Do(func() {
		e := make([]float64, splitTableMax+1)
		splitTable = make([]int, splitTableMax+1)
		for m := 2; m <= splitTableMax; m++ {
			best, bestK := math.Inf(1), 1
			for k := 1; k < m; k++ {
				c := (float64(k)*(storeCost+e[k]) + float64(m-k)*(1+e[m-k])) / float64(m)
				if c < best-1e-12 {
					best, bestK = c, k
				}
			}
			e[m], splitTable[m] = best, bestK
		}
	})
	if n <= splitTableMax {
		return splitTable[n]
	}
	return min(n-1, max(1, n*splitTable[splitTableMax]/splitTableMax))
}
