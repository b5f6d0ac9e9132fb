package capacity

import (
	"time"

	"github.com/factmlp/factmlp/factmlp/diskcache"
	"github.com/factmlp/factmlp/factmlp/widthsearch"
)

// Cache stores JSON results on disk, one file per (kind, key), so sweeps
// resume after an interruption. A nil Cache or an empty Dir caches nothing.
// See package diskcache for the file layout.
type Cache = diskcache.Cache

// CachedPredicate wraps pred so each width's outcome is stored under
// (kind "trial", key, h) and read back instead of recomputed.
func CachedPredicate(c *Cache, key any, pred widthsearch.Predicate) widthsearch.Predicate {
	if c == nil || c.Dir == "" {
		return pred
	}
	type trialKey struct {
		Point  any `json:"point"`
		Hidden int `json:"hidden"`
	}
	return func(h int) (bool, int, error) {
		var t Trial
		k := trialKey{key, h}
		if ok, err := c.Load("trial", k, &t); err != nil {
			return false, 0, err
		} else if ok {
			return t.Stored, t.Params, nil
		}
		t0 := time.Now()
		stored, params, err := pred(h)
		if err != nil {
			return false, 0, err
		}
		if err := c.Store("trial", k, Trial{Hidden: h, Params: params, Stored: stored, Seconds: time.Since(t0).Seconds()}); err != nil {
			return false, 0, err
		}
		return stored, params, nil
	}
}
