package capacity

import (
	"errors"
	"math"
	"testing"

	"github.com/factmlp/factmlp/factmlp/fit"
)

func TestRows(t *testing.T) {
	rows := Rows([]Record{
		{Method: "gd", Loss: "mse", Family: "spiked", Beta: 5, Dim: 8, Facts: 64, Found: true, MinHidden: 10, MinParams: 256, Rho: 0.25, Trials: make([]Trial, 3), Seconds: 1.5},
		{Method: "ntk", Family: "spherical", Dim: 8, Facts: 64},
	})
	want := Row{Label: "gd-mse", Family: "spiked", Beta: 5, Dim: 8, Facts: 64, MinHidden: 10, MinParams: 256, FactsPerParam: "0.250", Rho: 0.25, Trials: 3, Seconds: 1.5}
	if len(rows) != 2 || rows[0] != want {
		t.Errorf("row 0 = %+v, want %+v", rows[0], want)
	}
	if rows[1].FactsPerParam != "—" {
		t.Errorf("unfound record: facts/param %q, want —", rows[1].FactsPerParam)
	}
}

func TestFitEach(t *testing.T) {
	fits := FitEach([]string{"a", "b"}, func(m string) (Fit, error) {
		if m == "b" {
			return Fit{}, errors.New("b has 1 point")
		}
		return fit.PowerLaw([]float64{1, 2, 4}, []float64{3, 6, 12})
	})
	if len(fits) != 2 || fits[0].Method != "a" || math.Abs(fits[0].Slope-1) > 1e-12 || fits[0].Err != "" || fits[1].Err != "b has 1 point" {
		t.Errorf("FitEach = %+v", fits)
	}
}
