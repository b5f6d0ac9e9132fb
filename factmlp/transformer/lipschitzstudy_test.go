package transformer

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/diskcache"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// Jacobians summarises mlp.JacobianNorm row by row: the max and mean of the
// raw norms, and of the norms divided by ‖f(x)‖.
func TestJacobiansSummary(t *testing.T) {
	g := randomGated(30, 10, mlp.ReLU, 5)
	X := factset.Spherical(7, 10, rng.New(6))
	s, err := Jacobians(g, X, 40, 9)
	if err != nil {
		t.Fatal(err)
	}
	Y := g.Forward(X)
	var raw, rel []float64
	for i := 0; i < 7; i++ {
		j := mlp.JacobianNorm(g, X.RawRowView(i), 40, 9+uint64(i))
		raw, rel = append(raw, j), append(rel, j/mat.Norm(Y.RowView(i), 2))
	}
	mean := func(v []float64) (m float64) {
		for _, x := range v {
			m += x / float64(len(v))
		}
		return
	}
	maxOf := func(v []float64) (m float64) {
		for _, x := range v {
			m = math.Max(m, x)
		}
		return
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"raw mean", s.RawMean, mean(raw)}, {"raw max", s.RawMax, maxOf(raw)}, {"rel mean", s.RelMean, mean(rel)}, {"rel max", s.RelMax, maxOf(rel)}} {
		if math.Abs(c.got-c.want) > 1e-12*c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if s.Inputs != 7 || !(s.RawMax >= s.RawMean) || !(s.RawMean > 0) {
		t.Errorf("summary %+v", s)
	}
	if _, err := Jacobians(g, factset.Spherical(3, 9, rng.New(1)), 10, 1); err == nil || !strings.Contains(err.Error(), "dimension 9") {
		t.Errorf("wrong input dimension: error %v", err)
	}
	if _, err := Jacobians(g, X, 0, 1); err == nil || !strings.Contains(err.Error(), "iters") {
		t.Errorf("0 iterations: error %v", err)
	}
}

// DeliveredInputs returns exactly what the model feeds its MLP: the model's
// logits on the same sequences equal √d·⟨f(z)/‖f(z)‖, e_j⟩ computed from the
// returned z in float64.
func TestDeliveredInputsAreTheMLPInputs(t *testing.T) {
	F, d := 32, 16
	fs := factset.NewTied(factset.Spherical(F, d, rng.New(21)), rng.New(22))
	g, _, err := construction.EncDec(fs, construction.Options{Seed: 23, Slack: 2})
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Config{Task: Task{Facts: F, Junk: 3, MinLen: 2, MaxLen: 5}, Seed: 24}, fs, g)
	if err != nil {
		t.Fatal(err)
	}
	const n = 40
	Z, keys, err := DeliveredInputs(m, fs.Map, n, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, err := m.Cfg.Task.Sample(rng.Derive(7, "transformer/delivered-inputs"), n, fs.Map)
	if err != nil {
		t.Fatal(err)
	}
	logits, err := Logits(m, b)
	if err != nil {
		t.Fatal(err)
	}
	Y := g.Forward(Z)
	V := m.Cfg.Task.Vocab()
	E := mat.NewDense(V, d, nil)
	for j := 0; j < V; j++ {
		for c := 0; c < d; c++ {
			E.Set(j, c, float64(m.EmbOut[j*d+c]))
		}
	}
	for i := 0; i < n; i++ {
		if keys[i] != int(b.Key[i]) {
			t.Fatalf("sequence %d: key %d, want %d", i, keys[i], b.Key[i])
		}
		y := Y.RowView(i)
		yn := mat.Norm(y, 2)
		for j := 0; j < V; j++ {
			want := math.Sqrt(float64(d)) * mat.Dot(y, E.RowView(j)) / yn
			if got := float64(logits[i*V+j]); math.Abs(got-want) > 2e-3*(1+math.Abs(want)) {
				t.Fatalf("sequence %d token %d: model logit %v, from delivered input %v", i, j, got, want)
			}
		}
	}
	if _, _, err := DeliveredInputs(m, fs.Map, 0, 1); err == nil || !strings.Contains(err.Error(), "got 0") {
		t.Errorf("n = 0: error %v", err)
	}
}

