package editing

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/factmlp/factmlp/factmlp/diskcache"
	"github.com/factmlp/factmlp/factmlp/facts"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
	"gonum.org/v1/gonum/mat"
)

// Playground answers "edit a fact yourself" requests on one base model:
// change one subject's object, swap in a fact MLP built for the edited map
// (SwapMLP), and ask the unchanged LM. The base model and every answer are
// kept in Cache (a nil Cache or an empty Dir keeps nothing), so a notebook
// widget answers a request it has seen before in well under a second, and
// the base model is trained once, not once per cell.
//
// Only the default builder can be cached (a Builder function is no cache
// key): Config.Builder must be nil.
type Playground struct {
	Config Config
	Cache  *diskcache.Cache
	data   *facts.Dataset
	base   *Base
}

// playgroundVersion is part of every cache key: bump it when what is
// stored, or how it is computed, changes.
const playgroundVersion = 1

// NewPlayground checks the configuration and loads its facts (cheap); the
// base model is built or loaded on the first Base or Edit call.
func NewPlayground(cfg Config, cache *diskcache.Cache) (*Playground, error) {
	if cfg.Builder != nil {
		return nil, errors.New("editing: Playground caches the base model under its Config, which cannot name a custom Builder; leave Config.Builder nil (the default GD builder)")
	}
	data, err := datasetOf(cfg)
	if err != nil {
		return nil, err
	}
	return &Playground{Config: cfg, Cache: cache, data: data}, nil
}

// Subjects are the subjects (countries) in fact order.
func (p *Playground) Subjects() []string { return slices.Clone(p.data.Subjects) }

