package method

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
)

// NTK is the gated NTK baseline of Nichani et al. (2024) with Hermite degree
// 1 (construction.NTKUnverified). It has no default width.
type NTK struct {
	Act mlp.Activation // gate (default ReLU)
}

// Name is "ntk".
func (NTK) Name() string { return "ntk" }

// Prepare checks fs; the NTK draws everything afresh at each width.
func (m NTK) Prepare(fs *factset.FactSet, seed uint64) (Builder, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	return ntkBuilder{m, fs, seed}, nil
}

type ntkBuilder struct {
	m    NTK
	fs   *factset.FactSet
	seed uint64
}

func (b ntkBuilder) Build(hidden int) (*mlp.Gated, mlp.Report, error) {
	if hidden < 1 {
		return nil, mlp.Report{}, fmt.Errorf("method ntk: hidden width %d; ntk needs a hidden width ≥ 1", hidden)
	}
	g, err := construction.NTKUnverified(b.fs, hidden, construction.NTKOptions{Act: b.m.Act, Seed: b.seed})
	if err != nil {
		return nil, mlp.Report{}, err
	}
	rep, err := mlp.Verify(g, b.fs)
	return g, rep, err
}

// FirstWidth is at least 4d: the NTK needs many more units than d.
func (b ntkBuilder) FirstWidth() int { return max(firstGuess(b.fs), 4*b.fs.Dim()) }