func tinyLipschitzStudy(dir string) LipschitzStudy {
	return LipschitzStudy{FactSets: []factset.Spec{{Family: "conditioned", N: 16, Dim: 16, Kappa: 30}, {Family: "clustered", N: 16, Dim: 16}},
		Alphas: []float64{0, 1}, Seeds: []uint64{3}, Task: Task{Junk: 3, MinLen: 2, MaxLen: 3},
		WidthFactor: 1.5, Steps: 15, EvalSeqs: 64, LipschitzInputs: 8, Cache: &diskcache.Cache{Dir: dir}}
}

// A tiny study runs end to end, every point measured at the width shared by
// its fact set's α; a second run loads the same points from the cache.
func TestLipschitzStudyRunsAndCaches(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 4 tiny Transformers")
	}
	dir := t.TempDir()
	s := tinyLipschitzStudy(dir)
	pts, err := s.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 4 {
		t.Fatalf("%d points, want 2 fact sets × 2 α", len(pts))
	}
	for i, p := range pts {
		if p.Note != "" {
			t.Fatalf("point %d: %s", i, p.Note)
		}
		if p.Hidden != pts[i&^1].Hidden || p.Hidden < p.StandaloneHidden && p.Alpha == 0 {
			t.Errorf("point %d: hidden %d, α=0 standalone %d; want one width ≥ the unwhitened minimum per fact set", i, p.Hidden, pts[i&^1].StandaloneHidden)
		}
		if p.AtKeys.Inputs != 8 || p.AtDelivered.Inputs != 8 || !(p.AtKeys.RawMean > 0) || !(p.AtDelivered.RawMean > 0) || !(p.DeliveryNormRatio > 0) {
			t.Errorf("point %d: Lipschitz not measured: %+v", i, p)
		}
	}
	if !strings.HasPrefix(pts[0].FactSet, "conditioned κ=30") || !strings.HasPrefix(pts[2].FactSet, "clustered") {
		t.Errorf("fact-set labels %q, %q", pts[0].FactSet, pts[2].FactSet)
	}
	again, err := s.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pts {
		if again[i] != pts[i] {
			t.Errorf("point %d: second run %+v, first %+v", i, again[i], pts[i])
		}
	}
}

