package capacity

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
)

// Cache stores JSON results on disk, one file per key, so sweeps resume
// after an interruption. A nil Cache or an empty Dir caches nothing.
type Cache struct {
	Dir string
}

type entry struct {
	Key   json.RawMessage `json:"key"`
	Value json.RawMessage `json:"value"`
}

func (c *Cache) path(kind string, key any) (string, []byte, error) {
	k, err := json.Marshal(key)
	if err != nil {
		return "", nil, fmt.Errorf("capacity: cache key: %w", err)
	}
	sum := sha256.Sum256(append([]byte(kind+"\x00"), k...))
	return filepath.Join(c.Dir, kind, hex.EncodeToString(sum[:])[:20]+".json"), k, nil
}

// Load reads the value stored under (kind, key) into v. It returns false
// when there is none (or the file is unreadable or belongs to another key,
// which is treated as a miss).
func (c *Cache) Load(kind string, key, v any) (bool, error) {
	if c == nil || c.Dir == "" {
		return false, nil
	}
	p, k, err := c.path(kind, key)
	if err != nil {
		return false, err
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, nil
	}
	var e entry
	if json.Unmarshal(data, &e) != nil || !bytes.Equal(compact(e.Key), compact(k)) {
		return false, nil
	}
	if json.Unmarshal(e.Value, v) != nil {
		return false, nil
	}
	return true, nil
}

func compact(b []byte) []byte {
	var out bytes.Buffer
	if json.Compact(&out, b) != nil {
		return b
	}
	return out.Bytes()
}

// Store writes v under (kind, key) atomically (temporary file, then rename).
func (c *Cache) Store(kind string, key, v any) error {
	if c == nil || c.Dir == "" {
		return nil
	}
	p, k, err := c.path(kind, key)
	if err != nil {
		return err
	}
	val, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("capacity: cache value: %w", err)
	}
	data, err := json.MarshalIndent(entry{Key: k, Value: val}, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(p, append(data, '\n'))
}

// CachedPredicate wraps pred so each width's outcome is stored under
// (kind "trial", key, h) and read back instead of recomputed.
func CachedPredicate(c *Cache, key any, pred Predicate) Predicate {
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
