package kernelext

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/factmlp/factmlp/factmlp/diskcache"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/kernelext/contract"
)

// CacheDirEnv overrides where Cached stores results.
const CacheDirEnv = contract.CacheDirEnv

// NoCacheEnv, when set to a non-empty value other than "0", makes Cached
// recompute every time (the fresh result is still stored).
const NoCacheEnv = contract.NoCacheEnv

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

// CacheDirFor returns the folder name inside CacheDir(), for a library that
// keeps its own cache files there (e.g. capacity.Cache).
func CacheDirFor(name string) (string, error) {
	if name == "" || name != filepath.Base(name) || name == "." || name == ".." {
		return "", fmt.Errorf("kernelext: CacheDirFor(%q): want a plain folder name", name)
	}
	dir, err := CacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name), nil
}

// cache returns the disk cache in CacheDir().
func cache() (*diskcache.Cache, error) {
	dir, err := CacheDir()
	if err != nil {
		return nil, err
	}
	return &diskcache.Cache{Dir: dir}, nil
}

// CachePath returns the file Cached uses for name and params.
func CachePath(name string, params any) (string, error) {
	c, err := cache()
	if err != nil {
		return "", err
	}
	p, err := c.Path(name, params)
	if err != nil {
		return "", fmt.Errorf("kernelext: Cached(%q): parameters: %w", name, err)
	}
	return p, nil
}

// Cached returns the result of compute for (name, params), computing it at
// most once across cell runs and kernel restarts: the value is stored as
// JSON in CacheDir(), keyed by a hash of name and the JSON of params, so any
// change of parameters recomputes. Put everything the result depends on in
// params (sizes, seeds, method names). Writes are atomic (temporary file +
// rename). An unreadable or corrupt cache file is recomputed and replaced.
// T must survive a JSON round trip (exported fields; no NaN/Inf floats).
// See package diskcache for the file layout.
func Cached[T any](name string, params any, compute func() (T, error)) (T, error) {
	var zero T
	if _, err := CachePath(name, params); err != nil {
		return zero, err
	}
	c, _ := cache()
	if v := os.Getenv(NoCacheEnv); v == "" || v == "0" {
		var v T
		if ok, err := c.Load(name, params, &v); err != nil {
			return zero, fmt.Errorf("kernelext: Cached(%q): %w", name, err)
		} else if ok {
			return v, nil
		}
	}
	v, err := compute()
	if err != nil {
		return zero, err
	}
	if err := c.Store(name, params, v); err != nil {
		return v, fmt.Errorf("kernelext: Cached(%q): %w", name, err)
	}
	return v, nil
}

// ClearCache removes the cache file for (name, params), if any.
func ClearCache(name string, params any) error {
	c, err := cache()
	if err != nil {
		return err
	}
	return c.Remove(name, params)
}

// CachedRun is Cached for an experiment driver: it returns run's result for
// (name, config), computing it at most once, with a progress display
// labelled label while it runs. config is the driver's configuration value
// (it must be JSON-encodable: it is the cache key); run is typically its
// method value, e.g. kernelext.CachedRun("sweep", cfg, "sweep", cfg.Run).
func CachedRun[T any](name string, config any, label string, run func(progress.Func) (T, error)) (T, error) {
	return Cached(name, config, func() (T, error) {
		bar := NewProgress(label)
		defer bar.Done()
		return run(bar.Func())
	})
}
