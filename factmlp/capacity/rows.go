package capacity

import "fmt"

// Row is a Record as a table row: the tags name the columns a notebook
// shows (kernelext.ShowTable).
type Row struct {
	Label         string  `table:"method"`
	Family        string  `table:"family"`
	Beta          float64 `table:"β"`
	Dim           int     `table:"d"`
	Facts         int     `table:"F"`
	MinHidden     int     `table:"min h"`
	MinParams     int     `table:"min params"`
	FactsPerParam string  `table:"facts/param"` // "—" when no width stores the facts
	Rho           float64 `table:"ρ" fmt:"%.3f"`
	Trials        int     `table:"trials"`
	Seconds       float64 `table:"seconds" fmt:"%.1f"`
}

// Rows turns records into table rows, in order.
func Rows(recs []Record) []Row {
	out := make([]Row, len(recs))
	for i, r := range recs {
		fpp := "—"
		if r.Found {
			fpp = fmt.Sprintf("%.3f", float64(r.Facts)/float64(r.MinParams))
		}
		out[i] = Row{Label: r.Label(), Family: r.Family, Beta: r.Beta, Dim: r.Dim, Facts: r.Facts, MinHidden: r.MinHidden,
			MinParams: r.MinParams, FactsPerParam: fpp, Rho: r.Rho, Trials: len(r.Trials), Seconds: r.Seconds}
	}
	return out
}

// MethodFit is one method's fitted line, or why it has none.
type MethodFit struct {
	Method string `table:"method"`
	Fit
	Err string `table:"no fit because"`
}

// FitEach fits every method with fitOne (e.g. a closure over
// FactsVsParamsFrom or CostVsRho); a method that cannot be fitted keeps its
// row with Err set.
func FitEach(methods []string, fitOne func(method string) (Fit, error)) []MethodFit {
	out := make([]MethodFit, len(methods))
	for i, m := range methods {
		f, err := fitOne(m)
		out[i] = MethodFit{Method: m, Fit: f}
		if err != nil {
			out[i].Err = err.Error()
		}
	}
	return out
}
