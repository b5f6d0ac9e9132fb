package editing

import (
	"fmt"
	"math"
	"time"

	"github.com/factmlp/factmlp/factmlp/facts"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/rng"
	"github.com/factmlp/factmlp/factmlp/training"
	"gonum.org/v1/gonum/mat"
)

// Defaults of Config: the 243 capitals stored in a 16-unit CE-trained fact
// MLP, so that a 10% edit (24 facts) is 1.5× the MLP's hidden width, the
// capacity-bound regime of the authors' setup (16,384 facts in 512 units,
// a 10% edit 3.2× the width), and an LM trained with 7 extra fact MLPs
// taking turns in its MLP slot (fact-adaptive training).
const (
	DefaultHidden       = 16
	DefaultMLPEpochs    = 8000
	DefaultAdaptiveMaps = 7
	// BooksParamsPerFact is the authors' fact-MLP parameters per fact
	// (3·d·h/N with d = 256, h = 512, N = 16,384): the default book width
	// is the one that keeps it, h = ⌈BooksParamsPerFact·N/(3d)⌉ (512 at the
	// authors' size, 128 for N = 2,048 at d = 128; at d = 128, width 64 —
	// the authors' facts per unit — stored only 1951 of 2048 facts after
	// 24,000 GD epochs, width 128 all of them after 8,000).
	BooksParamsPerFact = 24
	// DefaultBookOffTargetSentences is Config.OffTargetSentences for books.
	DefaultBookOffTargetSentences = 4096
)

// Fact sets of Config.Facts.
const (
	FactsCountries = "countries"
	FactsBooks     = "books"
	FactsNames     = "countries, books"
)

// PaperBooksConfig is the authors' configuration (paper.md §7.2): the
// first 16,384 book facts, d_model = 256, an MSE-trained GD fact MLP of
// width 512, the LM trained with its single fact MLP.
func PaperBooksConfig() Config {
	return Config{Facts: FactsBooks, MaxFacts: 16384, Dim: 256, Hidden: 512, MLPLoss: training.MSE, AdaptiveMaps: -1}
}

// numBooks is the number of book facts the configuration asks for:
// MaxFacts, or every shipped row when it is 0.
func (c Config) numBooks() int {
	if c.MaxFacts > 0 {
		return c.MaxFacts
	}
	return facts.BooksShipped
}

// Config sizes the base model. Zero values take the defaults noted.
type Config struct {
	// Facts is the fact set: FactsCountries (default; Relation or
	// Relations pick the relation) or FactsBooks (book → author, the
	// authors' data set; MaxFacts = N takes the first N rows). For books the
	// defaults follow the authors' base model: an MSE-trained GD fact MLP
	// of width ⌈BooksParamsPerFact·N/(3d)⌉ and no fact-adaptive training.
	Facts    string
	Relation string // default "capital"
	// Relations, if set, replaces Relation: one fact per (country,
	// relation) (facts.NewMultiDataset), keyed by the normalised sum of the
	// subject's and the relation noun's embeddings, which attention must
	// deliver to the query position. Edits permute objects within a
	// relation.
	Relations []string
	// MaxFacts: countries, a seeded subset of this many (0: all);
	// books, the first MaxFacts rows (0: all facts.BooksShipped).
	MaxFacts  int
	Dim       int // embedding dimension d; default 64
	Hidden    int // fact-MLP width h; default DefaultHidden (books: ⌈BooksParamsPerFact·N/(3d)⌉)
	MLPEpochs int // epochs of the GD fact MLP; default DefaultMLPEpochs
	// MLPLoss is the loss of the default GD builder: training.CE (default
	// for countries; cross-entropy over every token of the vocabulary,
	// which packs about 1.5× more facts per hidden unit here than MSE) or
	// training.MSE (default for books, the authors' choice).
	MLPLoss      training.Loss
	KeyHidden    int // attention key-MLP width; default 64
	RouterHidden int // router width; default 32
	ContextRank  int // rank of the other path's view of the attention output; default 8
	Train        TrainOptions
	// OffTargetSentences caps the sentences whose non-fact labels measure
	// the off-target change (every k-th (fact, phrasing) sentence, offset
	// by the fact so the phrasings rotate; 0: all
	// for countries, DefaultBookOffTargetSentences for books). The
	// authors use every evaluated sentence; at 16,384 facts × 16 phrasings
	// that is ~2M labels against a 33k-token vocabulary per evaluation.
	OffTargetSentences int
	// AdaptiveMaps is the number of extra fact MLPs, each storing a random
	// re-assignment of the objects (permuted within each relation), that
	// take turns with the real one in the MLP slot during LM training
	// (fact-adaptive training, LM.TrainVariants); default
	// DefaultAdaptiveMaps (books: none), negative for none. Without them the LM learns
	// the quirks of its one MLP and a swapped-in MLP is read poorly.
	AdaptiveMaps int
	Seed         uint64
	// Builder makes the fact MLP (and the swapped-in one, unless
	// SwapMethod names another); default GDWithLoss(MLPEpochs, MLPLoss).
	Builder Builder `json:"-"`
	// SwapMethod names the registered method (package method: encdec,
	// hebbian-data-dependent, ...) that builds the swapped-in fact MLP; ""
	// or SwapMethodBase is Builder, the base MLP's own GD training (the
	// authors' protocol: the same method and width). The base model's
	// fact MLP is always Builder's.
	SwapMethod string `json:",omitempty"`
	// SwapHidden is the swapped-in MLP's hidden width (0: Hidden). A
	// method that cannot store the edited facts at that width fails the
	// swap with its verification report.
	SwapHidden int           `json:",omitempty"`
	Progress   progress.Func `json:"-"`
}

