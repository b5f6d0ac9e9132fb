package transformer

import (
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/method"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// MLPMethod returns the registered method name (package method) as the
// Transformer uses it: with a ReLU gate wherever the method takes one.
func MLPMethod(name string) (method.Method, error) {
	e, err := method.Lookup(name)
	if err != nil {
		return nil, err
	}
	var s method.Settings
	if e.Unused(method.Settings{Act: mlp.ReLU}) == nil {
		s.Act = mlp.ReLU
	}
	return e.New(s)
}

// Maker is method.BuildFunc.
//
// Deprecated: give RunConfig.MLP a method.Method instead.
type Maker = method.BuildFunc

// Methods maps every registered method name to its verified BuildFunc with a
// ReLU gate (MLPMethod).
//
// Deprecated: use MLPMethod and method.Names.
var Methods = func() map[string]Maker {
	out := map[string]Maker{}
	for _, n := range method.Names() {
		if m, err := MLPMethod(n); err == nil {
			out[n] = method.Verified(m)
		}
	}
	return out
}()

// MakerFor returns the named method's verified BuildFunc.
//
// Deprecated: use MLPMethod.
func MakerFor(name string) (Maker, error) {
	m, err := MLPMethod(name)
	if err != nil {
		return nil, err
	}
	return method.Verified(m), nil
}

// EncDec is the encoder–decoder construction as a verified BuildFunc;
// hidden = 0 uses its default width.
//
// Deprecated: use method.Verified(method.EncDec{}).
func EncDec(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error) {
	return method.Verified(method.EncDec{})(fs, hidden, seed)
}

// WhitenedEncDec returns the whitened encoder–decoder construction as a
// verified BuildFunc.
//
// Deprecated: use method.WhitenedEncDec{Alpha: alpha}.
func WhitenedEncDec(alpha float64) Maker {
	return method.Verified(method.WhitenedEncDec{Alpha: alpha})
}
