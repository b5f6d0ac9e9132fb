package capacity

import (
	"fmt"
	"strings"
)

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