// Objects are the distinct objects (capitals) a subject can be given,
// sorted by name.
func (p *Playground) Objects() []string {
	var out []string
	for _, t := range p.data.ObjectTokens {
		out = append(out, p.data.Vocab.Text[t])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// ObjectOf is the subject's object before any edit ("" for an unknown subject).
func (p *Playground) ObjectOf(subject string) string {
	if i := slices.Index(p.data.Subjects, subject); i >= 0 {
		return p.data.Objects[i]
	}
	return ""
}

// Choose returns the subjects of want the playground has, in want's
// order, topped up with its first other subjects to len(want) (a
// 60-country subset may lack France): the countries of a widget's menu.
func (p *Playground) Choose(want ...string) []string {
	var out []string
	for _, s := range want {
		if slices.Contains(p.data.Subjects, s) && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, s := range p.data.Subjects {
		if len(out) >= len(want) {
			break
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// ObjectsOf returns each subject's object before any edit, in order.
func (p *Playground) ObjectsOf(subjects []string) []string {
	out := make([]string, len(subjects))
	for i, s := range subjects {
		out[i] = p.ObjectOf(s)
	}
	return out
}

// Warm asks, and so caches, every edit a widget over subjects can ask:
// each subject given each listed subject's object. prog (may be nil) sees
// each edit.
func (p *Playground) Warm(subjects []string, prog progress.Func) error {
	objects := p.ObjectsOf(subjects)
	n := 0
	for _, s := range subjects {
		for _, o := range objects {
			if _, err := p.Edit(s, o); err != nil {
				return err
			}
			n++
			prog.Report(n, len(subjects)*len(objects), s+" → "+o)
		}
	}
	return nil
}

// datasetOf is the fact set BuildBase trains on (countries only: the
// playground edits country facts).
func datasetOf(cfg Config) (*facts.Dataset, error) {
	cfg = cfg.withDefaults()
	if cfg.Facts != FactsCountries || len(cfg.Relations) > 0 {
		return nil, fmt.Errorf("editing: Playground supports one country relation; got facts %q, relations %v", cfg.Facts, cfg.Relations)
	}
	rows := facts.FromGountries()
	if cfg.MaxFacts > 0 && cfg.MaxFacts < len(rows) {
		// The same seeded subset as BuildBase.
		perm := rng.Derive(cfg.Seed, "editing/subset").Perm(len(rows))[:cfg.MaxFacts]
		sub := make([]facts.Country, len(perm))
		for i, k := range perm {
			sub[i] = rows[k]
		}
		rows = sub
	}
	return facts.NewDataset(rows, cfg.Relation)
}

// Base returns the base model: from the cache when it holds one for this
// configuration, else built with BuildBase and stored. Config.Progress
// (may be nil) sees BuildBase's stages and a last report that says which.
func (p *Playground) Base() (*Base, error) {
	if p.base != nil {
		return p.base, nil
	}
	key := struct {
		Version int
		Config  Config
	}{playgroundVersion, p.Config.withDefaults()} // with the defaults, so that a changed default is a miss
	var snap baseSnapshot
	if ok, err := p.Cache.Load("editing-base", key, &snap); err != nil {
		return nil, err
	} else if ok {
		b, err := snap.restore(p.Config, p.data)
		if err == nil {
			p.base = b
			p.Config.Progress.Report(1, 1, "read from the disk cache")
			return b, nil
		}
		if p.Cache != nil && p.Cache.Warn != nil {
			p.Cache.Warn(fmt.Sprintf("editing: cached base model not used (%v); rebuilding", err))
		}
	}
	b, err := BuildBase(p.Config)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(b.Data.Subjects, p.data.Subjects) {
		return nil, fmt.Errorf("editing: Playground: BuildBase trained on %d subjects, the playground lists %d other ones", len(b.Data.Subjects), len(p.data.Subjects))
	}
	snap, err = snapshotOf(b)
	if err != nil {
		return nil, err
	}
	if err := p.Cache.Store("editing-base", key, snap); err != nil {
		return nil, err
	}
	p.Config.Progress.Report(3, 3, "trained and stored in the disk cache") // BuildBase reports 3 stages
	p.base = b
	return b, nil
}

// PromptAnswer is the model's next token for one phrasing of the edited
// fact, with the base model's own fact MLP and with the swapped-in one.
type PromptAnswer struct {
	Prompt   string `table:"prompt"`
	HeldOut  bool   `table:"held-out phrasing"`
	Original string `table:"original MLP"`
	Swapped  string `table:"swapped-in MLP"`
}

// OneEdit is the answer to one request: subject's object changed from
// OldObject to NewObject.
type OneEdit struct {
	Subject, OldObject, NewObject string
	Answers                       []PromptAnswer // every phrasing of the edited fact
	// NewObjectAnswers counts the phrasings answered with NewObject after the swap.
	NewObjectAnswers int
	// The other facts, every phrasing: how many answers are the same
	// token before and after the swap, and recall (the true object is the
	// answer) before and after.
	OtherAnswers, OtherUnchanged        int
	OtherRecallBefore, OtherRecallAfter float64
	SwapMLP                             string  // the swapped-in MLP's verification report
	BuildSeconds                        float64 // building and verifying the swapped-in MLP
}

// Edit changes subject's object to newObject, swaps in a fact MLP built
// for the edited map and reports what the model answers; the result is
// cached under the base configuration and the request.
func (p *Playground) Edit(subject, newObject string) (OneEdit, error) {
	i := slices.Index(p.data.Subjects, subject)
	if i < 0 {
		return OneEdit{}, fmt.Errorf("editing: unknown subject %q; accepted: the %d subjects of Playground.Subjects (e.g. %q)", subject, len(p.data.Subjects), p.data.Subjects[0])
	}
	if !slices.Contains(p.Objects(), newObject) {
		return OneEdit{}, fmt.Errorf("editing: %q is not an object of relation %q; accepted: the %d objects of Playground.Objects", newObject, p.data.Relation.Name, len(p.Objects()))
	}
	key := struct {
		Version            int
		Config             Config
		Subject, NewObject string
	}{playgroundVersion, p.Config.withDefaults(), subject, newObject}
	var out OneEdit
	if ok, err := p.Cache.Load("editing-one-edit", key, &out); err != nil {
		return OneEdit{}, err
	} else if ok {
		return out, nil
	}
	b, err := p.Base()
	if err != nil {
		return OneEdit{}, err
	}
	out, err = b.editOne(i, newObject)
	if err != nil {
		return OneEdit{}, err
	}
	return out, p.Cache.Store("editing-one-edit", key, out)
}

// editOne swaps in a fact MLP that gives fact i the object newObject and
// compares every phrasing's answer before and after.
func (b *Base) editOne(i int, newObject string) (OneEdit, error) {
	subject := b.Data.Subjects[i]
	out := OneEdit{Subject: subject, OldObject: b.Data.Objects[i], NewObject: newObject}
	fact := b.LM.Fact
	if newObject != out.OldObject {
		sp, err := b.SplitFromEdits(map[string]string{subject: newObject})
		if err != nil {
			return OneEdit{}, err
		}
		t0 := time.Now()
		if fact, err = b.SwapMLP(sp); err != nil {
			return OneEdit{}, err
		}
		out.BuildSeconds = time.Since(t0).Seconds()
		rep, err := mlp.Verify(fact, &factset.FactSet{Keys: b.Facts.Keys, Values: b.Facts.Values, Map: sp.Objects})
		if err != nil {
			return OneEdit{}, err
		}
		out.SwapMLP = rep.String()
	}
	N, nT := b.NumFacts(), b.NumTemplates()
	rows := make([]int, N*nT)
	for r := range rows {
		rows[r] = r
	}
	before, after := b.queryLogits(rows, nil), b.queryLogits(rows, fact)
	var recallBefore, recallAfter int
	for r := range rows {
		f, t := r/nT, r%nT
		was, now := argmax(before.RawRowView(r)), argmax(after.RawRowView(r))
		if f == i {
			s := b.Data.Sentence(f, t, b.Data.ObjectTok[f])
			a := PromptAnswer{Prompt: b.Data.Vocab.Decode(s[:len(s)-1]), HeldOut: t >= b.Data.NumTrain,
				Original: b.Data.Vocab.Text[was], Swapped: b.Data.Vocab.Text[now]}
			if a.Swapped == newObject {
				out.NewObjectAnswers++
			}
			out.Answers = append(out.Answers, a)
			continue
		}
		out.OtherAnswers++
		if was == now {
			out.OtherUnchanged++
		}
		if was == b.Data.ObjectTok[f] {
			recallBefore++
		}
		if now == b.Data.ObjectTok[f] {
			recallAfter++
		}
	}
	out.OtherRecallBefore = float64(recallBefore) / float64(max(out.OtherAnswers, 1))
	out.OtherRecallAfter = float64(recallAfter) / float64(max(out.OtherAnswers, 1))
	return out, nil
}

func argmax(row []float64) int {
	best := 0
	for j, x := range row {
		if x > row[best] {
			best = j
		}
	}
	return best
}

// baseSnapshot is what the cache keeps of a base model: the trained
// weights and reports; the facts are rebuilt from the configuration and
// the cached internals recomputed.
type baseSnapshot struct {
	Subjects   []string // to check that the facts rebuilt are the ones trained on
	Keys       []byte   // mat.Dense binary encoding
	LM         lmSnapshot
	MLPReport  mlp.Report
	Stats      TrainStats
	MLPSeconds float64
}

type lmSnapshot struct {
	Emb, Wq, Wk0, Wk1, Wk2, Wr1, Wo, Ua, Va []byte // mat.Dense binary encodings
	Bk1, Br1, Wr2, Bo                       []float64
	Br2, LogTau                             float64
	KeyHidden, RouterHidden                 int
	Fact                                    gatedSnapshot
}

type gatedSnapshot struct {
	Gate, Up, Down             []byte
	GateBias, UpBias, DownBias []float64
	Act                        mlp.Activation
	Method                     string
	Seed                       uint64
	Seeded                     []string
	CodeDim                    int
}

// denseBytes encodes m; the first error (an empty matrix, which a trained
// model has not) is kept in *err.
func denseBytes(m *mat.Dense, err *error) []byte {
	b, e := m.MarshalBinary()
	if e != nil && *err == nil {
		*err = fmt.Errorf("editing: encoding a matrix of the base model: %w", e)
	}
	return b
}

func denseFrom(data []byte, name string) (*mat.Dense, error) {
	var m mat.Dense
	if err := m.UnmarshalBinary(data); err != nil {
		return nil, fmt.Errorf("editing: cached %s: %w", name, err)
	}
	return &m, nil
}

func snapshotOf(b *Base) (baseSnapshot, error) {
	m, g := b.LM, b.LM.Fact
	var err error
	enc := func(d *mat.Dense) []byte { return denseBytes(d, &err) }
	s := baseSnapshot{Subjects: b.Data.Subjects, Keys: enc(b.Facts.Keys), MLPReport: b.MLPReport, Stats: b.Stats, MLPSeconds: b.MLPSeconds,
		LM: lmSnapshot{Emb: enc(m.Emb), Wq: enc(m.Wq), Wk0: enc(m.Wk0), Wk1: enc(m.Wk1), Wk2: enc(m.Wk2),
			Wr1: enc(m.Wr1), Wo: enc(m.Wo), Ua: enc(m.Ua), Va: enc(m.Va),
			Bk1: m.Bk1, Br1: m.Br1, Wr2: m.Wr2, Bo: m.Bo, Br2: m.Br2, LogTau: m.LogTau, KeyHidden: m.KeyHidden, RouterHidden: m.RouterHidden,
			Fact: gatedSnapshot{Gate: enc(g.Gate), Up: enc(g.Up), Down: enc(g.Down), GateBias: g.GateBias, UpBias: g.UpBias,
				DownBias: g.DownBias, Act: g.Act, Method: g.Method, Seed: g.Seed, Seeded: g.Seeded, CodeDim: g.CodeDim}}}
	return s, err
}

// restore rebuilds the base model from a snapshot and its facts.
func (s baseSnapshot) restore(cfg Config, data *facts.Dataset) (*Base, error) {
	if !slices.Equal(s.Subjects, data.Subjects) {
		return nil, fmt.Errorf("editing: the cached base model was trained on %d other subjects", len(s.Subjects))
	}
	mats := map[string][]byte{"emb": s.LM.Emb, "wq": s.LM.Wq, "wk0": s.LM.Wk0, "wk1": s.LM.Wk1, "wk2": s.LM.Wk2, "wr1": s.LM.Wr1,
		"wo": s.LM.Wo, "ua": s.LM.Ua, "va": s.LM.Va, "gate": s.LM.Fact.Gate, "up": s.LM.Fact.Up, "down": s.LM.Fact.Down, "keys": s.Keys}
	m := map[string]*mat.Dense{}
	for name, data := range mats {
		d, err := denseFrom(data, name)
		if err != nil {
			return nil, err
		}
		m[name] = d
	}
	f := s.LM.Fact
	fact := &mlp.Gated{Gate: m["gate"], Up: m["up"], Down: m["down"], GateBias: f.GateBias, UpBias: f.UpBias, DownBias: f.DownBias,
		Act: f.Act, Method: f.Method, Seed: f.Seed, Seeded: f.Seeded, CodeDim: f.CodeDim}
	if err := fact.Check(); err != nil {
		return nil, fmt.Errorf("editing: cached fact MLP: %w", err)
	}
	lm := &LM{Emb: m["emb"], Wq: m["wq"], Wk0: m["wk0"], Wk1: m["wk1"], Bk1: s.LM.Bk1, Wk2: m["wk2"], Wr1: m["wr1"], Br1: s.LM.Br1,
		Wr2: s.LM.Wr2, Br2: s.LM.Br2, Wo: m["wo"], Bo: s.LM.Bo, Ua: m["ua"], Va: m["va"], LogTau: s.LM.LogTau, Fact: fact,
		KeyHidden: s.LM.KeyHidden, RouterHidden: s.LM.RouterHidden}
	if v, _ := lm.Emb.Dims(); v != data.Vocab.Size() {
		return nil, fmt.Errorf("editing: the cached base model has %d token embeddings, the vocabulary %d tokens", v, data.Vocab.Size())
	}
	b := &Base{Config: cfg.withDefaults(), Data: data, LM: lm, MLPReport: s.MLPReport, Stats: s.Stats, MLPSeconds: s.MLPSeconds,
		Facts: &factset.FactSet{Keys: m["keys"], Values: mat.DenseCopyOf(lm.Emb), Map: slices.Clone(data.ObjectTok)}}
	if err := b.Facts.Validate(); err != nil {
		return nil, err
	}
	if err := b.cache(); err != nil {
		return nil, err
	}
	return b, nil
}

// Summary is one Markdown paragraph reading the edit: what the model
// answers for the edited fact, what happened to the others, and how long
// the answer took (elapsed, measured by the caller around Edit).
func (e OneEdit) Summary(elapsed time.Duration) string {
	heldOut := 0
	for _, a := range e.Answers {
		if a.HeldOut {
			heldOut++
		}
	}
	how := fmt.Sprintf("read from the cache; building this fact MLP took %.1f s when it was first asked", e.BuildSeconds)
	if elapsed.Seconds() > e.BuildSeconds && e.BuildSeconds > 0 {
		how = fmt.Sprintf("building and verifying the fact MLP took %.1f s of it", e.BuildSeconds)
	}
	if e.NewObject == e.OldObject {
		return fmt.Sprintf("**%s**: %s is already its capital, so nothing is swapped; pick another capital. (Answered in %.2f s.)", e.Subject, e.NewObject, elapsed.Seconds())
	}
	return fmt.Sprintf("**%s: %s → %s.** With the swapped-in fact MLP the model answers **%s** on **%d of %d** phrasings "+
		"(%d of them held out, never trained on). The other facts: **%d of %d** answers unchanged; recall %.2f%% before, %.2f%% after. "+
		"Answered in %.2f s (%s).", e.Subject, e.OldObject, e.NewObject, e.NewObject, e.NewObjectAnswers, len(e.Answers), heldOut,
		e.OtherUnchanged, e.OtherAnswers, 100*e.OtherRecallBefore, 100*e.OtherRecallAfter, elapsed.Seconds(), how)
}
