package capacity

import (
	"encoding/json"
	"strings"
	"testing"
)

const goodConfig = `{"methods": ["encdec", "ntk"], "facts": [64], "dims": [16], "max_facts_per_dim": {"ntk": 6}}`

func TestParseConfigStrict(t *testing.T) {
	if c, err := ParseConfig([]byte(goodConfig)); err != nil || len(c.Methods) != 2 {
		t.Fatalf("good config: %v", err)
	}
	cases := []struct{ name, json, want string }{
		{"trailing text", goodConfig + " tail", "trailing data"},
		{"second object", goodConfig + goodConfig, "trailing data"},
		{"unknown field", `{"methods": ["encdec"], "facts": [64], "dims": [16], "dimz": [3]}`, "unknown field"},
		{"huge facts_per_dim2", `{"methods": ["encdec"], "facts_per_dim2": [1e30], "dims": [16]}`, "facts_per_dim2 1e+30 at dim 16"},
		{"negative limit", `{"methods": ["encdec"], "facts": [64], "dims": [16], "max_facts_per_dim2": {"encdec": -1}}`, "limit must be positive"},
		{"no point", `{"methods": ["ntk"], "facts": [640], "dims": [16], "max_facts_per_dim": {"ntk": 6}}`, "yields no point"},
		{"facts < 2", `{"methods": ["encdec"], "facts": [1], "dims": [16]}`, "facts 1"},
		{"negative dim", `{"methods": ["encdec"], "facts": [4], "dims": [-16]}`, "dims -16"},
		{"rel_tol", `{"methods": ["encdec"], "facts": [4], "dims": [16], "rel_tol": 2}`, "rel_tol 2"},
		{"negative lr", `{"methods": ["gd"], "facts": [4], "dims": [16], "gd": {"lr": -1}}`, "lr must be"},
		{"huge grid", `{"methods": ["encdec"], "facts": [` + strings.Repeat("4,", 2000) + `4], "dims": [` + strings.Repeat("8,", 1000) + `8]}`, "more than"},
		{"unknown method", `{"methods": ["magic"], "facts": [4], "dims": [16]}`, "magic"},
		{"empty", ``, "EOF"},
		{"array", `[]`, "cannot unmarshal"},
	}
	for _, c := range cases {
		_, err := ParseConfig([]byte(c.json))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

// FuzzParseConfig: any bytes either fail with an error or give a config
// whose grid has at least one point, each valid. The seed corpus
// (testdata/fuzz/FuzzParseConfig) holds the cases of issue #13.
func FuzzParseConfig(f *testing.F) {
	f.Add([]byte(goodConfig))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseConfig(b)
		if err != nil {
			return
		}
		pts, err := c.Points()
		if err != nil || len(pts) == 0 {
			t.Fatalf("accepted config has no valid point: %d points, %v", len(pts), err)
		}
		for _, p := range pts {
			if p.Facts.N < 2 || p.Facts.Dim < 1 || p.Max < 0 {
				t.Fatalf("accepted config gives point %+v", p)
			}
		}
	})
}

// A point that never stored is written with null costs, not zeros, and
// reads back as not found.
func TestRecordNeverStoresJSON(t *testing.T) {
	b, err := json.Marshal(Record{Method: "ntk", Facts: 256, Dim: 32, Found: false})
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `"min_hidden":null`) || !strings.Contains(s, `"min_params":null`) || !strings.Contains(s, `"found":false`) {
		t.Fatalf("not-found record: %s", s)
	}
	var back Record
	if err := json.Unmarshal(b, &back); err != nil || back.Found || back.Facts != 256 {
		t.Fatalf("read back %+v, %v", back, err)
	}
	b, _ = json.Marshal(Record{Method: "encdec", Found: true, MinHidden: 12, MinParams: 300})
	if s := string(b); !strings.Contains(s, `"min_hidden":12`) || !strings.Contains(s, `"min_params":300`) {
		t.Fatalf("found record: %s", s)
	}
}
