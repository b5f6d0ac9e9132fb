package editing

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/factmlp/factmlp/factmlp/diskcache"
)

// A tiny playground: 12 countries, no fact-adaptive maps, a short LM run.
var tinyPlaygroundConfig = Config{MaxFacts: 12, Dim: 16, Hidden: 16, MLPEpochs: 2000, AdaptiveMaps: -1, Seed: 5,
	Train: TrainOptions{Steps: 150, LR: 1e-2, Batch: 64}}

func TestPlaygroundBadInput(t *testing.T) {
	if _, err := NewPlayground(Config{Builder: LeastSquares}, nil); err == nil || !strings.Contains(err.Error(), "Builder") {
		t.Fatalf("a custom Builder: error %v, want one naming Builder", err)
	}
	if _, err := NewPlayground(Config{Facts: FactsBooks}, nil); err == nil || !strings.Contains(err.Error(), "books") {
		t.Fatalf("books: error %v, want one naming the fact set", err)
	}
	p, err := NewPlayground(tinyPlaygroundConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Edit("Atlantis", p.Objects()[0]); err == nil || !strings.Contains(err.Error(), "Atlantis") {
		t.Fatalf("unknown subject: error %v, want one naming it", err)
	}
	if _, err := p.Edit(p.Subjects()[0], "Gotham"); err == nil || !strings.Contains(err.Error(), "Gotham") {
		t.Fatalf("unknown object: error %v, want one naming it", err)
	}
	if p.base != nil {
		t.Fatal("bad requests built the base model")
	}
	subjects := p.Subjects()
	got := p.Choose("Atlantis", subjects[2], subjects[2])
	if len(got) != 3 || got[0] != subjects[2] || got[1] != subjects[0] || got[2] != subjects[1] {
		t.Fatalf("Choose kept %v; want the known subject first, topped up with the first others", got)
	}
	if o := p.ObjectsOf(got); len(o) != 3 || o[0] != p.ObjectOf(subjects[2]) || o[0] == "" {
		t.Fatalf("ObjectsOf(%v) = %v", got, o)
	}
}

// The base model survives the cache exactly, and an edit is answered from
// the cached internals as Ask answers it from the prompt's tokens.
func TestPlaygroundEditAndCache(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a small LM")
	}
	cache := &diskcache.Cache{Dir: t.TempDir(), Warn: func(msg string) { t.Error(msg) }}
	p, err := NewPlayground(tinyPlaygroundConfig, cache)
	if err != nil {
		t.Fatal(err)
	}
	subjects, objects := p.Subjects(), p.Objects()
	if len(subjects) != 12 || len(objects) < 2 {
		t.Fatalf("%d subjects, %d objects; want 12 and several", len(subjects), len(objects))
	}
	subject := subjects[3]
	newObject := objects[0]
	if newObject == p.ObjectOf(subject) {
		newObject = objects[1]
	}
	got, err := p.Edit(subject, newObject)
	if err != nil {
		t.Fatal(err)
	}
	b := p.base
	if got.OldObject != p.ObjectOf(subject) || got.NewObject != newObject || len(got.Answers) != b.NumTemplates() ||
		got.OtherAnswers != (b.NumFacts()-1)*b.NumTemplates() || got.SwapMLP == "" || got.BuildSeconds <= 0 {
		t.Fatalf("implausible edit %+v", got)
	}
	// The same answers from the prompts' tokens.
	sp, err := b.SplitFromEdits(map[string]string{subject: newObject})
	if err != nil {
		t.Fatal(err)
	}
	swapped, err := b.SwapMLP(sp)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range got.Answers {
		orig, err1 := b.Ask(a.Prompt, nil)
		now, err2 := b.Ask(a.Prompt, swapped)
		if err1 != nil || err2 != nil || orig != a.Original || now != a.Swapped {
			t.Fatalf("%q: Ask answers %q / %q (%v, %v), the playground %q / %q", a.Prompt, orig, now, err1, err2, a.Original, a.Swapped)
		}
		if now == newObject {
			n++
		}
	}
	if n != got.NewObjectAnswers {
		t.Fatalf("NewObjectAnswers %d, counted %d", got.NewObjectAnswers, n)
	}
	if tr, _ := b.Recall(nil, nil); got.OtherRecallBefore < tr-1.0/float64(b.NumFacts())-1e-9 {
		t.Fatalf("other facts' recall %g is below the base recall %g by more than one fact", got.OtherRecallBefore, tr)
	}
	// No edit: nothing is swapped, every other answer unchanged.
	same, err := p.Edit(subject, p.ObjectOf(subject))
	if err != nil || same.OtherUnchanged != same.OtherAnswers || same.BuildSeconds != 0 || same.SwapMLP != "" {
		t.Fatalf("the identity edit: %+v, %v", same, err)
	}
	// A fresh playground on the same cache restores the base model exactly
	// and answers the edit from the cache.
	files, _ := filepath.Glob(filepath.Join(cache.Dir, "editing-base-*.json"))
	if len(files) != 1 {
		t.Fatalf("%d cached base models, want 1", len(files))
	}
	q, err := NewPlayground(tinyPlaygroundConfig, cache)
	if err != nil {
		t.Fatal(err)
	}
	again, err := q.Edit(subject, newObject)
	if err != nil || !reflect.DeepEqual(again, got) {
		t.Fatalf("cached edit differs: %+v (%v), first %+v", again, err, got)
	}
	if q.base != nil {
		t.Fatal("a cached edit loaded the base model")
	}
	var last string
	q.Config.Progress = func(done, total int, note string) { last = fmt.Sprintf("%d/%d %s", done, total, note) }
	rb, err := q.Base()
	if last != "1/1 read from the disk cache" {
		t.Fatalf("progress after loading the cached base model: %q", last)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rb.qA, b.qA) || !reflect.DeepEqual(rb.pO, b.pO) || rb.NonFactCE(nil) != b.NonFactCE(nil) {
		t.Fatal("the restored base model's internals differ from the trained one's")
	}
	// Warm caches every pair of a menu: a fresh playground then answers
	// them without the base model.
	menu := p.Choose(subjects[0], subjects[1])
	var reports int
	if err := p.Warm(menu, func(done, total int, _ string) { reports++; _ = total }); err != nil || reports != 4 {
		t.Fatalf("Warm over %v: %v, %d progress reports (want 4)", menu, err, reports)
	}
	w, err := NewPlayground(tinyPlaygroundConfig, cache)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range menu {
		for _, o := range w.ObjectsOf(menu) {
			if _, err := w.Edit(s, o); err != nil {
				t.Fatal(err)
			}
		}
	}
	if w.base != nil {
		t.Fatal("a warmed edit loaded the base model")
	}
	// A corrupt cached base model is rebuilt, not trusted.
	if err := os.WriteFile(files[0], []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := NewPlayground(tinyPlaygroundConfig, cache)
	if err != nil {
		t.Fatal(err)
	}
	if rb2, err := r.Base(); err != nil || !reflect.DeepEqual(rb2.qA, b.qA) {
		t.Fatalf("rebuilding after a corrupt cache: %v", err)
	}
}

func TestOneEditSummary(t *testing.T) {
	e := OneEdit{Subject: "France", OldObject: "Paris", NewObject: "Rome", NewObjectAnswers: 10, OtherAnswers: 22, OtherUnchanged: 21,
		OtherRecallBefore: 1, OtherRecallAfter: 0.5, BuildSeconds: 3,
		Answers: make([]PromptAnswer, 11)}
	e.Answers[10].HeldOut = true
	s := e.Summary(4 * time.Second)
	for _, want := range []string{"Paris → Rome", "10 of 11", "1 of them held out", "21 of 22", "100.00% before, 50.00% after", "4.00 s", "took 3.0 s of it"} {
		if !strings.Contains(s, want) {
			t.Errorf("summary %q lacks %q", s, want)
		}
	}
	if s := e.Summary(10 * time.Millisecond); !strings.Contains(s, "from the cache") {
		t.Errorf("a fast answer is read from the cache: %q", s)
	}
	e.NewObject = "Paris"
	if s := e.Summary(0); !strings.Contains(s, "already its capital") {
		t.Errorf("identity edit: %q", s)
	}
}
