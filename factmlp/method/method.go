package method

import (
	"errors"
	"fmt"
	"math"

	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// Method is how a fact MLP gets built.
type Method interface {
	// Name is the method's registry name ("encdec", "gd", ...).
	Name() string
	// Prepare does the work shared by every width for fs (separators, a
	// decoder) and returns the Builder of fs; seed seeds every random draw.
	Prepare(fs *factset.FactSet, seed uint64) (Builder, error)
}

// Builder builds one method's MLPs for one fact set.
type Builder interface {
	// Build builds the MLP of hidden width hidden (0: the method's default
	// width, or an error for methods without one) and checks it with
	// mlp.Verify on the fact set. An MLP that does not store every fact is
	// returned with its report and a nil error; a width at which the
	// method cannot build at all is a *WidthError; any other error is a
	// failure (bad input, a failed training run).
	Build(hidden int) (*mlp.Gated, mlp.Report, error)
	// FirstWidth is a guess of the smallest storing width, where width
	// searches start.
	FirstWidth() int
}

// WidthError says a method cannot build an MLP at a hidden width (e.g. too
// few units for the encoder system); a width search reads it as "this width
// does not store".
type WidthError struct {
	Method string
	Hidden int
	Err    error
}

func (e *WidthError) Error() string {
	return fmt.Sprintf("method %s: no MLP at hidden width %d: %v", e.Method, e.Hidden, e.Err)
}

func (e *WidthError) Unwrap() error { return e.Err }

// IsWidthError reports whether err says that a width cannot be built.
func IsWidthError(err error) bool {
	var we *WidthError
	return errors.As(err, &we)
}

// BuildFunc makes a fact MLP of width hidden storing fs, from seed: the
// one-call shape of a Method for callers that build one MLP per fact set
// (the Transformer's MLP, the editing experiments' swapped-in MLPs).
type BuildFunc func(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error)

// Verified returns m as a BuildFunc whose MLPs store every fact in float64
// and float32 (mlp.Report.Stores); anything less is an error.
func Verified(m Method) BuildFunc {
	return func(fs *factset.FactSet, hidden int, seed uint64) (*mlp.Gated, error) {
		b, err := m.Prepare(fs, seed)
		if err != nil {
			return nil, err
		}
		g, rep, err := b.Build(hidden)
		if err != nil {
			return nil, err
		}
		if !rep.Stores() {
			return nil, fmt.Errorf("method %s: the MLP with hidden width %d does not store the facts (%v)", m.Name(), g.Hidden(), rep)
		}
		return g, nil
	}
}

// FromFunc makes a Method named name from a BuildFunc (whose errors all
// count as "this width does not store"); its first width guess is the
// number of facts.
func FromFunc(name string, f BuildFunc) Method { return funcMethod{name, f} }

type funcMethod struct {
	name string
	f    BuildFunc
}

func (m funcMethod) Name() string { return m.name }

func (m funcMethod) Prepare(fs *factset.FactSet, seed uint64) (Builder, error) {
	if m.f == nil {
		return nil, fmt.Errorf("method %s: no build function", m.name)
	}
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	return funcBuilder{m, fs, seed}, nil
}

type funcBuilder struct {
	m    funcMethod
	fs   *factset.FactSet
	seed uint64
}

func (b funcBuilder) Build(hidden int) (*mlp.Gated, mlp.Report, error) {
	g, err := b.m.f(b.fs, hidden, b.seed)
	if err != nil {
		return nil, mlp.Report{}, &WidthError{b.m.name, hidden, err}
	}
	rep, err := mlp.Verify(g, b.fs)
	return g, rep, err
}

func (b funcBuilder) FirstWidth() int { return b.fs.NumFacts() }

// firstGuess is the width where searches start for trained methods:
// GD-trained MLPs store a few tenths of a fact per parameter (F ≈ 0.8·h·d
// measured at d = 32), so h = 1.25·F/d.
func firstGuess(fs *factset.FactSet) int {
	return max(1, int(math.Ceil(1.25*float64(fs.NumFacts())/float64(fs.Dim()))))
}
