package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/resources"
)

// factSetFlags are the flags every subcommand that works on a fact set
// shares: either files (--values, optionally --keys and --map) or a generated
// family (--family --n --dim ...), plus --save-factset.
type factSetFlags struct {
	family             string
	n, dim, keysN      int
	kappa, beta        float64
	clusters           int
	spread, angle      float64
	untied             bool
	seed               uint64
	keys, values, fmap string
	save               string
	fs                 *flag.FlagSet
}

// addFactSetFlags registers the fact-set flags on fs.
func addFactSetFlags(fs *flag.FlagSet) *factSetFlags {
	f := &factSetFlags{fs: fs}
	fs.StringVar(&f.family, "family", "spherical", "embedding family: "+strings.Join(factset.Families, "|"))
	fs.IntVar(&f.n, "facts", 1024, "number of facts F of a generated family: F values, and F keys unless --num-keys")
	alias(fs, "n", "facts")
	fs.IntVar(&f.dim, "dim", 64, "embedding dimension d (generated families)")
	fs.IntVar(&f.keysN, "num-keys", 0, "number of keys |K| (default --facts; more with --untied gives a many-to-one map)")
	fs.Float64Var(&f.kappa, "kappa", 10, "condition number κ for --family conditioned")
	fs.Float64Var(&f.beta, "beta", 1.5, "spike strength β for --family spiked")
	fs.IntVar(&f.clusters, "clusters", 0, "number of clusters for --family clustered (default max(2, n/16))")
	fs.Float64Var(&f.spread, "spread", 0.5, "within-cluster spread for --family clustered")
	fs.Float64Var(&f.angle, "angle", 90, "angle in degrees between the two ends of each triple for --family midpoints (ρ ≈ sin(angle/4))")
	fs.BoolVar(&f.untied, "untied", false, "draw keys separately from values (default: keys = values, permutation map)")
	fs.Uint64Var(&f.seed, "seed", 1, "random seed")
	fs.StringVar(&f.keys, "keys", "", "keys table FILE.npy or FILE.safetensors[:TENSOR] (float32/float64, |K|×d); default: the values (tied)")
	fs.StringVar(&f.values, "values", "", "values table FILE.npy or FILE.safetensors[:TENSOR] (float32/float64, |V|×d); replaces the generator flags")
	fs.StringVar(&f.fmap, "map", "", "fact map FILE.npy or FILE.safetensors[:TENSOR] (int64, |K|); default: identity")
	fs.StringVar(&f.save, "save-factset", "", "write keys.npy, values.npy and map.npy of the fact set into DIR")
	return f
}

// sizes are the fact-set sizes the generator flags ask for, or those of
// the files (read from their headers' real sizes), for memory estimates.
func (f *factSetFlags) sizes() (facts, values, dim int) {
	if f.values == "" {
		return max(f.keysN, f.n), f.n, f.dim
	}
	// Files are read whole and bounded by their size; the work on them is
	// estimated once they are loaded.
	return 0, 0, 0
}

// construct is the memory need of building and verifying an MLP of width
// hidden (0: about 2 per fact) on the flags' fact set.
func (f *factSetFlags) construct(hidden int) resources.Need {
	facts, values, dim := f.sizes()
	if hidden == 0 {
		hidden = 2 * facts
	}
	return resources.Construct(facts, values, dim, hidden)
}

// generatorFlagsSet lists generator flags given explicitly on the command line.
func (f *factSetFlags) generatorFlagsSet() []string {
	gen := map[string]bool{"family": true, "facts": true, "n": true, "dim": true, "num-keys": true, "kappa": true, "beta": true,
		"clusters": true, "spread": true, "angle": true, "untied": true, "seed": true}
	var set []string
	f.fs.Visit(func(fl *flag.Flag) {
		if gen[fl.Name] {
			set = append(set, "--"+fl.Name)
		}
	})
	return set
}

// spec is the generator spec the flags describe.
func (f *factSetFlags) spec() factset.Spec {
	s := factset.Spec{Family: f.family, N: f.n, Dim: f.dim, Keys: f.keysN, Untied: f.untied, Seed: f.seed,
		Clusters: f.clusters, Spread: f.spread}
	switch strings.ToLower(f.family) {
	case factset.FamilyConditioned:
		s.Kappa = f.kappa
	case factset.FamilySpiked:
		s.Beta = f.beta
	case factset.FamilyMidpoints:
		s.Angle = f.angle
	}
	return s
}

// build loads or generates the fact set and saves it when --save-factset is
// given. It returns a one-line description of where the fact set came from.
func (f *factSetFlags) build() (*factset.FactSet, string, error) {
	var fs *factset.FactSet
	var desc string
	if f.values != "" {
		if set := f.generatorFlagsSet(); len(set) > 0 {
			return nil, "", fmt.Errorf("--values reads the fact set from files; generator flags %s cannot be combined with it", strings.Join(set, ", "))
		}
		var err error
		fs, err = factset.Load(f.keys, f.values, f.fmap)
		if err != nil {
			return nil, "", err
		}
		desc = "values " + f.values
		if f.keys != "" {
			desc += ", keys " + f.keys
		}
	} else {
		if f.keys != "" || f.fmap != "" {
			return nil, "", fmt.Errorf("--keys and --map need --values (or use the generator flags alone)")
		}
		spec, err := f.spec().Normalize()
		if err != nil {
			return nil, "", err
		}
		fs, err = spec.Generate()
		if err != nil {
			return nil, "", err
		}
		desc = spec.String()
	}
	if f.save != "" {
		if err := fs.Save(f.save); err != nil {
			return nil, "", err
		}
	}
	return fs, desc, nil
}
