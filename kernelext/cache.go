package kernelext

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
)

// CacheDirEnv overrides where Cached stores results.
const CacheDirEnv = "FACTMLP_CACHE_DIR"

// NoCacheEnv, when set to a non-empty value other than "0", makes Cached
// recompute every time (the fresh result is still stored).
const NoCacheEnv = "FACTMLP_NO_CACHE"

// ModulePath is this repository's Go module path.
const ModulePath = "github.com/factmlp/factmlp"

// RepoRoot finds the root of the factmlp working copy: the nearest folder
// at or above the current directory (or $GONB_DIR) whose go.mod declares
// module github.com/factmlp/factmlp.
func RepoRoot() (string, error) {
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if d := os.Getenv("GONB_DIR"); d != "" {
		starts = append(starts, d)
	}
	for _, dir := range starts {
		for {
			data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err == nil && isFactmlpGoMod(data) {
				return dir, nil
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	return "", fmt.Errorf("kernelext: no go.mod for module %s at or above %v", ModulePath, starts)
}

func isFactmlpGoMod(data []byte) bool {
	for _, l := range strings.Split(string(data), "\n") {
		f := strings.Fields(l)
		if len(f) == 2 && f[0] == "module" && strings.Trim(f[1], `"`) == ModulePath {
			return true
		}
	}
	return false
}

// CacheDir returns $FACTMLP_CACHE_DIR, else <repo>/.cache/factmlp, else
// the user cache folder's factmlp/.
func CacheDir() (string, error) {
	if d := os.Getenv(CacheDirEnv); d != "" {
		return d, nil
	}
	if root, err := RepoRoot(); err == nil {
		return filepath.Join(root, ".cache", "factmlp"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("kernelext: no cache folder: set %s (%w)", CacheDirEnv, err)
	}
	return filepath.Join(d, "factmlp"), nil
}

// cacheEntry is the JSON stored on disk.
type cacheEntry[T any] struct {
	Name   string          `json:"name"`
	Params json.RawMessage `json:"params"`
	Value  T               `json:"value"`
}

// CacheKey returns the hex SHA-256 of name and the JSON encoding of params.
func CacheKey(name string, params any) (string, []byte, error) {
	pj, err := json.Marshal(params)
	if err != nil {
		return "", nil, fmt.Errorf("kernelext: Cached(%q): parameters cannot be encoded as JSON: %w", name, err)
	}
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write(pj)
	return hex.EncodeToString(h.Sum(nil)), pj, nil
}

// CachePath returns the file Cached uses for name and params.
func CachePath(name string, params any) (string, error) {
	dir, err := CacheDir()
	if err != nil {
		return "", err
	}
	key, _, err := CacheKey(name, params)
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, Slug(name)+"-"+key[:16]+".json"), nil
}

// Cached returns the result of compute for (name, params), computing it at
// most once across cell runs and kernel restarts: the value is stored as
// JSON in CacheDir(), keyed by a hash of name and the JSON of params, so any
// change of parameters recomputes. Put everything the result depends on in
// params (sizes, seeds, method names). Writes are atomic (temporary file +
// rename). An unreadable or corrupt cache file is recomputed and replaced.
// T must survive a JSON round trip (exported fields; no NaN/Inf floats).
func Cached[T any](name string, params any, compute func() (T, error)) (T, error) {
	var zero T
	path, err := CachePath(name, params)
	if err != nil {
		return zero, err
	}
	_, pj, _ := CacheKey(name, params)
	if v := os.Getenv(NoCacheEnv); v == "" || v == "0" {
		if data, err := os.ReadFile(path); err == nil {
			var e cacheEntry[T]
			dec := json.NewDecoder(bytes.NewReader(data))
			if err := dec.Decode(&e); err == nil && e.Name == name && bytes.Equal(compactJSON(e.Params), compactJSON(pj)) {
				return e.Value, nil
			}
			// Corrupt or foreign file: fall through and recompute.
		}
	}
	v, err := compute()
	if err != nil {
		return zero, err
	}
	data, err := json.Marshal(cacheEntry[T]{Name: name, Params: pj, Value: v})
	if err != nil {
		return v, fmt.Errorf("kernelext: Cached(%q): result cannot be stored as JSON: %w", name, err)
	}
	if err := atomicfile.WriteBytes(path, data); err != nil {
		return v, fmt.Errorf("kernelext: Cached(%q): writing %s: %w", name, path, err)
	}
	return v, nil
}

func compactJSON(b []byte) []byte {
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return b
	}
	return out.Bytes()
}

// ClearCache removes the cache file for (name, params), if any.
func ClearCache(name string, params any) error {
	path, err := CachePath(name, params)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
