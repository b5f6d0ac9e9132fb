package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/factmlp/factmlp/factmlp/editing"
	"github.com/factmlp/factmlp/factmlp/facts"
	"github.com/factmlp/factmlp/factmlp/training"
)

func init() {
	register(command{name: "edit", summary: "edit facts of a one-layer LM (countries → capitals): swap the fact MLP, or MEMIT/ROME/AlphaEdit on its down-projection", run: runEdit})
}

// editJSON is the -json output of factmlp edit.
type editJSON struct {
	Efficacy         float64 `json:"efficacy"`
	Paraphrase       float64 `json:"paraphrase"`
	Specificity      float64 `json:"specificity"`
	Score            float64 `json:"score"`
	OffTargetCEDelta float64 `json:"offtarget_ce_delta"`
	Seconds          float64 `json:"seconds"`
}

func runEdit(args []string, w io.Writer) error {
	fl := flag.NewFlagSet("edit", flag.ContinueOnError)
	method := fl.String("method", "swap", "editing method: "+strings.ReplaceAll(editing.MethodNames, ", ", "|"))
	fraction := fl.Float64("fraction", 0.1, "fraction of facts to alter, in (0, 1] (objects permuted among the altered facts)")
	seed := fl.Uint64("seed", 1, "random seed (embeddings, fact MLP, LM, edit split)")
	relation := fl.String("relation", "capital", "relation: "+strings.ReplaceAll(facts.RelationNames, ", ", "|"))
	relations := fl.String("relations", "", "comma-separated relations for one fact per (country, relation), e.g. capital,region,language (overrides --relation)")
	maxFacts := fl.Int("max-facts", 0, "use only this many countries (0: all)")
	dim := fl.Int("dim", 64, "embedding dimension d")
	hidden := fl.Int("hidden", editing.DefaultHidden, "fact-MLP hidden width")
	epochs := fl.Int("mlp-epochs", editing.DefaultMLPEpochs, "GD epochs of the fact MLP (and of the swapped-in one)")
	loss := fl.String("mlp-loss", "ce", "GD loss of the fact MLP: ce (over every token) | mse")
	adaptive := fl.Int("adaptive-maps", editing.DefaultAdaptiveMaps, "extra fact MLPs (random re-assignments of the objects) that take turns in the MLP slot while the LM trains (fact-adaptive training); 0: none")
	steps := fl.Int("steps", 1600, "maximum LM training steps (early stop at 99.5% fact recall)")
	gridName := fl.String("grid", "default", "baseline hyper-parameter grid: default|small")
	asJSON := fl.Bool("json", false, `print {"efficacy","paraphrase","specificity","score","offtarget_ce_delta","seconds"} only`)
	if done, err := parseFlags(fl, args); done {
		return err
	}
	m, err := editing.ParseMethod(*method)
	if err != nil {
		return err
	}
	var grid editing.Grid
	switch *gridName {
	case "default":
		grid = editing.DefaultGrid()
	case "small":
		grid = editing.SmallGrid()
	default:
		return fmt.Errorf("unknown --grid %q; accepted: default, small", *gridName)
	}
	if !(*fraction > 0 && *fraction <= 1) {
		return fmt.Errorf("--fraction %g; it must be in (0, 1]", *fraction)
	}
	if *hidden < 1 || *dim < 4 || *steps < 1 || *epochs < 1 || *maxFacts < 0 || *adaptive < 0 {
		return fmt.Errorf("--hidden %d, --dim %d, --steps %d, --mlp-epochs %d, --max-facts %d, --adaptive-maps %d: need hidden ≥ 1, dim ≥ 4, steps ≥ 1, mlp-epochs ≥ 1, max-facts ≥ 0, adaptive-maps ≥ 0",
			*hidden, *dim, *steps, *epochs, *maxFacts, *adaptive)
	}
	lossV, err := training.ParseLoss(*loss)
	if err != nil {
		return err
	}
	var rels []string
	if *relations != "" {
		rels = strings.Split(*relations, ",")
		*relation = *relations
	}
	maps := *adaptive
	if maps == 0 {
		maps = -1 // Config: 0 takes the default, negative means none
	}
	base, err := editing.BuildBase(editing.Config{MLPLoss: lossV, Relation: *relation, Relations: rels, MaxFacts: *maxFacts, Dim: *dim, Hidden: *hidden,
		MLPEpochs: *epochs, AdaptiveMaps: maps, Seed: *seed, Train: editing.TrainOptions{Steps: *steps, TargetAcc: 0.995}})
	if err != nil {
		return err
	}
	sp, err := base.NewSplit(*fraction, *seed)
	if err != nil {
		return err
	}
	res, err := base.Run(m, sp, grid)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(w, editJSON{Efficacy: res.Efficacy, Paraphrase: res.Paraphrase,
			Specificity: res.Specificity, Score: res.Score, OffTargetCEDelta: res.OffTargetCEDelta, Seconds: res.Seconds})
	}
	train, held := base.Recall(nil, nil)
	fmt.Fprintf(w, "base model: %d facts (%s), fact MLP %s, LM recall %.4f (training phrasings), %.4f (held-out phrasings)\n",
		base.NumFacts(), *relation, base.MLPReport, train, held)
	fmt.Fprintf(w, "%s at %.0f%% (%d facts altered, best of %d settings: %s)\n", m, 100**fraction, len(sp.Altered), res.Tried, res.Params)
	fmt.Fprintf(w, "efficacy %.4f  paraphrase %.4f  specificity %.4f  score %.4f  off-target CE change %+.2f%%  edit time %.2fs\n",
		res.Efficacy, res.Paraphrase, res.Specificity, res.Score, 100*res.OffTargetCEDelta, res.Seconds)
	return nil
}