// The study refuses bad settings, and a zero Task, before training anything.
func TestLipschitzStudyRejects(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*LipschitzStudy)
		want string
	}{
		{"no task", func(s *LipschitzStudy) { s.Task = Task{} }, "junk token"},
		{"alpha", func(s *LipschitzStudy) { s.Alphas = []float64{0, 1.5} }, "α = 1.5"},
		{"factor", func(s *LipschitzStudy) { s.WidthFactor = 0.5 }, "width factor 0.5"},
		{"seeds", func(s *LipschitzStudy) { s.Seeds = nil }, "seed"},
		{"untied", func(s *LipschitzStudy) { s.FactSets[0].Untied = true }, "untied"},
		{"family", func(s *LipschitzStudy) { s.FactSets[1].Family = "weird" }, "weird"},
	} {
		s := tinyLipschitzStudy("")
		c.edit(&s)
		if _, err := s.Run(nil); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

// Correlations uses one measure per row: a Lipschitz measure that orders
// the points exactly against usability gives ρ = −1, and noted points are
// left out.
func TestCorrelations(t *testing.T) {
	var pts []LipschitzPoint
	for i := 0; i < 6; i++ {
		l := float64(i + 1)
		pts = append(pts, LipschitzPoint{FactAdaptive: 1 - 0.1*l, Recall: 1 - 0.05*l*l,
			AtKeys: JacobianSummary{RawMean: l, RawMax: 2 * l, RelMean: 7 - l, RelMax: 1 + float64(i%2)}, AtDelivered: JacobianSummary{RawMean: l * l, RawMax: l, RelMean: l, RelMax: l}})
	}
	pts = append(pts, LipschitzPoint{Note: "no MLP at this width"})
	cs := Correlations(pts)
	if len(cs) != 2*len(LipschitzMeasures()) {
		t.Fatalf("%d correlations, want %d", len(cs), 2*len(LipschitzMeasures()))
	}
	want := map[string]float64{"mean ‖J‖ at keys": -1, "mean ‖J‖/‖f‖ at keys": 1, "mean ‖J‖ at delivered inputs": -1}
	for _, c := range cs {
		if w, ok := want[c.Measure]; ok && math.Abs(c.Rho-w) > 1e-12 {
			t.Errorf("%s vs %s: ρ = %v, want %v", c.Measure, c.Usage, c.Rho, w)
		}
		if c.N != 6 {
			t.Errorf("%s: %d points, want 6 (the noted one left out)", c.Measure, c.N)
		}
	}
	// A constant usability leaves the correlation undefined, with a note.
	flat := append([]LipschitzPoint(nil), pts...)
	for i := range flat {
		flat[i].FactAdaptive = 1
	}
	for _, c := range Correlations(flat) {
		if c.Usage == "fact-adaptive" && (!math.IsNaN(c.Rho) || !strings.Contains(c.Note, "equal")) {
			t.Errorf("constant accuracy: %+v; want NaN with a note", c)
		}
	}
	if _, err := LipschitzMeasureNamed("mean ‖J‖ at keys"); err != nil {
		t.Error(err)
	}
	if _, err := LipschitzMeasureNamed("median"); err == nil || !strings.Contains(err.Error(), "accepted") {
		t.Errorf("unknown measure: error %v", err)
	}
}

// Tradeoff averages each fact set and α over its seeds, with min and max.
func TestTradeoff(t *testing.T) {
	pts := []LipschitzPoint{
		{FactSet: "a", Alpha: 1, StandaloneParams: 90, FactAdaptive: 0.8, AtKeys: JacobianSummary{RawMean: 30}},
		{FactSet: "a", Alpha: 0, StandaloneParams: 100, FactAdaptive: 1, AtKeys: JacobianSummary{RawMean: 10}},
		{FactSet: "a", Alpha: 0, StandaloneParams: 120, FactAdaptive: 0.98, AtKeys: JacobianSummary{RawMean: 12}},
		{FactSet: "a", Alpha: 1, Note: "no MLP"},
	}
	rows := Tradeoff(pts)
	if len(rows) != 2 || rows[0].Alpha != 0 || rows[1].Alpha != 1 {
		t.Fatalf("rows %+v; want α = 0 then 1", rows)
	}
	r := rows[0]
	if r.Seeds != 2 || r.StandaloneParams != 110 || r.StandaloneMin != 100 || r.StandaloneMax != 120 ||
		math.Abs(r.FactAdaptive-0.99) > 1e-12 || r.FactAdaptiveMin != 0.98 || r.KeysLipschitz != 11 {
		t.Errorf("α = 0: %+v", r)
	}
	if rows[1].Seeds != 1 || rows[1].FactAdaptive != 0.8 {
		t.Errorf("α = 1 (noted point left out): %+v", rows[1])
	}
}

// Notebook 06's study (its fast scale) serialises exactly as before
// LipschitzStudy had Methods, so its cached runs keep their cache keys.
func TestLipschitzStudyJSONUnchanged(t *testing.T) {
	kinds := []factset.Spec{{Family: "conditioned", Kappa: 10}, {Family: "conditioned", Kappa: 100}, {Family: "clustered"}}
	for i := range kinds {
		kinds[i].N, kinds[i].Dim = 256, 128
	}
	s := LipschitzStudy{FactSets: kinds, Alphas: []float64{0, 0.25, 0.5, 0.75, 1}, Seeds: []uint64{1, 2, 3},
		Task: Task{Junk: 9, MinLen: 9, MaxLen: 9}, WidthFactor: 2, Steps: 400, EvalSeqs: 2000, LipschitzInputs: 128,
		Cache: &diskcache.Cache{Dir: t.TempDir()}}
	got, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != lipschitzStudy06JSON {
		t.Errorf("notebook 06's study serialises as\n%s\nwant (before Methods)\n%s", got, lipschitzStudy06JSON)
	}
	s.Methods = []string{"hebbian-whitened"}
	if got, _ := json.Marshal(s); !strings.Contains(string(got), `"Methods":["hebbian-whitened"]`) {
		t.Errorf("a study with Methods serialises as %s; want them in its key", got)
	}
	// Points of such a study keep their serialisation too.
	pj, _ := json.Marshal(LipschitzPoint{FactSet: "a"})
	if strings.Contains(string(pj), "Method") {
		t.Errorf("a point without Method serialises as %s", pj)
	}
}

// lipschitzStudy06JSON is json.Marshal of notebook 06's fast study, taken
// from the code before Methods existed.
const lipschitzStudy06JSON = `{"FactSets":[{"Family":"conditioned","N":256,"Dim":128,"Keys":0,"Kappa":10,"Beta":0,"Clusters":0,"Spread":0,"Untied":false,"Seed":0},{"Family":"conditioned","N":256,"Dim":128,"Keys":0,"Kappa":100,"Beta":0,"Clusters":0,"Spread":0,"Untied":false,"Seed":0},{"Family":"clustered","N":256,"Dim":128,"Keys":0,"Kappa":0,"Beta":0,"Clusters":0,"Spread":0,"Untied":false,"Seed":0}],"Alphas":[0,0.25,0.5,0.75,1],"Seeds":[1,2,3],"Task":{"Facts":0,"Junk":9,"MinLen":9,"MaxLen":9},"WidthFactor":2,"Steps":400,"EvalSeqs":2000,"LipschitzInputs":128}`

// One Hebbian point of a tiny study runs, carries its method name, is
// built at WidthFactor × its own standalone minimum, whose MLP stores
// every fact (argmax, float64 and float32) while the next smaller width
// the search tried does not need to; the same seed gives the same point.
func TestLipschitzStudyHebbianPoint(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a tiny Transformer")
	}
	s := tinyLipschitzStudy(t.TempDir())
	s.FactSets = s.FactSets[:1]
	s.FactSets[0].N = 48 // F > d, as on Fig. 5
	s.Methods = []string{"hebbian-whitened"}
	s.Alphas = nil
	pts, err := s.Run(nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 1 {
		t.Fatalf("%d points, want 1 (one fact set, one seed, one method)", len(pts))
	}
	p := pts[0]
	if p.Method != "hebbian-whitened" || p.Note != "" || p.Alpha != 0 {
		t.Fatalf("point %+v; want method hebbian-whitened, measured", p)
	}
	if p.StandaloneHidden < 1 || p.Hidden != int(math.Ceil(s.WidthFactor*float64(p.StandaloneHidden))) || p.StandaloneParams != 3*p.StandaloneHidden*16 {
		t.Errorf("standalone h=%d (%d params), Transformer h=%d; want h = ⌈%g × standalone⌉ and 3md params", p.StandaloneHidden, p.StandaloneParams, p.Hidden, s.WidthFactor)
	}
	if p.AtKeys.Inputs != 8 || p.AtDelivered.Inputs != 8 || !(p.AtKeys.RawMean > 0) || !(p.Recall > 0) {
		t.Errorf("not measured: %+v", p)
	}
	spec := s.FactSets[0]
	spec.Seed = 3
	spec, _ = spec.Normalize()
	fs, err := spec.Generate()
	if err != nil {
		t.Fatal(err)
	}
	m, _ := MLPMethod("hebbian-whitened")
	b, err := m.Prepare(fs, 3)
	if err != nil {
		t.Fatal(err)
	}
	_, rep, err := b.Build(p.StandaloneHidden)
	if err != nil || !rep.Stores() {
		t.Errorf("standalone MLP at h=%d: %v, %v; want every fact stored", p.StandaloneHidden, rep, err)
	}
	s.Cache = nil
	again, err := s.Run(nil)
	if err != nil || again[0] != p {
		t.Errorf("same seed, no cache: %+v (%v), first %+v", again, err, p)
	}
}

// A study refuses an unknown method name before running anything.
func TestLipschitzStudyUnknownMethod(t *testing.T) {
	s := tinyLipschitzStudy("")
	s.Methods = []string{"hebbian-whitened", "hebbian-wrong"}
	if _, err := s.Run(nil); err == nil || !strings.Contains(err.Error(), `"hebbian-wrong"`) || !strings.Contains(err.Error(), "accepted") {
		t.Errorf("unknown method: error %v", err)
	}
	s.Methods, s.Alphas = []string{"encdec"}, nil
	if _, err := s.Run(nil); err == nil || !strings.Contains(err.Error(), "α") {
		t.Errorf("encdec without α: error %v", err)
	}
}

// Tradeoff keeps methods apart: a Hebbian point at α = 0 is not averaged
// into the encoder–decoder's α = 0 row.
func TestTradeoffByMethod(t *testing.T) {
	pts := []LipschitzPoint{
		{FactSet: "a", StandaloneParams: 100, FactAdaptive: 1},
		{Method: "hebbian-whitened", FactSet: "a", StandaloneParams: 300, FactAdaptive: 0.5},
		{Method: "hebbian-whitened", FactSet: "a", StandaloneParams: 500, FactAdaptive: 0.7},
	}
	rows := Tradeoff(pts)
	if len(rows) != 2 || rows[0].FactSet != "a" || rows[0].Seeds != 1 || rows[0].StandaloneParams != 100 ||
		rows[1].FactSet != "hebbian-whitened: a" || rows[1].Seeds != 2 || rows[1].StandaloneParams != 400 {
		t.Errorf("rows %+v; want encdec's row apart from the Hebbian one", rows)
	}
}

// MethodSpans counts each method's draws, stored and measured points and
// spans usability and ‖J‖ over the measured ones only.
func TestMethodSpans(t *testing.T) {
	pts := []LipschitzPoint{
		{Method: "hebbian-whitened", StandaloneHidden: 10, FactAdaptive: 0.5, AtKeys: JacobianSummary{RawMean: 3}},
		{Method: "hebbian-unwhitened", Note: "stores x at no width"},
		{Method: "hebbian-whitened", StandaloneHidden: 12, FactAdaptive: 0.9, AtKeys: JacobianSummary{RawMean: 2}},
		{Method: "hebbian-whitened", StandaloneHidden: 12, Note: "swap map"},
	}
	s := MethodSpans(pts)
	if len(s) != 2 || s[0].Method != "hebbian-whitened" || s[0].Draws != 3 || s[0].Stored != 3 || s[0].Measured != 2 ||
		s[0].FactAdaptiveMin != 0.5 || s[0].FactAdaptiveMax != 0.9 || s[0].KeysMin != 2 || s[0].KeysMax != 3 || s[0].Note != "swap map" {
		t.Errorf("whitened: %+v", s)
	}
	if len(s) == 2 && (s[1].Stored != 0 || s[1].Measured != 0 || strings.Contains(s[1].String(), "accuracy") || !strings.Contains(s[1].String(), "0 of 1 draws alone")) {
		t.Errorf("unwhitened: %+v, %q", s[1], s[1].String())
	}
	if got := s[0].String(); !strings.Contains(got, "accuracy 0.500–0.900") {
		t.Errorf("line %q", got)
	}
}
