package transformer

import (
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
