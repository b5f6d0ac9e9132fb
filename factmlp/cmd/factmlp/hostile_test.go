package main

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets the test binary act as the factmlp command (for the
// subprocess tests below, which measure exit status and peak memory).
func TestMain(m *testing.M) {
	if os.Getenv("FACTMLP_TEST_AS_CLI") == "1" {
		code := runMain(os.Args[1:], os.Stdout, os.Stderr)
		// The child's own peak: rusage's Maxrss would include the test
		// process's memory, which a child inherits at fork.
		if f := os.Getenv("FACTMLP_TEST_STATUS_FILE"); f != "" {
			if b, err := os.ReadFile("/proc/self/status"); err == nil {
				os.WriteFile(f, b, 0o644)
			}
		}
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// cli runs factmlp args in a subprocess and returns stdout, stderr, the
// exit status and the peak resident memory in bytes.
func cli(t *testing.T, args ...string) (string, string, int, int64) {
	t.Helper()
	status := filepath.Join(t.TempDir(), "status")
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "FACTMLP_TEST_AS_CLI=1", "FACTMLP_TEST_STATUS_FILE="+status)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("%v: %v", args, err)
	}
	// VmHWM of the child's own address space; if the child died before
	// writing it, fall back to rusage (an upper bound).
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss * 1024
	if b, err := os.ReadFile(status); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" && f[2] == "kB" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					rss = kb * 1024
				}
			}
		}
	}
	return out.String(), errb.String(), cmd.ProcessState.ExitCode(), rss
}

func npyHeader(header string) []byte {
	h := header + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	b.WriteString(h)
	return b.Bytes()
}

func safetensorsHeader(header string) []byte {
	for len(header)%8 != 0 {
		header += " "
	}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(header)))
	b.WriteString(header)
	return b.Bytes()
}

