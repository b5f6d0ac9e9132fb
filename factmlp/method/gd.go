package method

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/training"
	"gonum.org/v1/gonum/mat"
)

// GD trains the gated MLP by gradient descent (training.Train). It has no
// default width.
type GD struct {
	// Options are the training settings; Hidden and Seed are set per
	// build (zero values: package training's defaults, identity gate).
	Options training.Options
	// Retries is how many times Build trains again, with twice the epochs
	// each time, while the MLP does not store every fact in float64 (a hard
	// map sometimes needs more epochs).
	Retries int
	// Trainer trains one MLP (nil: training.Train). A sweep passes a
	// training.Together's Train, so the seeds' searches train side by side.
	Trainer func(*factset.FactSet, training.Options) (*training.Result, error)
}

// Name is "gd".
func (GD) Name() string { return "gd" }

// Prepare checks fs; GD has no state shared across widths.
func (m GD) Prepare(fs *factset.FactSet, seed uint64) (Builder, error) {
	if err := fs.Validate(); err != nil {
		return nil, err
	}
	if m.Retries < 0 {
		return nil, fmt.Errorf("method gd: %d retries; it must be ≥ 0", m.Retries)
	}
	return gdBuilder{m, fs, seed}, nil
}

type gdBuilder struct {
	m    GD
	fs   *factset.FactSet
	seed uint64
}

func (b gdBuilder) Build(hidden int) (*mlp.Gated, mlp.Report, error) {
	if hidden < 1 {
		return nil, mlp.Report{}, fmt.Errorf("method gd: hidden width %d; gd needs a hidden width ≥ 1", hidden)
	}
	o := b.m.Options
	o.Hidden, o.Seed = hidden, b.seed
	train := b.m.Trainer
	if train == nil {
		train = training.Train
	}
	var res *training.Result
	for attempt := 0; attempt <= b.m.Retries; attempt++ {
		var err error
		if res, err = train(b.fs, o); err != nil {
			return nil, mlp.Report{}, err
		}
		if res.Stored {
			break
		}
		o.Epochs = 2 * o.Epochs
	}
	return res.MLP, res.Report, nil
}

func (b gdBuilder) FirstWidth() int { return firstGuess(b.fs) }

// EncDecGD is the gradient-based encoder–decoder (training.EncDecGD): the
// decoder of the construction (drawn once per fact set) and an encoder
// trained by GD. Its default width is 2·m·⌈|K|/d⌉.
type EncDecGD struct {
	// Options are the encoder's training settings (zero values: package
	// training's defaults, MSE to the codes).
	Options training.Options
	// CodeDim is the code dimension m (0: the smallest that decodes).
	CodeDim int
	// NoRefine keeps every code exactly R·u*_v (construction.DecoderOptions).
	NoRefine bool
}

// Name is "encdec-gd".
func (EncDecGD) Name() string { return "encdec-gd" }

// Prepare draws the decoder R and the codes of fs.
func (m EncDecGD) Prepare(fs *factset.FactSet, seed uint64) (Builder, error) {
	sep, err := construction.ComputeSeparators(fs)
	if err != nil {
		return nil, err
	}
	var dec *construction.DecoderResult
	if m.CodeDim > 0 {
		dec, err = construction.DecoderAt(sep, fs.Values, seed, m.CodeDim, construction.DecoderOptions{NoRefine: m.NoRefine})
	} else {
		dec, err = construction.MinDecoder(sep, fs.Values, seed, construction.DecoderOptions{NoRefine: m.NoRefine})
	}
	if err != nil {
		return nil, err
	}
	return &encdecGDBuilder{m: m, fs: fs, seed: seed, R: dec.R, codes: dec.Codes}, nil
}

type encdecGDBuilder struct {
	m        EncDecGD
	fs       *factset.FactSet
	seed     uint64
	R, codes *mat.Dense
}

func (b *encdecGDBuilder) codeDim() int { m, _ := b.R.Dims(); return m }

func (b *encdecGDBuilder) Build(hidden int) (*mlp.Gated, mlp.Report, error) {
	if hidden == 0 {
		F, d := b.fs.NumFacts(), b.fs.Dim()
		hidden = 2 * b.codeDim() * ((F + d - 1) / d)
	}
	o := b.m.Options
	o.Hidden, o.Seed = hidden, b.seed
	res, err := training.EncDecGD(b.fs, training.EncDecOptions{Options: o, R: b.R, Codes: b.codes})
	if err != nil {
		return nil, mlp.Report{}, err
	}
	return res.MLP, res.Report, nil
}

// FirstWidth is at least m: the encoder needs a unit per code coordinate.
func (b *encdecGDBuilder) FirstWidth() int { return max(firstGuess(b.fs), b.codeDim()) }
