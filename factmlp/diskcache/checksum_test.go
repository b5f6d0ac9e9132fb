package diskcache

import (
	"os"
	"strings"
	"testing"
)

// An entry that is valid JSON but edited by hand is not trusted: Load
// misses and says so through Warn.
func TestLoadRejectsEditedEntry(t *testing.T) {
	var warnings []string
	c := &Cache{Dir: t.TempDir(), Warn: func(m string) { warnings = append(warnings, m) }}
	key := map[string]int{"facts": 64}
	if err := c.Store("point", key, point{Facts: 64, Gamma: 0.25}); err != nil {
		t.Fatal(err)
	}
	p, _ := c.Path("point", key)
	data, _ := os.ReadFile(p)
	edited := strings.Replace(string(data), `"gamma":0.25`, `"gamma":0.5`, 1)
	if edited == string(data) {
		t.Fatalf("test cannot find the value in %s", data)
	}
	if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	var got point
	if ok, _ := c.Load("point", key, &got); ok {
		t.Fatalf("edited entry trusted: %+v", got)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "checksum does not match") || !strings.Contains(warnings[0], p) {
		t.Fatalf("warnings %q", warnings)
	}
	// Without a checksum (an older entry, or one stripped by hand): a miss too.
	stripped := strings.Replace(string(data), `"sha256"`, `"other"`, 1)
	os.WriteFile(p, []byte(stripped), 0o644)
	if ok, _ := c.Load("point", key, &got); ok || len(warnings) != 2 || !strings.Contains(warnings[1], "no checksum") {
		t.Fatalf("entry without checksum: ok=%v warnings %q", ok, warnings)
	}
	// Reformatting the JSON (indentation) keeps it trusted.
	if err := c.Store("point", key, point{Facts: 64, Gamma: 0.25}); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(p)
	os.WriteFile(p, []byte(strings.ReplaceAll(string(data), ",", ",\n  ")), 0o644)
	if ok, _ := c.Load("point", key, &got); !ok || got.Gamma != 0.25 {
		t.Fatalf("reformatted entry: ok=%v %+v", ok, got)
	}
}
