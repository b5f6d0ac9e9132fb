package plots

import (
	"strings"
	"testing"

	"github.com/factmlp/factmlp/factmlp/transformer"
)

func widthSearches() []transformer.ScalingPoint {
	return []transformer.ScalingPoint{
		{Method: "encdec", Facts: 64, Seed: 1, Threshold: 0.99, StandaloneHidden: 10, MinHidden: 12, Trials: []transformer.CapacityTrial{
			{Hidden: 10, Params: 100, Recall: 0.9, FactAdaptive: 0.8}, {Hidden: 14, Params: 140, Recall: 1, FactAdaptive: 1, Passed: true},
			{Hidden: 12, Params: 120, Recall: 0.995, FactAdaptive: 0.992, Passed: true}, {Hidden: 11, Note: "cannot store the fresh map"}}},
		{Method: "encdec", Facts: 64, Seed: 2, Threshold: 0.99, StandaloneHidden: 10, MinHidden: 10, Trials: []transformer.CapacityTrial{
			{Hidden: 10, Params: 100, Recall: 0.999, FactAdaptive: 0.995, Passed: true}}},
		{Method: "gd", Facts: 64, Seed: 1, Threshold: 0.99, StandaloneHidden: 3, MinHidden: 4, Trials: []transformer.CapacityTrial{
			{Hidden: 4, Params: 40, Recall: 1, FactAdaptive: 1, Passed: true}}},
	}
}

func TestTransformerWidths(t *testing.T) {
	got := TransformerWidths(widthSearches(), "encdec", 64)
	if want := []int{10, 12, 14}; len(got) != len(want) || got[0] != 10 || got[1] != 12 || got[2] != 14 {
		t.Fatalf("widths %v, want %v (sorted, distinct, no unmeasured width)", got, want)
	}
	if got := TransformerWidths(widthSearches(), "encdec", 128); len(got) != 0 {
		t.Fatalf("no search at F = 128, got widths %v", got)
	}
}

func TestTransformerWidthAt(t *testing.T) {
	p, r, err := TransformerWidthAt(widthSearches(), "encdec", 64, 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Trials) != 1 || r.Trials[0].Seed != 1 || r.Trials[0].FactAdaptive != 0.992 || !r.Trials[0].Passed {
		t.Fatalf("trials at width 12: %+v, want seed 1's", r.Trials)
	}
	if len(r.Untried) != 1 || r.Untried[0] != 2 || r.Minimum[1] != 12 || r.Standalone[2] != 10 || r.Threshold != 0.99 {
		t.Fatalf("reading %+v", r)
	}
	if problems := Check(p); len(problems) > 0 {
		t.Fatalf("figure problems: %v", problems)
	}
	if _, _, err := TransformerWidthAt(widthSearches(), "encdec", 64, 11); err == nil || !strings.Contains(err.Error(), "11") {
		t.Fatalf("an unmeasured width: error %v, want one naming it", err)
	}
}

func TestWidthSearchesAndMarkdown(t *testing.T) {
	ss := WidthSearches(widthSearches())
	if len(ss) != 2 || ss[0].Method != "encdec" || ss[1].Method != "gd" || len(ss[0].Widths) != 3 || ss[0].Initial != 1 || ss[1].Initial != 0 {
		t.Fatalf("searches %+v; want encdec (widths 10, 12, 14, starting at seed 1's minimum 12) then gd", ss)
	}
	_, r, err := TransformerWidthAt(widthSearches(), "encdec", 64, 12)
	if err != nil {
		t.Fatal(err)
	}
	md := r.Markdown()
	for _, want := range []string{"width 12", "recall **99.50%**", "fact-adaptive **99.20%** (passes", "Seeds [2] did not train", "standalone 10, 10", "in the Transformer 12, 10"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown %q lacks %q", md, want)
		}
	}
}