func (c Config) withDefaults() Config {
	if c.Facts == "" {
		c.Facts = FactsCountries
	}
	if c.Dim == 0 {
		c.Dim = 64
	}
	if c.Facts == FactsBooks {
		if c.Hidden == 0 {
			c.Hidden = (BooksParamsPerFact*c.numBooks() + 3*c.Dim - 1) / (3 * c.Dim)
		}
		if c.MLPLoss == "" {
			c.MLPLoss = training.MSE
		}
		if c.AdaptiveMaps == 0 {
			c.AdaptiveMaps = -1
		}
		if c.OffTargetSentences == 0 {
			c.OffTargetSentences = DefaultBookOffTargetSentences
		}
		// Our LM's training defaults for books (a deviation: the authors
		// weigh every token alike, lr 2e-4, batch 32). With uniform weights
		// the author is 1 of ~10 labels per sentence and the LM learned to
		// read the fact MLP slowly: at N = 128, d = 32, fact recall was
		// 0.16 after 775 steps (lr 1e-2, batch 128), against 0.46 after 75
		// steps with the author's label weighted 4×.
		if c.Train.FactWeight == 0 {
			c.Train.FactWeight = 4
		}
		if c.Train.LR == 0 {
			c.Train.LR = 1e-2
		}
		if c.Train.Batch == 0 {
			c.Train.Batch = 128
		}
	}
	if c.Relation == "" {
		c.Relation = "capital"
	}
	if c.Dim == 0 {
		c.Dim = 64
	}
	if c.Hidden == 0 {
		c.Hidden = DefaultHidden
	}
	if c.MLPEpochs == 0 {
		c.MLPEpochs = DefaultMLPEpochs
	}
	if c.KeyHidden == 0 {
		c.KeyHidden = 64
	}
	if c.RouterHidden == 0 {
		c.RouterHidden = 32
	}
	if c.ContextRank == 0 {
		c.ContextRank = 8
	}
	if c.MLPLoss == "" {
		c.MLPLoss = training.CE
	}
	if c.AdaptiveMaps == 0 {
		c.AdaptiveMaps = DefaultAdaptiveMaps
	}
	if c.Builder == nil {
		c.Builder = GDWithLoss(c.MLPEpochs, c.MLPLoss)
	}
	return c
}

