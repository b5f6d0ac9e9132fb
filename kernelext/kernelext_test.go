package kernelext

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/plots"
)

func TestParseScale(t *testing.T) {
	for in, want := range map[string]Scale{"smoke": Smoke, "FAST": Fast, "": Fast, " paper ": Paper} {
		got, err := ParseScale(in)
		if err != nil || got != want {
			t.Errorf("ParseScale(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	_, err := ParseScale("huge")
	if err == nil || !strings.Contains(err.Error(), "smoke, fast") || !strings.Contains(err.Error(), `"huge"`) {
		t.Errorf("ParseScale(huge) error = %v; want one naming the value and the accepted ones", err)
	}
}

func TestPickFollowsEnv(t *testing.T) {
	for env, want := range map[string]int{"smoke": 1, "fast": 2, "paper": 3, "": 2} {
		t.Setenv(ScaleEnv, env)
		if got := Pick(1, 2, 3); got != want {
			t.Errorf("%s=%q: Pick = %d, want %d", ScaleEnv, env, got, want)
		}
	}
}

func TestCurrentScaleInvalidStops(t *testing.T) {
	t.Setenv(ScaleEnv, "nope")
	code := -1
	var msg bytes.Buffer
	exit = func(c int) { code = c; panic("exit") }
	stderr = &msg
	defer func() { exit = os.Exit; stderr = nil }()
	func() {
		defer func() { recover() }()
		CurrentScale()
	}()
	if code != 1 {
		t.Fatalf("invalid %s: exit code %d, want 1", ScaleEnv, code)
	}
	if !strings.Contains(msg.String(), `error: kernelext: FACTMLP_SCALE="nope" is not a scale; accepted: smoke, fast`) {
		t.Errorf("message = %q", msg.String())
	}
}

func TestDisplayPayloads(t *testing.T) {
	rec, stop := Record()
	defer stop()
	Markdown("# Title $x^2$")
	ShowText("a < b")
	type row struct {
		Country string `table:"country"`
		Capital string `table:"capital"`
		Gamma   any    `table:"γ"`
	}
	ShowTable([]row{{"France", "Paris", 0.123456}, {"<b>", "x", 3}})
	p := plots.NewLogLog("Test figure", "n", "params")
	if err := plots.AddSeries(p, plots.Points("gd", []float64{1, 2, 4}, []float64{1, 4, 16})); err != nil {
		t.Fatal(err)
	}
	ShowPlot(p)
	got := rec.Payloads()
	if len(got) != 4 {
		t.Fatalf("got %d payloads, want 4: %+v", len(got), got)
	}
	if got[0].MIME != MIMEMarkdown || got[0].Data != "# Title $x^2$" {
		t.Errorf("Markdown payload = %+v", got[0])
	}
	if got[1].MIME != MIMEHTML || got[1].Data != "<pre>a &lt; b</pre>" || got[1].Text != "a < b" {
		t.Errorf("ShowText payload = %+v", got[1])
	}
	tab := got[2].Data
	for _, want := range []string{"<th>country</th>", "<td>Paris</td>", "<td>0.1235</td>", "&lt;b&gt;", "<td>3</td>"} {
		if !strings.Contains(tab, want) {
			t.Errorf("table HTML lacks %q: %s", want, tab)
		}
	}
	if !strings.Contains(got[2].Text, "France   Paris") {
		t.Errorf("table text not aligned: %q", got[2].Text)
	}
	fig := got[3].Data
	if !strings.HasPrefix(fig, `<div class="factmlp-figure" data-figure="test-figure"`) || !strings.Contains(fig, "<svg") || strings.Contains(fig, "<?xml") {
		t.Errorf("figure payload malformed: %.200s", fig)
	}
}

func TestTextFallback(t *testing.T) {
	var buf bytes.Buffer
	sinkMu.Lock()
	stdout = &buf
	sinkMu.Unlock()
	defer func() { sinkMu.Lock(); stdout = nil; sinkMu.Unlock() }()
	if InNotebook() {
		t.Skip("running inside a notebook")
	}
	Markdown("hello")
	HTML("<b>only html</b>")
	ShowTable([]struct{ A, B any }{{1, 2.5}})
	if got, want := buf.String(), "hello\nA  B\n1  2.5\n"; got != want {
		t.Errorf("text fallback = %q, want %q", got, want)
	}
}

func TestShowPlotWritesFigures(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(FiguresDirEnv, dir)
	rec, stop := Record()
	defer stop()
	p := plots.New("Same name", "x", "y")
	if err := plots.AddSeries(p, plots.Points("encdec", []float64{1, 2}, []float64{3, 4})); err != nil {
		t.Fatal(err)
	}
	f1, err := ShowPlotFiles("capitals", p)
	if err != nil {
		t.Fatal(err)
	}
	f2, err := ShowPlotFiles("capitals", p)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"capitals.svg", "capitals.png", "capitals-2.svg", "capitals-2.png"}
	for i, f := range append(f1, f2...) {
		if filepath.Base(f) != want[i] {
			t.Errorf("file %d = %s, want %s", i, f, want[i])
		}
		data, err := os.ReadFile(f)
		if err != nil || len(data) < 100 {
			t.Errorf("%s: %d bytes, %v", f, len(data), err)
		}
	}
	png, _ := os.ReadFile(filepath.Join(dir, "capitals.png"))
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Error("capitals.png is not a PNG")
	}
	if n := len(rec.Payloads()); n != 2 {
		t.Errorf("%d payloads, want 2", n)
	}
	if _, err := ShowPlotFiles("x", nil); err == nil {
		t.Error("nil plot: no error")
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Facts per parameter (log–log)": "facts-per-parameter-log-log", "": "figure", "***": "figure"} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time { return c.t }

func TestProgressText(t *testing.T) {
	var buf bytes.Buffer
	c := &fakeClock{t: time.Unix(1000, 0)}
	p := &Progress{label: "train", now: c.now, w: &buf, every: 2 * time.Second}
	p.start = c.t
	f := p.Func()
	c.t = c.t.Add(time.Second)
	f(10, 100, "loss 1.5") // first: shown
	c.t = c.t.Add(500 * time.Millisecond)
	f(15, 100, "") // throttled
	c.t = c.t.Add(2 * time.Second)
	f(35, 100, "loss 0.3") // shown
	c.t = c.t.Add(time.Second)
	f(100, 100, "") // final: shown
	p.Done()        // already final: nothing
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{
		"train: 10/100 (10%) · 10.0/s · ETA 9s · loss 1.5",
		"train: 35/100 (35%) · 10.0/s · ETA 6.5s · loss 0.3",
		"train: 100/100 (100%) · 22.2/s · 4.5s",
	}
	if len(lines) != len(want) {
		t.Fatalf("got lines %q, want %q", lines, want)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, lines[i], want[i])
		}
	}
}

// A loop that stops early (training met its target) leaves a finished line,
// not a bar part-way with an ETA.
func TestProgressDoneEarly(t *testing.T) {
	var buf bytes.Buffer
	c := &fakeClock{t: time.Unix(1000, 0)}
	p := &Progress{label: "train", now: c.now, w: &buf, every: time.Hour}
	p.start = c.t
	c.t = c.t.Add(time.Second)
	p.Update(10, 1500, "loss 2")
	c.t = c.t.Add(2 * time.Second)
	p.Update(89, 1500, "acc 1.000")
	p.Done()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if last := lines[len(lines)-1]; last != "train: done at 89 of at most 1500 · 3s · acc 1.000" {
		t.Fatalf("last line %q", last)
	}
}

func TestProgressNotebookUpdatesInPlace(t *testing.T) {
	rec, stop := Record()
	defer stop()
	c := &fakeClock{t: time.Unix(0, 0)}
	p := &Progress{label: "sweep", now: c.now, notebook: true, id: "pid", every: 250 * time.Millisecond}
	p.start = c.t
	for i := 1; i <= 10; i++ {
		c.t = c.t.Add(100 * time.Millisecond)
		p.Update(i, 10, fmt.Sprintf("step %d", i))
	}
	got := rec.Payloads()
	if len(got) < 2 || len(got) > 6 {
		t.Fatalf("%d updates for 10 steps at 100ms with 250ms throttle", len(got))
	}
	for _, pl := range got {
		if pl.DisplayID != "pid" || !strings.Contains(pl.Data, "<progress") {
			t.Errorf("payload not an in-place progress update: %+v", pl)
		}
	}
	last := got[len(got)-1].Data
	if !strings.Contains(last, "10/10 (100%)") || !strings.Contains(last, `value="1.0000"`) {
		t.Errorf("last update = %s", last)
	}
}

func TestCachedHitMissAndCorrupt(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(CacheDirEnv, dir)
	type res struct {
		Gamma []float64
		N     int
	}
	calls := 0
	compute := func() (res, error) { calls++; return res{Gamma: []float64{0.5, 0.25}, N: calls}, nil }
	params := map[string]any{"n": 64, "seed": 1}
	v1, err := Cached("sweep", params, compute)
	if err != nil || calls != 1 || v1.N != 1 {
		t.Fatalf("miss: %+v %v calls=%d", v1, err, calls)
	}
	v2, err := Cached("sweep", params, compute)
	if err != nil || calls != 1 || v2.N != 1 || v2.Gamma[1] != 0.25 {
		t.Fatalf("hit: %+v %v calls=%d", v2, err, calls)
	}
	// Other params: miss.
	if _, err := Cached("sweep", map[string]any{"n": 128, "seed": 1}, compute); err != nil || calls != 2 {
		t.Fatalf("different params should recompute: calls=%d err=%v", calls, err)
	}
	// No temporary files left behind; one file per key.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 2 {
		t.Errorf("cache dir holds %d entries, want 2", len(ents))
	}
	for _, e := range ents {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("leftover temporary file %s", e.Name())
		}
	}
	// Corrupt file: recompute, then repaired.
	path, _ := CachePath("sweep", params)
	if err := os.WriteFile(path, []byte(`{"name":"sweep","value":{"N":`), 0o644); err != nil {
		t.Fatal(err)
	}
	v3, err := Cached("sweep", params, compute)
	if err != nil || calls != 3 || v3.N != 3 {
		t.Fatalf("corrupt: %+v %v calls=%d", v3, err, calls)
	}
	if v4, _ := Cached("sweep", params, compute); calls != 3 || v4.N != 3 {
		t.Fatalf("after repair should hit: calls=%d", calls)
	}
	// Compute errors are returned and nothing is stored.
	boom := errors.New("boom")
	if _, err := Cached("fails", 1, func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("error not passed through: %v", err)
	}
	if p, _ := CachePath("fails", 1); fileExists(p) {
		t.Error("failed compute was cached")
	}
	// Unencodable params: clear error.
	if _, err := Cached("bad", func() {}, compute); err == nil || !strings.Contains(err.Error(), "JSON") {
		t.Errorf("unencodable params: %v", err)
	}
	// FACTMLP_NO_CACHE recomputes.
	t.Setenv(NoCacheEnv, "1")
	if _, err := Cached("sweep", params, compute); err != nil || calls != 4 {
		t.Errorf("%s=1 should recompute: calls=%d", NoCacheEnv, calls)
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func TestRepoRoot(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if !fileExists(filepath.Join(root, "kernelext", "doc.go")) {
		t.Errorf("RepoRoot = %s, no kernelext/doc.go there", root)
	}
	t.Setenv(CacheDirEnv, "")
	d, err := CacheDir()
	if err != nil || d != filepath.Join(root, ".cache", "factmlp") {
		t.Errorf("CacheDir = %s, %v", d, err)
	}
}

func TestTableColumnsFromStructs(t *testing.T) {
	type row struct {
		Method string  `table:"method"`
		Slope  float64 `table:"slope" fmt:"%.3f"`
		Skip   int     `table:"-"`
		N      int
		hidden int
	}
	h, cells, err := Table([]*row{{"gd", 0.91234, 7, 5, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(h, "|") != "method|slope|N" || len(cells) != 1 || cells[0][0] != "gd" || cells[0][1] != "0.912" || cells[0][2] != 5 {
		t.Errorf("headers %q, cells %v", h, cells)
	}
	for _, bad := range []any{nil, 3, []int{1}, [][]any{{1}}, []*row{nil}} {
		if _, _, err := Table(bad); err == nil {
			t.Errorf("Table(%#v): no error", bad)
		}
	}
	type inner struct {
		A int `table:"a"`
		B int
	}
	type outer struct {
		Name string
		inner
		Hidden inner `table:"-"`
	}
	h, cells, err = Table([]outer{{"x", inner{1, 2}, inner{3, 4}}})
	if err != nil || strings.Join(h, "|") != "Name|a|B" || cells[0][1] != 1 || cells[0][2] != 2 {
		t.Errorf("embedded struct: headers %q, cells %v, err %v; want its fields as columns", h, cells, err)
	}
	if _, _, err := Table([]int{1}); err == nil || !strings.Contains(err.Error(), "[]int") {
		t.Errorf("Table([]int): error %v, want one naming the type", err)
	}
}

// CachedRun keys the result by the config value and feeds the driver a
// progress function; another config value recomputes.
func TestCachedRunKeysByConfig(t *testing.T) {
	t.Setenv(CacheDirEnv, t.TempDir())
	type config struct{ N, Seed int }
	calls := 0
	run := func(c config) func(progress.Func) (int, error) {
		return func(pf progress.Func) (int, error) {
			if pf == nil {
				t.Error("driver got no progress function")
			}
			pf.Report(1, 1, "done")
			calls++
			return c.N * 10, nil
		}
	}
	a := config{N: 3, Seed: 1}
	for range 2 {
		if v, err := CachedRun("driver", a, "test", run(a)); err != nil || v != 30 || calls != 1 {
			t.Fatalf("CachedRun(a) = %d, %v after %d computations; want 30 computed once", v, err, calls)
		}
	}
	b := config{N: 3, Seed: 2}
	if v, err := CachedRun("driver", b, "test", run(b)); err != nil || v != 30 || calls != 2 {
		t.Errorf("another config must recompute: %d, %v, calls %d", v, err, calls)
	}
	if _, err := CachedRun("driver", func() {}, "test", run(a)); err == nil {
		t.Error("a config that is not JSON-encodable was accepted")
	}
}

func TestCacheDirFor(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(CacheDirEnv, dir)
	if got, err := CacheDirFor("capacity"); err != nil || got != filepath.Join(dir, "capacity") {
		t.Errorf("CacheDirFor(capacity) = %q, %v", got, err)
	}
	for _, bad := range []string{"", "..", "a/b", "/abs"} {
		if _, err := CacheDirFor(bad); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) {
			t.Errorf("CacheDirFor(%q): error %v, want one naming the value", bad, err)
		}
	}
}
