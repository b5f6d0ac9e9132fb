// Package diskcache stores JSON results on disk, one file per (kind, key),
// so long computations (sweeps, notebook cells) resume instead of starting
// over.
//
// An entry is identified by a kind (a short name such as "trial") and a key
// (any value that encodes as JSON: sizes, seeds, method names). The file is
// Dir/<slug of kind>-<16 hex digits>.json, where the digits start the
// SHA-256 of kind, a zero byte and the key's JSON. The file holds
// {"name": kind, "params": key, "value": value, "sha256": sum}; Load checks
// name and key, so a hash collision or a foreign file is a miss, and the
// checksum of all three, so an entry edited by hand (valid JSON, but not
// what was computed) is a miss too, reported through Cache.Warn. An unreadable or corrupt
// file is a miss too (the caller recomputes and Store replaces it). Store
// writes atomically (see package atomicfile) and creates Dir if needed.
//
// A nil *Cache or one with an empty Dir caches nothing: Load always misses
// and Store does nothing.
package diskcache