// Every hostile input of issue #13 exits non-zero with one line naming the
// problem and what is accepted: no panic, no goroutine dump, no
// out-of-memory abort, and for the tiny crafted files a peak under 200 MB.
func TestHostileInputs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process per case")
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hugeNPY := write("huge.npy", npyHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }"))
	if len(mustRead(t, hugeNPY)) > 200 {
		t.Fatalf("crafted .npy is %d bytes", len(mustRead(t, hugeNPY)))
	}
	hugeST := write("huge.safetensors", safetensorsHeader(`{"__metadata__":{"format":"factmlp.gated-mlp.v1"},"gate":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,0]}}`))
	overflowST := write("overflow.safetensors", append(safetensorsHeader(`{"values":{"dtype":"F64","shape":[2305843009213693952, 4],"data_offsets":[0,8]}}`), make([]byte, 8)...))
	fifo := filepath.Join(dir, "fifo.safetensors")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "outdir.safetensors")
	os.Mkdir(outDir, 0o755)
	cfg := func(name, json string) string { return write(name, []byte(json)) }
	const good = `{"methods": ["encdec"], "facts": [16], "dims": [8]}`
	const mb = 1 << 20
	cases := []struct {
		name   string
		args   []string
		want   []string
		maxRSS int64 // 0: no bound asserted (the command refuses before allocating anyway)
	}{
		{"1 safetensors shape 2^62", []string{"verify", "--mlp", hugeST, "--facts", "8", "--dim", "4"}, []string{"needs more than", "data_offsets span 0 bytes"}, 200 * mb},
		{"1 safetensors count×size overflow", []string{"rho", "--values", overflowST}, []string{"needs more than"}, 200 * mb},
		{"2 npy header claims 80 GB", []string{"rho", "--values", hugeNPY}, []string{"header promises <f8 (100000, 100000) = 80000000000 bytes", "the file has 0"}, 200 * mb},
		{"3 rho n=1e8", []string{"rho", "--n", "100000000", "--dim", "64"}, []string{"needs about", "GiB", "--max-memory"}, 200 * mb},
		{"3 rho dim=1e5", []string{"rho", "--n", "64", "--dim", "100000"}, []string{"needs about", "--max-memory"}, 200 * mb},
		{"3 construct hidden=1e8", []string{"construct", "--n", "64", "--dim", "8", "--hidden", "100000000"}, []string{"hidden=100000000 needs about"}, 200 * mb},
		{"3 ssfr batch=1e8", []string{"ssfr", "--batch", "100000000"}, []string{"batch=100000000 needs about", "TiB"}, 200 * mb},
		{"3 budget", []string{"construct", "--n", "64", "--dim", "8", "--max-memory", "1MiB"}, []string{"--max-memory gives 1.0 MiB"}, 0},
		{"3 bad budget", []string{"construct", "--n", "64", "--dim", "8", "--max-memory", "lots"}, []string{`memory size "lots"; accepted`}, 0},
		{"4 output is a device", []string{"construct", "--n", "16", "--dim", "8", "--out", "/dev/null"}, []string{"/dev/null is a character device", "only regular files"}, 0},
		{"4 output is a directory", []string{"construct", "--n", "16", "--dim", "8", "--out", outDir}, []string{"is a directory"}, 0},
		{"4 output is a FIFO", []string{"construct", "--n", "16", "--dim", "8", "--out", fifo}, []string{"is a named pipe"}, 0},
		{"4 output folder missing", []string{"construct", "--n", "16", "--dim", "8", "--out", filepath.Join(dir, "no", "x.safetensors")}, []string{"does not exist"}, 0},
		{"4 input is a FIFO", []string{"verify", "--mlp", fifo, "--n", "16", "--dim", "8"}, []string{"is a named pipe"}, 0},
		{"6 trailing text", []string{"sweep", "--config", cfg("trail.json", good+" tail"), "--out", dir}, []string{"trailing data"}, 0},
		{"6 second object", []string{"sweep", "--config", cfg("two.json", good+good), "--out", dir}, []string{"trailing data"}, 0},
		{"6 facts_per_dim2 1e30", []string{"sweep", "--config", cfg("big.json", `{"methods": ["encdec"], "facts_per_dim2": [1e30], "dims": [8]}`), "--out", dir}, []string{"facts_per_dim2 1e+30"}, 0},
		{"6 negative limit", []string{"sweep", "--config", cfg("neg.json", `{"methods": ["encdec"], "facts": [16], "dims": [8], "max_facts_per_dim": {"encdec": -1}}`), "--out", dir}, []string{"limit must be positive"}, 0},
		{"6 no point", []string{"sweep", "--config", cfg("none.json", `{"methods": ["encdec"], "facts": [160], "dims": [8], "max_facts_per_dim": {"encdec": 1}}`), "--out", dir}, []string{"yields no point"}, 0},
		{"6 out is a file", []string{"sweep", "--config", cfg("good.json", good), "--out", hugeNPY}, []string{"is not a folder"}, 0},
		{"7 rel-tol NaN", []string{"capacity", "--rel-tol", "NaN", "--facts", "16", "--dim", "8"}, []string{"--rel-tol NaN; accepted: a finite number in [0, 1)"}, 0},
		{"7 kappa Inf", []string{"rho", "--family", "conditioned", "--kappa", "+Inf"}, []string{"--kappa +Inf; accepted"}, 0},
		{"8 rope-base NaN", []string{"ssfr", "--rope-base", "NaN"}, []string{"--rope-base NaN; accepted: a finite number > 1"}, 0},
		{"8 save path checked first", []string{"ssfr", "--save", outDir}, []string{"--save", "is a directory"}, 0},
		{"8 eval checked first", []string{"ssfr", "--eval", "0"}, []string{"--eval 0"}, 0},
		{"8 default width fails", []string{"ssfr", "--facts", "16", "--dim", "8"}, []string{"give a larger --hidden"}, 0},
		{"9 negative workers", []string{"rho", "--workers", "-1"}, []string{"--workers -1; accepted: an integer ≥ 0"}, 0},
		{"9 negative max-hidden", []string{"capacity", "--max-hidden", "-5"}, []string{"--max-hidden -5; accepted"}, 0},
		{"9 directory as .npy", []string{"rho", "--values", dir}, []string{"is a directory, not a .npy file"}, 0},
	}
	for _, c := range cases {
		out, stderr, code, rss := cli(t, c.args...)
		switch {
		case code == 0:
			t.Errorf("%s: %v exited 0; stdout %q", c.name, c.args, out)
		case strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "out of memory"):
			t.Errorf("%s: crashed:\n%s", c.name, stderr)
		case strings.Count(strings.TrimSpace(stderr), "\n") > 0:
			t.Errorf("%s: more than a one-line error:\n%s", c.name, stderr)
		case out != "":
			t.Errorf("%s: stdout not empty on error: %q", c.name, out)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%s: %v: stderr %q lacks %q", c.name, c.args, stderr, w)
			}
		}
		t.Logf("%s: exit %d, peak %.1f MB: %s", c.name, code, float64(rss)/mb, strings.TrimSpace(stderr))
		if c.maxRSS > 0 && rss > c.maxRSS {
			t.Errorf("%s: peak memory %d MB, want < %d MB", c.name, rss/mb, c.maxRSS/mb)
		}
	}
	// Nothing at a refused output path changed kind.
	for _, p := range []string{fifo, outDir} {
		if st, err := os.Lstat(p); err != nil || st.Mode().IsRegular() {
			t.Errorf("%s was replaced: %v %v", p, st.Mode(), err)
		}
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// "Never stores" is explicit: null costs, stored false and a reason in
// JSON, a NOT STORED line without it.
func TestCapacityNeverStores(t *testing.T) {
	args := []string{"capacity", "--method", "ntk", "--facts", "256", "--dim", "8", "--max-hidden", "64"}
	out, stderr, code := run(t, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, w := range []string{`"stored":false`, `"min_hidden":null`, `"min_params":null`, `"reason":"no hidden width up to 64 stores the 256 facts"`} {
		if !strings.Contains(out, w) {
			t.Errorf("JSON %s lacks %s", out, w)
		}
	}
	if out, _, _ := run(t, args...); !strings.Contains(out, "NOT STORED: no hidden width up to 64 stores the 256 facts") {
		t.Errorf("text output: %s", out)
	}
}

// A cache entry edited by hand is not trusted: the point is recomputed and
// stderr says so.
func TestCapacityCacheEditedByHand(t *testing.T) {
	cache := t.TempDir()
	args := []string{"capacity", "--method", "encdec", "--facts", "32", "--dim", "8", "--cache", cache, "--json"}
	first, stderr, code := run(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ents, _ := filepath.Glob(filepath.Join(cache, "point-*.json"))
	if len(ents) != 1 {
		t.Fatalf("point entries %v", ents)
	}
	b := mustRead(t, ents[0])
	edited := bytes.Replace(b, []byte(`"min_hidden":`), []byte(`"min_hidden":1`), 1) // 12 → 112, still valid JSON
	if bytes.Equal(edited, b) {
		t.Fatalf("cannot edit %s", b)
	}
	os.WriteFile(ents[0], edited, 0o644)
	again, stderr, code := run(t, args...)
	if code != 0 || !strings.Contains(stderr, "checksum does not match") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if strings.Split(again, `"seconds"`)[0] != strings.Split(first, `"seconds"`)[0] {
		t.Fatalf("recomputed point differs:\n%s\n%s", first, again)
	}
}
