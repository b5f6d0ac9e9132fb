package gomlxtrain

import (
	"fmt"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Signature names a graph's inputs: a graph function reads its inputs by
// name (Inputs) and the caller supplies them by name (Args), so neither
// side counts positions.
//
// Names are single inputs ("lr") or groups of n inputs ("param", n),
// addressed as a slice.
type Signature struct {
	names []string
	index map[string]span
	err   error // the first bad declaration, reported by Exec and Args.List
}

type span struct{ lo, n int }

// NewSignature starts an empty signature.
func NewSignature() *Signature { return &Signature{index: map[string]span{}} }

// Add appends single inputs.
func (s *Signature) Add(names ...string) *Signature {
	for _, n := range names {
		s.Group(n, 1)
	}
	return s
}

// Group appends a group of n inputs named name (n may be 0).
func (s *Signature) Group(name string, n int) *Signature {
	if _, dup := s.index[name]; dup || n < 0 {
		if s.err == nil {
			s.err = fmt.Errorf("gomlxtrain: graph input %q declared twice or with %d entries", name, n)
		}
		return s
	}
	s.index[name] = span{len(s.names), n}
	for i := range n {
		s.names = append(s.names, fmt.Sprintf("%s[%d]", name, i))
	}
	return s
}

// Len is the number of inputs.
func (s *Signature) Len() int { return len(s.names) }

// Exec compiles fn (built with the inputs bound to their names) on be.
func (s *Signature) Exec(be compute.Backend, fn func(in Inputs) []*graph.Node) (*graph.Exec, error) {
	if s.err != nil {
		return nil, s.err
	}
	return graph.NewExec(be, func(nodes []*graph.Node) []*graph.Node {
		return fn(Inputs{s, nodes})
	})
}

// Inputs are a graph's input nodes by name.
type Inputs struct {
	sig   *Signature
	nodes []*graph.Node
}

// Get is the single input name.
func (in Inputs) Get(name string) *graph.Node { return in.Group(name)[0] }

// Group is the group name (a single input is a group of one); the slice is
// a copy. An undeclared name panics, as graph-building errors do in GoMLX;
// graph.Exec returns it as an error.
func (in Inputs) Group(name string) []*graph.Node {
	sp, ok := in.sig.index[name]
	if !ok {
		panic(fmt.Sprintf("gomlxtrain: no graph input %q; declared: %s", name, strings.Join(in.sig.names, ", "))) // a programming error
	}
	return append([]*graph.Node(nil), in.nodes[sp.lo:sp.lo+sp.n]...)
}

// Args collects the values of one call by name.
type Args struct {
	sig  *Signature
	vals []any
	set  []bool
	err  error // the first bad Set, reported by List
}

// Args starts the arguments of one call.
func (s *Signature) Args() *Args {
	return &Args{sig: s, vals: make([]any, len(s.names)), set: make([]bool, len(s.names))}
}

// Set gives the single input name its value (a tensor, a Go scalar or a
// flat slice, as graph.Exec accepts).
func (a *Args) Set(name string, v any) *Args { return a.SetGroup(name, v) }

// SetGroup gives the group name its values, which must be as many as
// declared.
func (a *Args) SetGroup(name string, vs ...any) *Args {
	sp, ok := a.sig.index[name]
	if !ok || len(vs) != sp.n {
		if a.err == nil {
			a.err = fmt.Errorf("gomlxtrain: %d values for graph input %q; declared: %s", len(vs), name, strings.Join(a.sig.names, ", "))
		}
		return a
	}
	for i, v := range vs {
		a.vals[sp.lo+i], a.set[sp.lo+i] = v, true
	}
	return a
}

// SetTensors is SetGroup for a slice of tensors.
func (a *Args) SetTensors(name string, ts []*tensors.Tensor) *Args {
	vs := make([]any, len(ts))
	for i, t := range ts {
		vs[i] = t
	}
	return a.SetGroup(name, vs...)
}

// List returns the values in the signature's order, or an error naming the
// inputs not set (or set wrongly).
func (a *Args) List() ([]any, error) {
	if a.sig.err != nil {
		return nil, a.sig.err
	}
	if a.err != nil {
		return nil, a.err
	}
	var missing []string
	for i, ok := range a.set {
		if !ok {
			missing = append(missing, a.sig.names[i])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("gomlxtrain: graph inputs not set: %s", strings.Join(missing, ", "))
	}
	return a.vals, nil
}
