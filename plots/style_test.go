package plots

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// AddFit draws the power law that package fit finds, with its short form in
// the legend, and passes fit's errors on.
func TestAddFitLegendAndErrors(t *testing.T) {
	p := NewLogLog("t", "x", "y")
	xs := []float64{2, 4, 8, 16, 32}
	ys := make([]float64, len(xs))
	for i, x := range xs {
		ys[i] = 3 * math.Pow(x, 1.5)
	}
	f, err := AddFit(p, "encdec", "", xs, ys)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := Render(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(f.Slope-1.5) > 1e-12 || !bytes.Contains(svg, []byte("encdec fit: slope 1.50, R²=1.000")) {
		t.Errorf("fit %+v; legend text missing from the figure", f)
	}
	if _, err := AddFit(p, "encdec", "", []float64{1, 2}, []float64{1, 0}); err == nil || !strings.Contains(err.Error(), "(2, 0)") {
		t.Errorf("non-positive y: error %v, want one naming the point (2, 0)", err)
	}
}

func TestMeanStd(t *testing.T) {
	if m, sd := meanStd([]float64{5}); m != 5 || sd != 0 {
		t.Errorf("one seed: mean %g sd %g, want 5 and 0", m, sd)
	}
	if m, sd := meanStd([]float64{1, 3}); m != 2 || math.Abs(sd-math.Sqrt2) > 1e-15 {
		t.Errorf("two seeds: mean %g sd %g, want 2 and √2", m, sd)
	}
}

func TestMethodColorsFixedAndDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, m := range Methods() {
		r, g, b, _ := MethodColor(m).RGBA()
		key := string(rune(r)) + string(rune(g)) + string(rune(b))
		if other, dup := seen[key]; dup {
			t.Errorf("%s and %s share a colour", m, other)
		}
		seen[key] = m
	}
	// The Hebbian variants have reserved colours (not the hashed fallback)
	// and shapes different from the methods they are compared with.
	reserved := map[string]bool{}
	for _, m := range Methods() {
		reserved[m] = true
	}
	for _, h := range []string{"hebbian-unwhitened", "hebbian-whitened", "hebbian-data-dependent"} {
		if !reserved[h] {
			t.Errorf("%s has no reserved colour", h)
		}
		for _, o := range []string{"encdec", "gd", "ntk"} {
			if MethodGlyph(h) == MethodGlyph(o) {
				t.Errorf("%s and %s share a marker", h, o)
			}
		}
	}
	if MethodGlyph("hebbian-whitened") == MethodGlyph("hebbian-unwhitened") || MethodGlyph("hebbian-whitened") == MethodGlyph("hebbian-data-dependent") ||
		MethodGlyph("hebbian-unwhitened") == MethodGlyph("hebbian-data-dependent") {
		t.Error("the three Hebbian variants should have three markers")
	}
	if MethodColor("GD") != MethodColor("gd") {
		t.Error("colour lookup should ignore case")
	}
	if MethodColor("my-new-method") != MethodColor("my-new-method") {
		t.Error("unknown method colour not stable")
	}
}

func TestLog2Ticks(t *testing.T) {
	ticks := Log2Ticks{}.Ticks(3, 1000)
	var labels []string
	for _, tk := range ticks {
		if math.Log2(tk.Value) != math.Round(math.Log2(tk.Value)) {
			t.Errorf("tick %g is not a power of two", tk.Value)
		}
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, ","); got != "4,8,16,32,64,128,256,512" {
		t.Errorf("labels = %s", got)
	}
	wide := Log2Ticks{}.Ticks(1, math.Ldexp(1, 40))
	n := 0
	for _, tk := range wide {
		if tk.Label != "" {
			n++
		}
	}
	if n > 11 || n < 4 {
		t.Errorf("%d labels over 40 octaves", n)
	}
	for _, r := range [][2]float64{{1, 1000}, {3, 1 << 20}, {1, math.Ldexp(1, 40)}, {0.01, 3000}} {
		ts := Log2Ticks{}.Ticks(r[0], r[1])
		if last := ts[len(ts)-1]; last.Label == "" {
			t.Errorf("ticks over [%g, %g]: the largest, %g, has no label", r[0], r[1], last.Value)
		}
	}
	if Pow2Label(20) != "2^20" || Pow2Label(-2) != "0.25" {
		t.Error("Pow2Label")
	}
}

func TestSeriesFitSaveAtomic(t *testing.T) {
	p := NewLogLog("Facts vs params", "facts", "parameters")
	s := Series{Method: "encdec", X: []float64{64, 128, 256, 512}, Y: [][]float64{{100, 110}, {200, 190}, {400, 420}, {800, 790}}}
	f, err := AddSeriesFit(p, s)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(f.Slope-1) > 0.05 {
		t.Errorf("slope = %g", f.Slope)
	}
	dir := t.TempDir()
	if err := SaveAll(p, filepath.Join(dir, "sub"), "fig"); err != nil {
		t.Fatal(err)
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "sub", "fig.svg"))
	png, _ := os.ReadFile(filepath.Join(dir, "sub", "fig.png"))
	if !bytes.Contains(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("encdec fit: slope ")) {
		t.Errorf("svg lacks plot or fit legend (%d bytes)", len(svg))
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Error("png not a PNG")
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "sub"))
	if len(ents) != 2 {
		t.Errorf("%d files, want 2 (no temporaries)", len(ents))
	}
	if err := Save(p, filepath.Join(dir, "x.gif")); err == nil || !strings.Contains(err.Error(), "accepted") {
		t.Errorf("unsupported format: %v", err)
	}
}

func TestAddSeriesLogDropsNonPositive(t *testing.T) {
	p := NewLogLog("t", "x", "y")
	if err := AddSeries(p, Points("gd", []float64{1, 2, 4}, []float64{0, 2, 4})); err != nil {
		t.Fatal(err)
	}
	if _, err := Render(p, "svg"); err != nil {
		t.Fatal(err)
	}
	if err := AddSeries(p, Points("gd", []float64{1}, []float64{-1})); err == nil {
		t.Error("no plottable points: no error")
	}
	if err := AddSeries(p, Series{Method: "gd", X: []float64{1, 2}, Y: [][]float64{{1}}}); err == nil {
		t.Error("length mismatch: no error")
	}
}