// Base is a trained base model with everything the edits need cached.
type Base struct {
	Config Config
	Data   *facts.Dataset
	// Facts: keys are the subject embeddings (unit), values every token
	// embedding (row = token), Map the true objects.
	Facts      *factset.FactSet
	LM         *LM
	MLPReport  mlp.Report
	Stats      TrainStats
	MLPSeconds float64

	// Cached internals at the query position of every (fact, template)
	// sentence, row f·nT + t.
	qA   *mat.Dense
	qG   []float64
	qO   *mat.Dense
	qLen []int
	// Cached internals at every non-fact position (labels are template
	// words and subjects) of every sentence.
	pA            *mat.Dense
	pG            []float64
	pO            *mat.Dense
	pY            []int
	nonFactCE     float64
	nonFactCEOpen float64 // NonFactCERouterOpen(nil), cached
	// onEvaluate, if set, sees every split Evaluate measures (tests check
	// that hyper-parameter selection never measures the test split).
	onEvaluate func(*EditSplit)
}

// NumTemplates is the number of phrasings (training + held out).
func (b *Base) NumTemplates() int { return len(b.Data.Templates) }

// NumFacts is the number of facts.
func (b *Base) NumFacts() int { return len(b.Data.Subjects) }

// BuildBase loads the facts, builds the fact MLP and trains the LM.
func BuildBase(cfg Config) (*Base, error) {
	cfg = cfg.withDefaults()
	switch cfg.Facts {
	case FactsCountries:
	case FactsBooks:
		if cfg.MaxFacts < 0 {
			return nil, fmt.Errorf("editing: %d book facts; need 2 to %d (0: all)", cfg.MaxFacts, facts.BooksShipped)
		}
		data, err := facts.LoadBookDataset(cfg.numBooks())
		if err != nil {
			return nil, err
		}
		return BuildBaseFromData(data, cfg)
	default:
		return nil, fmt.Errorf("editing: unknown fact set %q; accepted: %s", cfg.Facts, FactsNames)
	}
	rows := facts.FromGountries()
	if cfg.MaxFacts > 0 && cfg.MaxFacts < len(rows) {
		// A spread-out subset, deterministic in the seed.
		r := rng.Derive(cfg.Seed, "editing/subset")
		perm := r.Perm(len(rows))[:cfg.MaxFacts]
		sub := make([]facts.Country, len(perm))
		for i, p := range perm {
			sub[i] = rows[p]
		}
		rows = sub
	}
	var data *facts.Dataset
	var err error
	if len(cfg.Relations) > 0 {
		data, err = facts.NewMultiDataset(rows, cfg.Relations)
	} else {
		data, err = facts.NewDataset(rows, cfg.Relation)
	}
	if err != nil {
		return nil, err
	}
	return BuildBaseFromData(data, cfg)
}

