package editing

import "github.com/factmlp/factmlp/factmlp/progress"

// Study is an editing experiment: build the base model of Base, then apply
// every method at every edit fraction (one split per fraction, drawn from
// SplitSeed), each baseline with its best setting from Grid. It is
// JSON-encodable, so a notebook can cache the result under the study itself.
type Study struct {
	Base      Config
	Methods   []string
	Fractions []float64
	Grid      Grid
	SplitSeed uint64
}

// StudyResult is the base model's quality and every edit's result.
type StudyResult struct {
	Facts, Hidden int
	MLP           string // the base fact MLP's verification report
	RecallTrain   float64
	RecallHeldOut float64
	NonFactCE     float64
	Results       []Result // method-minor, fraction-major (Base.Sweep's order)
}

// Run builds the base model and runs the sweep; prog sees the base model's
// training, then the edits.
func (s Study) Run(prog progress.Func) (StudyResult, error) {
	cfg := s.Base
	cfg.Progress = prog
	b, err := BuildBase(cfg)
	if err != nil {
		return StudyResult{}, err
	}
	tr, ho := b.Recall(nil, nil)
	res, err := b.Sweep(s.Methods, s.Fractions, s.Grid, s.SplitSeed, prog)
	return StudyResult{Facts: b.NumFacts(), Hidden: cfg.Hidden, MLP: b.MLPReport.String(), RecallTrain: tr, RecallHeldOut: ho,
		NonFactCE: b.NonFactCE(nil), Results: res}, err
}

// BestBaseline returns, per edit fraction, the best score among the
// results whose method is not Swap: what swapping is compared with.
func BestBaseline(results []Result) map[float64]float64 {
	best := map[float64]float64{}
	for _, r := range results {
		if r.Method != Swap && r.Score > best[r.Fraction] {
			best[r.Fraction] = r.Score
		}
	}
	return best
}
