package training

import (
	"fmt"
	"sync"

	"github.com/factmlp/factmlp/factmlp/factset"
)

// Together lets several goroutines (a sweep's searches, one per seed) train
// side by side: each calls Train as it would training.Train; once every
// member still running is waiting in Train, the waiting calls with the same
// settings (all but the seed and the progress) on fact sets of one shape run
// as one TrainMany, the others alone. Every result is what Train would give
// (TrainMany's models are Train's bit for bit), so only the time changes.
//
// Members are counted from NewTogether; each calls Leave when it will call
// Train no more (when its search ends, on error too), or the others wait
// for it forever.
type Together struct {
	mu      sync.Mutex
	members int // members still running
	waiting []*togetherCall
	groups  [][2]int // (models, width) of every training run, for tests and logs
}

type togetherCall struct {
	fs   *factset.FactSet
	opts Options
	done chan struct{}
	res  *Result
	err  error
}

// NewTogether returns a Together for members goroutines.
func NewTogether(members int) *Together { return &Together{members: members} }

// Train trains as training.Train(fs, opts) does, side by side with the
// other members' waiting calls of the same settings and shape.
func (t *Together) Train(fs *factset.FactSet, opts Options) (*Result, error) {
	c := &togetherCall{fs: fs, opts: opts, done: make(chan struct{})}
	t.mu.Lock()
	t.waiting = append(t.waiting, c)
	t.flushIfAllWaitLocked()
	t.mu.Unlock()
	<-c.done
	return c.res, c.err
}

// Leave says the calling member will not call Train again.
func (t *Together) Leave() {
	t.mu.Lock()
	t.members--
	t.flushIfAllWaitLocked()
	t.mu.Unlock()
}

// Groups returns the (models, width) of every training run so far.
func (t *Together) Groups() [][2]int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([][2]int(nil), t.groups...)
}

// flushIfAllWaitLocked trains the waiting calls once every running member
// waits, grouped by settings and shape in the order they arrived. It runs
// with t.mu held: no member can call in meanwhile, as all are waiting.
func (t *Together) flushIfAllWaitLocked() {
	if len(t.waiting) == 0 || len(t.waiting) < t.members {
		return
	}
	calls := t.waiting
	t.waiting = nil
	var order []string
	groups := map[string][]*togetherCall{}
	for _, c := range calls {
		k := groupKey(c.fs, c.opts)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	for _, k := range order {
		g := groups[k]
		t.groups = append(t.groups, [2]int{len(g), g[0].opts.Hidden})
		if len(g) == 1 {
			g[0].res, g[0].err = Train(g[0].fs, g[0].opts)
			close(g[0].done)
			continue
		}
		sets, seeds := make([]*factset.FactSet, len(g)), make([]uint64, len(g))
		for i, c := range g {
			sets[i], seeds[i] = c.fs, c.opts.Seed
		}
		res, err := TrainMany(sets, g[0].opts, seeds)
		for i, c := range g {
			if err != nil {
				c.err = err
			} else {
				c.res = res[i]
			}
			close(c.done)
		}
	}
}

// groupKey is what calls must share to train together: every setting but
// the seed and the progress, and the fact set's shape.
func groupKey(fs *factset.FactSet, o Options) string {
	o.Seed, o.Progress = 0, nil
	n, din := fs.Keys.Dims()
	nv, dout := fs.Values.Dims()
	return fmt.Sprintf("%+v|%d×%d→%d×%d", o, n, din, nv, dout)
}
