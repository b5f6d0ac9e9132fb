package capacity

import (
	"fmt"
	"strings"
)

// RhoStudy is the "decodability predicts cost" grid: one fact-set size and
// dimension, the spherical family plus spiked families of growing β, measured
// with encdec and with GD trained under cross-entropy and under MSE.
type RhoStudy struct {
	Facts, Dim  int
	EncDecBetas []float64 // spiked β measured with encdec (besides spherical)
	GDBetas     []float64 // spiked β measured with GD, CE and MSE (besides spherical)
	GD          GD        // GD settings (Loss is set per config)
	Seeds       []uint64  // default: [1]
	// Keys "spherical" draws isotropic keys for every family (only the
	// values follow it); "" ties keys to values.
	Keys string
}

// Configs expands s into three sweeps: encdec, GD with cross-entropy, GD with MSE.
func (s RhoStudy) Configs() []Config {
	families := func(betas []float64) []Family {
		fams := []Family{{Family: "spherical", Keys: s.Keys}}
		for _, b := range betas {
			fams = append(fams, Family{Family: "spiked", Beta: b, Keys: s.Keys})
		}
		return fams
	}
	gd := func(loss string) Config {
		g := s.GD
		g.Loss = loss
		return Config{Methods: []string{"gd"}, Dims: []int{s.Dim}, Facts: []int{s.Facts}, Families: families(s.GDBetas), GD: g, Seeds: s.Seeds, RelTol: 0.05}
	}
	return []Config{
		{Methods: []string{"encdec"}, Dims: []int{s.Dim}, Facts: []int{s.Facts}, Families: families(s.EncDecBetas), Seeds: s.Seeds},
		gd(s.GD.Loss), gd("mse"),
	}
}

// SweepAll runs Sweep on each config in turn and concatenates the records.
// opts.Progress restarts for every config, its note prefixed by the
// config's series label (e.g. "gd-mse"; "encdec+ntk+gd" for several methods).
func SweepAll(cfgs []Config, opts SweepOptions) ([]Record, error) {
	var all []Record
	for i, c := range cfgs {
		if len(c.Methods) == 0 {
			return nil, fmt.Errorf("capacity: config %d of %d has no methods", i+1, len(cfgs))
		}
		o := opts
		label := strings.Join(c.Methods, "+")
		if len(c.Methods) == 1 {
			label = Record{Method: c.Methods[0], Loss: c.GD.Loss}.Label()
		}
		o.Progress = func(done, total int, note string) { opts.Progress.Report(done, total, label+": "+note) }
		recs, err := Sweep(c, o)
		if err != nil {
			return nil, fmt.Errorf("capacity: %s sweep: %w", label, err)
		}
		all = append(all, recs...)
	}
	return all, nil
}
