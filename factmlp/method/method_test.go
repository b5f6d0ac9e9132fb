package method

import (
	"errors"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/training"
	"gonum.org/v1/gonum/mat"
)

func facts(t *testing.T, spec factset.Spec) *factset.FactSet {
	t.Helper()
	fs, err := spec.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// Every registered method builds an MLP that passes the exact argmax check
// (float64 and float32) at a width where it stores, and a width search finds
// a storing width no larger. Methods without a width listed here are
// searched for one (they must store these facts somewhere up to 4096).
func TestEveryMethodStoresAtItsWidth(t *testing.T) {
	fs := facts(t, factset.Spec{N: 24, Dim: 16, Seed: 2})
	widths := map[string]int{"encdec": 0, "encdec-norefine": 0, "encdec-gd": 0, "gd": 24, "lookup": 0, "lstsq": 24, "ntk": 2048, "hebbian-unwhitened": 256, "hebbian-whitened": 0, "hebbian-data-dependent": 0}
	for _, name := range Names() {
		m, err := New(name, Settings{Train: training.Options{Epochs: 600}})
		if err != nil {
			t.Fatal(err)
		}
		if m.Name() != name {
			t.Fatalf("method %q names itself %q", name, m.Name())
		}
		b, err := m.Prepare(fs, 1)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		h, ok := widths[name]
		if !ok {
			mn, err := Search(b, SmallestOptions{Max: 4096})
			if err != nil {
				t.Fatalf("%s stores 24 facts in ℝ^16 at no width up to 4096: %v", name, err)
			}
			h = mn.Hidden
		}
		g, rep, err := b.Build(h)
		if err != nil {
			t.Fatalf("%s at width %d: %v", name, h, err)
		}
		again, err := mlp.Verify(g, fs)
		if err != nil || !again.Stores() || again.Correct != rep.Correct || again.MinMargin != rep.MinMargin || again.MinMargin32 != rep.MinMargin32 {
			t.Fatalf("%s at width %d: report %v, re-verified %v (%v)", name, h, rep, again, err)
		}
		if h > 0 && g.Hidden() != h {
			t.Fatalf("%s: asked for width %d, got %d", name, h, g.Hidden())
		}
		if _, err := Verified(m)(fs, h, 1); err != nil {
			t.Fatalf("%s: Verified: %v", name, err)
		}
		if e, _ := Lookup(name); e.Trains {
			continue // a search would train at every width
		}
		mn, err := Smallest(b, SmallestOptions{Start: fs.Dim()})
		if err != nil {
			t.Fatalf("%s: Smallest: %v", name, err)
		}
		if !mn.Report.Stores() || mn.MLP.Hidden() != mn.Hidden || mn.Params != mn.MLP.Params() || mn.Hidden > g.Hidden() {
			t.Fatalf("%s: smallest %d (params %d, %v) vs the width-%d MLP", name, mn.Hidden, mn.Params, mn.Report, g.Hidden())
		}
	}
}

// The smallest widths and the search's trial order are the ones the code
// gave before the Method refactor (recorded at commit cf3e2fc through
// construction.MinimalWidth, capacity.Measure and transformer.StandaloneMin).
func TestWidthsMatchRecorded(t *testing.T) {
	small := facts(t, factset.Spec{N: 24, Dim: 16, Seed: 2})
	for seed, want := range map[uint64]int{1: 219, 2: 241, 3: 227} {
		b, err := NTK{}.Prepare(small, seed)
		if err != nil {
			t.Fatal(err)
		}
		mn, err := Smallest(b, SmallestOptions{Start: small.Dim()})
		if err != nil {
			t.Fatal(err)
		}
		if mn.Hidden != want || mn.Probes != 12 {
			t.Errorf("ntk seed %d: smallest width %d after %d probes; recorded %d after 12", seed, mn.Hidden, mn.Probes, want)
		}
	}
	fs := facts(t, factset.Spec{N: 48, Dim: 16, Seed: 1})
	b, err := EncDec{}.Prepare(fs, 1)
	if err != nil {
		t.Fatal(err)
	}
	mn, err := Smallest(b, SmallestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if mn.Hidden != 40 || mn.CodeDim != 10 || mn.Units != 4 || mn.Params != 1920 || mn.ParamsWithoutSeeded != 640 || mn.Probes != 2 {
		t.Errorf("encdec smallest: %+v; recorded hidden 40, m 10, u 4, 1920 params (640 without seeded), 2 probes", mn)
	}
	// The generic search over encdec's widths (what the Transformer's
	// width sweeps are multiples of), conditioned values.
	cond := facts(t, factset.Spec{Family: "conditioned", Kappa: 10, N: 64, Dim: 16, Seed: 2})
	for _, c := range []struct {
		m            Method
		hidden, prms int
	}{{EncDec{}, 60, 2880}, {WhitenedEncDec{Alpha: 0.5}, 76, 3648}} {
		b, err := c.m.Prepare(cond, 1)
		if err != nil {
			t.Fatal(err)
		}
		mn, err := Search(b, SmallestOptions{Start: 64, Min: 4, Max: 1 << 14, RelTol: 0.05})
		if err != nil {
			t.Fatal(err)
		}
		if mn.Hidden != c.hidden || mn.Params != c.prms {
			t.Errorf("%T: search found width %d (%d params); recorded %d (%d)", c.m, mn.Hidden, mn.Params, c.hidden, c.prms)
		}
	}
}

func TestUnknownNameListsEveryName(t *testing.T) {
	for _, bad := range []string{"sgd", "", "encdec gd"} {
		_, err := New(bad, Settings{})
		if err == nil {
			t.Fatalf("%q was accepted", bad)
		}
		for _, n := range Names() {
			if !strings.Contains(err.Error(), n) {
				t.Fatalf("the error for %q does not list %q: %v", bad, n, err)
			}
		}
	}
	if e, err := Lookup("  EncDec "); err != nil || e.Name != "encdec" {
		t.Fatalf("case and spaces must be ignored: %v %v", e.Name, err)
	}
}

func TestSettingsChecked(t *testing.T) {
	e, _ := Lookup("ntk")
	if u := e.Unused(Settings{CodeDim: 8, Act: mlp.ReLU}); len(u) != 1 || u[0] != SetCodeDim {
		t.Fatalf("ntk takes no code dimension; unused = %v", u)
	}
	if got := TakenBy(SetWhiten); len(got) != 1 || got[0] != "encdec" {
		t.Fatalf("whitening is taken by %v", got)
	}
	lookup, _ := Lookup("lookup")
	if u := lookup.Unused(Settings{Act: mlp.ReLU}); u != nil {
		t.Fatalf("the lookup's own gate counts as not given; unused = %v", u)
	}
	for _, c := range []struct {
		name string
		s    Settings
	}{
		{"encdec", Settings{Act: mlp.Identity}},
		{"encdec", Settings{Whiten: 1.5}},
		{"ntk", Settings{Act: "tanh"}},
	} {
		if _, err := New(c.name, c.s); err == nil {
			t.Errorf("%s with %+v was accepted", c.name, c.s)
		}
	}
	if err := Register(Entry{Name: "encdec", New: func(Settings) (Method, error) { return EncDec{}, nil }}); err == nil {
		t.Error("a second encdec was registered")
	}
	if err := Register(Entry{Name: "Bad Name", New: func(Settings) (Method, error) { return EncDec{}, nil }}); err == nil {
		t.Error("a name with spaces was registered")
	}
}

func TestWidthErrors(t *testing.T) {
	fs := facts(t, factset.Spec{N: 48, Dim: 16, Seed: 1})
	for _, c := range []struct {
		m      Method
		hidden int
	}{{EncDec{}, 8}, {LookupTable{}, 47}} {
		b, err := c.m.Prepare(fs, 1)
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = b.Build(c.hidden)
		if !IsWidthError(err) {
			t.Errorf("%s at width %d: want a WidthError, got %v", c.m.Name(), c.hidden, err)
		}
	}
	// Methods without a default width say so, and that is not a width error
	// a search could skip.
	for _, m := range []Method{NTK{}, GD{}, LeastSquares{}} {
		b, _ := m.Prepare(fs, 1)
		if _, _, err := b.Build(0); err == nil || IsWidthError(err) {
			t.Errorf("%s at width 0: %v", m.Name(), err)
		}
	}
	// A BuildFunc's errors are width errors; a width search skips them.
	boom := errors.New("too narrow")
	f := FromFunc("fixed", func(fs *factset.FactSet, h int, seed uint64) (*mlp.Gated, error) {
		if h < 48 {
			return nil, boom
		}
		return Verified(LookupTable{})(fs, h, seed)
	})
	b, err := f.Prepare(fs, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Build(3); !errors.Is(err, boom) || !IsWidthError(err) {
		t.Fatalf("want a width error wrapping the function's, got %v", err)
	}
	mn, err := Search(b, SmallestOptions{Start: 5})
	if err != nil || mn.Hidden != 48 {
		t.Fatalf("search over a BuildFunc: %+v %v", mn, err)
	}
	if _, err := Search(b, SmallestOptions{Start: 5, Max: 40}); !errors.Is(err, ErrNoWidth) {
		t.Fatalf("nothing up to 40 stores: want ErrNoWidth, got %v", err)
	}
}

// GD's retries train again with twice the epochs while the MLP does not
// store: with 1 epoch and two retries the result is the 4-epoch run, when
// neither 1 nor 2 epochs store.
func TestGDRetries(t *testing.T) {
	fs := facts(t, factset.Spec{N: 24, Dim: 16, Seed: 2})
	train := func(epochs int) *training.Result {
		r, err := training.Train(fs, training.Options{Hidden: 4, Epochs: epochs, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if train(1).Stored || train(2).Stored {
		t.Skip("a 1- or 2-epoch run already stores; the retry is not exercised")
	}
	want := train(4)
	b, err := GD{Options: training.Options{Epochs: 1}, Retries: 2}.Prepare(fs, 1)
	if err != nil {
		t.Fatal(err)
	}
	g, rep, err := b.Build(4)
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(g.Up, want.MLP.Up) || !mat.Equal(g.Down, want.MLP.Down) || rep.Correct != want.Report.Correct {
		t.Fatalf("two retries from 1 epoch did not give the 4-epoch run (%v vs %v)", rep, want.Report)
	}
	if _, err := (GD{Retries: -1}).Prepare(fs, 1); err == nil {
		t.Fatal("negative retries were accepted")
	}
}
