package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/factmlp/factmlp/factmlp/editing"
	"github.com/factmlp/factmlp/factmlp/facts"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/training"
)

func init() {
	register(command{name: "edit", summary: "edit facts of a one-layer LM (countries → capitals, or book → author): swap the fact MLP, or MEMIT/ROME/AlphaEdit on its down-projection", run: runEdit})
}

// editJSON is the -json output of factmlp edit. Seconds is the wall time
// of the whole command (base model and edit); BaseSeconds and EditSeconds
// are its two parts.
type editJSON struct {
	Facts             int     `json:"facts"`
	Hidden            int     `json:"hidden"`
	Altered           int     `json:"altered"`
	BaseRecall        float64 `json:"base_recall"`
	Efficacy          float64 `json:"efficacy"`
	Paraphrase        float64 `json:"paraphrase"`
	Specificity       float64 `json:"specificity"`
	Score             float64 `json:"score"`
	ValidationScore   float64 `json:"validation_score"`
	Params            string  `json:"params"`
	OffTargetCEDelta  float64 `json:"offtarget_ce_delta"`
	OffTargetPPLRatio float64 `json:"offtarget_ppl_ratio"`
	BaseSeconds       float64 `json:"base_seconds"`
	EditSeconds       float64 `json:"edit_seconds"`
	Seconds           float64 `json:"seconds"`
}

