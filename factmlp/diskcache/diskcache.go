package diskcache

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
)

// Cache is a folder of JSON entries. The zero value and nil cache nothing.
type Cache struct {
	Dir string
	// Warn receives a line when an entry is found but not trusted (its
	// checksum does not match: edited by hand, corrupt, or written without
	// one); nil prints it on stderr. The entry is then a miss.
	Warn func(msg string)
}

// entry is the JSON stored in each file.
type entry struct {
	Name   string          `json:"name"`
	Params json.RawMessage `json:"params"`
	Value  json.RawMessage `json:"value"`
	// Sum is the hex SHA-256 of name, params and value (compact JSON,
	// separated by zero bytes): an entry edited by hand is not trusted.
	Sum string `json:"sha256"`
}

// checksum is the Sum of an entry.
func checksum(name string, params, value []byte) string {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{0})
	h.Write(compact(params))
	h.Write([]byte{0})
	h.Write(compact(value))
	return hex.EncodeToString(h.Sum(nil))
}

func (c *Cache) warn(format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	if c.Warn != nil {
		c.Warn(msg)
		return
	}
	fmt.Fprintln(os.Stderr, msg)
}

// Key returns the hex SHA-256 of kind, a zero byte and the JSON of key,
// and that JSON.
func Key(kind string, key any) (string, []byte, error) {
	kj, err := json.Marshal(key)
	if err != nil {
		return "", nil, fmt.Errorf("diskcache: key of %q cannot be encoded as JSON: %w", kind, err)
	}
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(kj)
	return hex.EncodeToString(h.Sum(nil)), kj, nil
}

// Path returns the file that holds (kind, key). It fails only when key
// cannot be encoded as JSON.
func (c *Cache) Path(kind string, key any) (string, error) {
	p, _, err := c.path(kind, key)
	return p, err
}

func (c *Cache) path(kind string, key any) (string, []byte, error) {
	sum, kj, err := Key(kind, key)
	if err != nil {
		return "", nil, err
	}
	dir := ""
	if c != nil {
		dir = c.Dir
	}
	return filepath.Join(dir, slug(kind)+"-"+sum[:16]+".json"), kj, nil
}

func (c *Cache) off() bool { return c == nil || c.Dir == "" }

// Load reads the value stored under (kind, key) into v and reports whether
// there was one. A missing, unreadable or corrupt file, one written for
// another kind or key, or a value that does not decode into v is a miss
// (false, nil). The error is non-nil only when key cannot be encoded.
func (c *Cache) Load(kind string, key, v any) (bool, error) {
	if c.off() {
		return false, nil
	}
	p, kj, err := c.path(kind, key)
	if err != nil {
		return false, err
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return false, nil
	}
	var e entry
	if json.Unmarshal(data, &e) != nil || e.Name != kind || !bytes.Equal(compact(e.Params), compact(kj)) {
		return false, nil
	}
	if e.Sum != checksum(e.Name, e.Params, e.Value) {
		why := "its checksum does not match (edited by hand or corrupt)"
		if e.Sum == "" {
			why = "it has no checksum (written by an older version)"
		}
		c.warn("diskcache: not using %s: %s; recomputing", p, why)
		return false, nil
	}
	if json.Unmarshal(e.Value, v) != nil {
		return false, nil
	}
	return true, nil
}

// Store writes v under (kind, key), replacing any earlier entry. The file
// appears atomically; Dir is created if missing.
func (c *Cache) Store(kind string, key, v any) error {
	if c.off() {
		return nil
	}
	p, kj, err := c.path(kind, key)
	if err != nil {
		return err
	}
	val, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("diskcache: value of %q cannot be stored as JSON: %w", kind, err)
	}
	data, err := json.Marshal(entry{Name: kind, Params: kj, Value: val, Sum: checksum(kind, kj, val)})
	if err != nil {
		return fmt.Errorf("diskcache: entry of %q: %w", kind, err)
	}
	if err := atomicfile.WriteBytes(p, append(data, '\n')); err != nil {
		return fmt.Errorf("diskcache: writing %s: %w", p, err)
	}
	return nil
}

// Remove deletes the entry for (kind, key), if any.
func (c *Cache) Remove(kind string, key any) error {
	if c.off() {
		return nil
	}
	p, _, err := c.path(kind, key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("diskcache: %w", err)
	}
	return nil
}

func compact(b []byte) []byte {
	var out bytes.Buffer
	if json.Compact(&out, b) != nil {
		return b
	}
	return out.Bytes()
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slug makes s safe as a file name: lower-case letters and digits joined by
// '-', at most 60 characters, "" when nothing is left. kernelext names
// figures with it too.
func Slug(s string) string {
	s = strings.Trim(nonSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(s) > 60 {
		s = strings.Trim(s[:60], "-")
	}
	return s
}

// slug is Slug with "entry" for a kind that leaves nothing.
func slug(s string) string { return cmp.Or(Slug(s), "entry") }
