package transformer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/factmlp/factmlp/factmlp/capacity"
	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/geometry"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/training"
)

// Methods maps the MLP method names the CLI and notebooks accept to makers.
// hidden = 0 lets the method choose its width (encdec: the smallest code
// dimension that decodes; gd and ntk need a width).
var Methods = map[string]Maker{
	"encdec": EncDec,
	"ntk": func(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error) {
		if hidden < 1 {
			return nil, fmt.Errorf("transformer: the ntk method needs --hidden ≥ 1")
		}
		return verified(capacity.NTK(fs, hidden, mlp.ReLU, seed))(fs)
	},
	"gd": func(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error) {
		if hidden < 1 {
			return nil, fmt.Errorf("transformer: the gd method needs --hidden ≥ 1")
		}
		res, err := training.Train(fs, training.Options{Hidden: hidden, Act: mlp.ReLU, Seed: seed})
		if err != nil {
			return nil, err
		}
		if !res.Stored {
			return nil, fmt.Errorf("transformer: gd with hidden %d does not store the facts (%v)", hidden, res.Report)
		}
		return res.MLP, nil
	},
	"lookup": Lookup,
}

// MethodNames lists the accepted method names.
func MethodNames() []string {
	var n []string
	for k := range Methods {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// MakerFor returns the named maker or an error listing the accepted names.
func MakerFor(name string) (Maker, error) {
	mk, ok := Methods[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("transformer: unknown MLP method %q; accepted: %s", name, strings.Join(MethodNames(), ", "))
	}
	return mk, nil
}

func verified(g *mlp.Gated, err error) func(fs *factset.FactSet) (*mlp.Gated, error) {
	return func(fs *factset.FactSet) (*mlp.Gated, error) {
		if err != nil {
			return nil, err
		}
		rep, err := mlp.Verify(g, fs)
		if err != nil {
			return nil, err
		}
		if !rep.Stores() {
			return nil, fmt.Errorf("transformer: %s MLP with hidden %d does not store the facts (%v)", g.Method, g.Hidden(), rep)
		}
		return g, nil
	}
}

// EncDec is the encoder–decoder construction (package construction) as a
// Maker; hidden = 0 uses its default width.
func EncDec(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error) {
	g, _, err := construction.EncDec(fs, construction.Options{Seed: seed, Hidden: hidden})
	return g, err
}

// WhitenedEncDec returns a Maker that builds the encoder–decoder MLP for the
// values whitened with strength alpha (geometry.Whitener) and folds W_α into
// the down projection, so the MLP decodes against the original values.
func WhitenedEncDec(alpha float64) Maker {
	return func(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error) {
		w, err := geometry.NewWhitener(fs.Values, alpha, 0)
		if err != nil {
			return nil, err
		}
		g, _, err := construction.EncDec(w.FactSet(fs), construction.Options{Seed: seed, Hidden: hidden})
		if err != nil {
			return nil, err
		}
		g.Down, g.DownBias = w.FoldDown(g.Down, g.DownBias)
		g.Method = fmt.Sprintf("encdec-whiten%.2g", alpha)
		return verified(g, nil)(fs)
	}
}