// BuildBaseFromData is BuildBase on a given dataset.
func BuildBaseFromData(data *facts.Dataset, cfg Config) (*Base, error) {
	cfg = cfg.withDefaults()
	if cfg.Dim < 4 || cfg.Hidden < 1 {
		return nil, fmt.Errorf("editing: dim %d and hidden %d; need dim ≥ 4 and hidden ≥ 1", cfg.Dim, cfg.Hidden)
	}
	if _, err := cfg.swapBuilder(); err != nil {
		return nil, err
	}
	V, d := data.Vocab.Size(), cfg.Dim
	emb := factset.Spherical(V, d, rng.Derive(cfg.Seed, "editing/embeddings"))
	b := &Base{Config: cfg, Data: data}
	keys := mat.NewDense(len(data.SubjectTok), d, nil)
	for i, t := range data.SubjectTok {
		keys.SetRow(i, emb.RawRowView(t))
		if data.RelationTok != nil {
			// Key (subject, relation): the attention output that weighs the
			// subject and the relation noun equally, normalised.
			k := keys.RawRowView(i)
			nrm := 0.0
			for c, x := range emb.RawRowView(data.RelationTok[i]) {
				k[c] += x
				nrm += k[c] * k[c]
			}
			for c := range k {
				k[c] /= math.Sqrt(nrm)
			}
		}
	}
	// The values are every token's embedding, not only the objects': the
	// LM's tied head scores the MLP's output against the whole vocabulary,
	// so a fact counts as stored only if its object wins over every token.
	// (A CE-trained MLP fitted against the objects alone was often beaten
	// by some other token.)
	b.Facts = &factset.FactSet{Keys: keys, Values: mat.DenseCopyOf(emb), Map: append([]int{}, data.ObjectTok...)}
	if err := b.Facts.Validate(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	if cfg.Progress != nil {
		cfg.Progress(0, 3, "building the fact MLP")
	}
	fact, err := cfg.Builder(b.Facts, cfg.Hidden, cfg.Seed)
	if err != nil {
		return nil, err
	}
	b.MLPSeconds = time.Since(t0).Seconds()
	if b.MLPReport, err = mlp.Verify(fact, b.Facts); err != nil {
		return nil, err
	}
	if !b.MLPReport.Stores() {
		return nil, fmt.Errorf("editing: the fact MLP does not store its facts: %s", b.MLPReport)
	}
	b.LM = NewLM(emb, fact, cfg.KeyHidden, cfg.RouterHidden, cfg.ContextRank, rng.Derive(cfg.Seed, "editing/lm"))
	variants, err := b.variants(fact)
	if err != nil {
		return nil, err
	}
	if cfg.Progress != nil {
		cfg.Progress(1, 3, fmt.Sprintf("training the LM on %d sentences with %d fact MLP(s)", len(variants[0].Sents), len(variants)))
	}
	tr := cfg.Train
	tr.Progress = cfg.Progress
	tr.Seed = cfg.Seed
	if b.Stats, err = b.LM.TrainVariants(variants, tr); err != nil {
		return nil, err
	}
	if cfg.Progress != nil {
		cfg.Progress(2, 3, "caching internals")
	}
	if err := b.cache(); err != nil {
		return nil, err
	}
	return b, nil
}

// variants returns the real fact MLP with its training sentences, followed
// by Config.AdaptiveMaps MLPs built (same builder and width) on random
// re-assignments of the objects, with their sentences.
func (b *Base) variants(fact *mlp.Gated) ([]Variant, error) {
	data, cfg := b.Data, b.Config
	sentences := func(objects []int) [][]int {
		var sents [][]int
		for i := range data.Subjects {
			for t := 0; t < data.NumTrain; t++ {
				sents = append(sents, data.Sentence(i, t, objects[i]))
			}
		}
		return sents
	}
	vs := []Variant{{Fact: fact, Sents: sentences(data.ObjectTok)}}
	all := make([]int, b.NumFacts())
	for i := range all {
		all[i] = i
	}
	for k := 1; k <= cfg.AdaptiveMaps; k++ { // none when negative
		if cfg.Progress != nil {
			cfg.Progress(0, 3, fmt.Sprintf("building adaptive fact MLP %d of %d", k, cfg.AdaptiveMaps))
		}
		objects := permuteObjects(data, all, rng.Derive(cfg.Seed, fmt.Sprintf("editing/adaptive/%d", k)))
		fs := &factset.FactSet{Keys: b.Facts.Keys, Values: b.Facts.Values, Map: objects}
		g, err := cfg.Builder(fs, cfg.Hidden, cfg.Seed+uint64(k)*1000003)
		if err != nil {
			return nil, fmt.Errorf("editing: adaptive fact MLP %d: %w", k, err)
		}
		vs = append(vs, Variant{Fact: g, Sents: sentences(objects)})
	}
	return vs, nil
}

func (b *Base) cache() error {
	N, nT, d := b.NumFacts(), b.NumTemplates(), b.LM.Dim()
	b.qA = mat.NewDense(N*nT, d, nil)
	b.qO = mat.NewDense(N*nT, d, nil)
	b.qG = make([]float64, N*nT)
	b.qLen = make([]int, N*nT)
	var pa, po [][]float64
	stride := 1
	if m := b.Config.OffTargetSentences; m > 0 && N*nT > m {
		stride = (N*nT + m - 1) / m
	}
	for i := 0; i < N; i++ {
		for t := 0; t < nT; t++ {
			s := b.Data.Sentence(i, t, b.Data.ObjectTok[i])
			in, err := b.LM.Internals(s[:len(s)-1])
			if err != nil {
				return err
			}
			q := len(s) - 2
			row := i*nT + t
			b.qA.SetRow(row, in.AHat.RawRowView(q))
			b.qO.SetRow(row, in.O.RawRowView(q))
			b.qG[row] = in.Gate[q]
			b.qLen[row] = len(s)
			if (i*nT+t)%stride != i%stride { // rotate the phrasings across facts
				continue
			}
			for p := 0; p < q; p++ {
				pa = append(pa, append([]float64{}, in.AHat.RawRowView(p)...))
				po = append(po, append([]float64{}, in.O.RawRowView(p)...))
				b.pG = append(b.pG, in.Gate[p])
				b.pY = append(b.pY, s[p+1])
			}
		}
	}
	b.pA = mat.NewDense(len(pa), d, nil)
	b.pO = mat.NewDense(len(po), d, nil)
	for i := range pa {
		b.pA.SetRow(i, pa[i])
		b.pO.SetRow(i, po[i])
	}
	return nil
}

// queryLogits returns logits at the query rows for a fact MLP with an
// optional per-row residual added to the MLP output.
func (b *Base) queryLogits(rows []int, fact *mlp.Gated) *mat.Dense {
	d := b.LM.Dim()
	A := mat.NewDense(len(rows), d, nil)
	O := mat.NewDense(len(rows), d, nil)
	G := make([]float64, len(rows))
	for k, r := range rows {
		A.SetRow(k, b.qA.RawRowView(r))
		O.SetRow(k, b.qO.RawRowView(r))
		G[k] = b.qG[r]
	}
	in := &Internals{AHat: A, Gate: G, O: O}
	return b.LM.Logits(in, fact)
}

// Recall is the fraction of facts whose object is the argmax next token,
// over the training phrasings and over the held-out phrasings, with the
// given fact MLP (nil: the model's own) and the given objects per fact
// (nil: the true ones).
func (b *Base) Recall(fact *mlp.Gated, objects []int) (train, heldOut float64) {
	if objects == nil {
		objects = b.Data.ObjectTok
	}
	N, nT := b.NumFacts(), b.NumTemplates()
	rows := make([]int, 0, N*nT)
	for i := 0; i < N; i++ {
		for t := 0; t < nT; t++ {
			rows = append(rows, i*nT+t)
		}
	}
	L := b.queryLogits(rows, fact)
	var ct, ch, nt, nh float64
	for k, r := range rows {
		i, t := r/nT, r%nT
		_, ok := logSoftmaxAt(L.RawRowView(k), objects[i])
		if t < b.Data.NumTrain {
			nt++
			if ok {
				ct++
			}
		} else {
			nh++
			if ok {
				ch++
			}
		}
	}
	return ct / nt, ch / max(nh, 1)
}

// NonFactCE is the mean next-token cross-entropy over every non-fact label
// (template words and subjects) of every sentence, with the given fact MLP
// (nil: the model's own) and an optional down-projection override.
func (b *Base) NonFactCE(fact *mlp.Gated) float64 { return b.nonFactCEWith(fact, false) }

// NonFactCERouterOpen is NonFactCE with the router forced fully open
// (gate 1) at every non-fact position: the fact MLP's output reaches every
// token, as in a model without a router (an evaluation-only ablation; the
// LM was trained with its router).
func (b *Base) NonFactCERouterOpen(fact *mlp.Gated) float64 { return b.nonFactCEWith(fact, true) }

func (b *Base) nonFactCEWith(fact *mlp.Gated, routerOpen bool) float64 {
	if fact == nil {
		fact = b.LM.Fact
	}
	gate := b.pG
	if routerOpen {
		gate = make([]float64, len(b.pG))
		for i := range gate {
			gate[i] = 1
		}
	}
	in := &Internals{AHat: b.pA, Gate: gate, O: b.pO}
	L := b.LM.Logits(in, fact)
	s := 0.0
	for k, y := range b.pY {
		lp, _ := logSoftmaxAt(L.RawRowView(k), y)
		s -= lp
	}
	return s / float64(len(b.pY))
}

// Ask completes a prompt with the model and the given fact MLP (nil: the
// model's own): it returns the most likely next token's text.
func (b *Base) Ask(prompt string, fact *mlp.Gated) (string, error) {
	toks, err := b.Data.Vocab.Encode(prompt)
	if err != nil {
		return "", err
	}
	in, err := b.LM.Internals(toks)
	if err != nil {
		return "", err
	}
	L := b.LM.Logits(in, fact)
	row := L.RawRowView(len(toks) - 1)
	best := 0
	for j, x := range row {
		if x > row[best] {
			best = j
		}
	}
	return b.Data.Vocab.Text[best], nil
}