func runEdit(args []string, w io.Writer) error {
	start := time.Now()
	fl := flag.NewFlagSet("edit", flag.ContinueOnError)
	editMethod := fl.String("method", "swap", "editing method: "+strings.ReplaceAll(editing.MethodNames, ", ", "|"))
	factsName := fl.String("facts", editing.FactsCountries, "fact set: "+strings.ReplaceAll(editing.FactsNames, ", ", "|")+" (books: the authors' book → author table)")
	n := fl.Int("n", 0, fmt.Sprintf("books: the first N rows (2 to %d; 0: all); countries: a seeded subset of N (0: all)", facts.BooksShipped))
	paper := fl.Bool("paper", false, "the authors' configuration: --facts books --n 16384 --dim 256 --hidden 512 --mlp-loss mse, no fact-adaptive training (about 10–20 CPU-hours for one edit, estimated; see go doc ./factmlp/cmd/factmlp)")
	fraction := fl.Float64("fraction", 0.1, "fraction of facts to alter, in (0, 1] (objects permuted among the altered facts)")
	seed := fl.Uint64("seed", 1, "random seed of the base model (embeddings, fact MLP, LM)")
	splitSeed := fl.Uint64("split-seed", 42, "random seed of the edit split (which facts change, their new objects, edit phrasings; the validation split derives from it)")
	relation := fl.String("relation", "capital", "countries: relation "+strings.ReplaceAll(facts.RelationNames, ", ", "|"))
	relations := fl.String("relations", "", "countries: comma-separated relations for one fact per (country, relation), e.g. capital,region,language (overrides --relation)")
	maxFacts := fl.Int("max-facts", 0, "same as --n (kept for older scripts)")
	dim := fl.Int("dim", 64, "embedding dimension d")
	hidden := fl.Int("hidden", 0, fmt.Sprintf("fact-MLP hidden width (0: the fact set's default, countries %d, books ⌈%d·N/(3d)⌉, the authors' parameters per fact)", editing.DefaultHidden, editing.BooksParamsPerFact))
	epochs := fl.Int("mlp-epochs", editing.DefaultMLPEpochs, "GD epochs of the fact MLP (and of the swapped-in one)")
	loss := fl.String("mlp-loss", "", "GD loss of the fact MLP: ce (over every token) | mse (default: countries ce, books mse)")
	adaptive := fl.Int("adaptive-maps", 0, fmt.Sprintf("extra fact MLPs (random re-assignments of the objects) that take turns in the MLP slot while the LM trains (fact-adaptive training); 0: the fact set's default (countries %d, books none)", editing.DefaultAdaptiveMaps))
	noAdaptive := fl.Bool("no-adaptive", false, "train the LM with its single fact MLP (no fact-adaptive training; the books default)")
	steps := fl.Int("steps", 1600, "maximum LM training steps (early stop at 99.5% fact recall)")
	mlpMethod := fl.String("mlp-method", editing.SwapMethodBase, "with --method swap: how the swapped-in fact MLP is built, any registered method ("+strings.Join(method.Names(), "|")+"); gd: the base MLP's own GD training (the authors' protocol). The base model's MLP is always GD")
	swapHidden := fl.Int("swap-hidden", 0, "with --method swap: hidden width of the swapped-in MLP (0: --hidden)")
	gridName := fl.String("grid", "default", "baseline hyper-parameter grid: default|small")
	quiet := fl.Bool("quiet", false, "no progress lines on stderr")
	asJSON := fl.Bool("json", false, `print one JSON object: facts, hidden, altered, base_recall, efficacy, paraphrase, specificity, score, validation_score, params, offtarget_ce_delta, offtarget_ppl_ratio, base_seconds, edit_seconds, seconds`)
	if done, err := parseFlags(fl, args); done {
		return err
	}
	m, err := editing.ParseMethod(*editMethod)
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
	if *factsName != editing.FactsCountries && *factsName != editing.FactsBooks {
		return fmt.Errorf("unknown --facts %q; accepted: %s", *factsName, editing.FactsNames)
	}
	if !(*fraction > 0 && *fraction <= 1) {
		return fmt.Errorf("--fraction %g; it must be in (0, 1]", *fraction)
	}
	if *n == 0 {
		*n = *maxFacts
	}
	if *dim < 4 || *steps < 1 || *epochs < 1 {
		return fmt.Errorf("--dim %d, --steps %d, --mlp-epochs %d: need dim ≥ 4, steps ≥ 1, mlp-epochs ≥ 1", *dim, *steps, *epochs)
	}
	if *mlpMethod != editing.SwapMethodBase || *swapHidden != 0 {
		if m != editing.Swap {
			return fmt.Errorf("--mlp-method %s, --swap-hidden %d: they apply to --method swap only, not %s (the baselines edit the base GD MLP)", *mlpMethod, *swapHidden, m)
		}
		if _, err := method.Lookup(*mlpMethod); err != nil {
			return fmt.Errorf("--mlp-method: %w", err)
		}
		if *swapHidden < 0 {
			return fmt.Errorf("--swap-hidden %d; accepted: ≥ 1, or 0 for --hidden", *swapHidden)
		}
	}
	if *noAdaptive && *adaptive > 0 {
		return fmt.Errorf("--no-adaptive with --adaptive-maps %d; give one of them", *adaptive)
	}
	if *factsName == editing.FactsBooks && (*n == 1 || *n > facts.BooksShipped) {
		return fmt.Errorf("--n %d: books need 2 to %d facts (0: all)", *n, facts.BooksShipped)
	}
	var lossV training.Loss
	if *loss != "" {
		if lossV, err = training.ParseLoss(*loss); err != nil {
			return err
		}
	}
	var rels []string
	if *relations != "" {
		rels = strings.Split(*relations, ",")
		*relation = *relations
	}
	maps := *adaptive // Config: 0 takes the fact set's default
	if *noAdaptive {
		maps = -1 // Config: negative means none
	}
	cfg := editing.Config{Facts: *factsName, MLPLoss: lossV, Relation: *relation, Relations: rels, MaxFacts: *n, Dim: *dim, Hidden: *hidden,
		MLPEpochs: *epochs, AdaptiveMaps: maps, Seed: *seed, SwapMethod: *mlpMethod, SwapHidden: *swapHidden, Train: editing.TrainOptions{Steps: *steps, TargetAcc: 0.995}}
	if *paper {
		p := editing.PaperBooksConfig()
		cfg.Facts, cfg.MaxFacts, cfg.Dim, cfg.Hidden, cfg.MLPLoss, cfg.AdaptiveMaps = p.Facts, p.MaxFacts, p.Dim, p.Hidden, p.MLPLoss, p.AdaptiveMaps
	}
	cfg.Progress = progressTo(*quiet, "edit: ")
	base, err := editing.BuildBase(cfg)
	if err != nil {
		return err
	}
	baseSec := time.Since(start).Seconds()
	sp, err := base.NewSplit(*fraction, *splitSeed)
	if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(errOut, "edit: base model ready after %.1fs; %s on %d of %d facts\n", baseSec, m, len(sp.Altered), base.NumFacts())
	}
	t1 := time.Now()
	res, err := base.Run(m, sp, grid)
	if err != nil {
		return err
	}
	editSec := time.Since(t1).Seconds()
	train, held := base.Recall(nil, nil)
	total := time.Since(start).Seconds()
	if *asJSON {
		return writeJSON(w, editJSON{Facts: base.NumFacts(), Hidden: base.Config.Hidden, Altered: len(sp.Altered), BaseRecall: train,
			Efficacy: res.Efficacy, Paraphrase: res.Paraphrase, Specificity: res.Specificity, Score: res.Score,
			ValidationScore: res.ValidationScore, Params: res.Params,
			OffTargetCEDelta: res.OffTargetCEDelta, OffTargetPPLRatio: res.OffTargetPPLRatio, BaseSeconds: baseSec, EditSeconds: editSec, Seconds: total})
	}
	name := base.Data.Relation.Name
	fmt.Fprintf(w, "base model: %d facts (%s, %s), fact MLP width %d %s, LM recall %.4f (training phrasings), %.4f (held-out phrasings)\n",
		base.NumFacts(), cfg.Facts, name, base.Config.Hidden, base.MLPReport, train, held)
	fmt.Fprintf(w, "%s at %.0f%% (%d facts altered, split seed %d; setting chosen on a validation split among %d: %s)\n", m, 100**fraction, len(sp.Altered), *splitSeed, res.Tried, res.Params)
	fmt.Fprintf(w, "efficacy %.4f  paraphrase %.4f  specificity %.4f  score %.4f  off-target CE change %+.2f%% (perplexity ratio %.4f)\n",
		res.Efficacy, res.Paraphrase, res.Specificity, res.Score, 100*res.OffTargetCEDelta, res.OffTargetPPLRatio)
	fmt.Fprintf(w, "time: base model %.1fs, edit %.1fs, total %.1fs\n", baseSec, editSec, total)
	return nil
}
