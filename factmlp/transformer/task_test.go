package transformer

import (
	"reflect"
	"testing"

	"github.com/factmlp/factmlp/factmlp/rng"
)

func TestSampleFormat(t *testing.T) {
	task := Task{Facts: 50, Junk: 7, MinLen: 2, MaxLen: 6}
	mapping := rng.New(1).Perm(task.Facts)
	b, err := task.Sample(rng.New(2), 300, mapping)
	if err != nil {
		t.Fatal(err)
	}
	T := task.SeqLen()
	lens := map[[2]int]bool{}
	for i := 0; i < b.Size; i++ {
		row := b.Tokens[i*T : (i+1)*T]
		q := int(b.QPos[i])
		if int(row[q]) != task.Query() {
			t.Fatalf("row %d: token at QPos %d is %d, want the query token %d", i, q, row[q], task.Query())
		}
		if int(row[q+1]) != mapping[b.Key[i]] || b.Target[i] != int32(mapping[b.Key[i]]) {
			t.Fatalf("row %d: V = %d, target %d, want f(K) = %d", i, row[q+1], b.Target[i], mapping[b.Key[i]])
		}
		if int(b.Len[i]) != q+2 {
			t.Fatalf("row %d: length %d, want QPos+2 = %d", i, b.Len[i], q+2)
		}
		// Exactly one fact token before Q: the key; everything else before Q is junk.
		kpos := -1
		for p := 0; p < q; p++ {
			switch tok := int(row[p]); {
			case tok < task.Facts:
				if kpos >= 0 {
					t.Fatalf("row %d: two fact tokens before Q", i)
				}
				kpos = p
				if int32(tok) != b.Key[i] {
					t.Fatalf("row %d: key token %d, Key says %d", i, tok, b.Key[i])
				}
			case tok >= task.Facts+task.Junk:
				t.Fatalf("row %d: position %d holds %d, which is not junk", i, p, tok)
			}
		}
		l1, l2 := kpos, q-kpos-1
		if l1 < task.MinLen || l1 > task.MaxLen || l2 < task.MinLen || l2 > task.MaxLen {
			t.Fatalf("row %d: junk runs %d and %d outside [%d,%d]", i, l1, l2, task.MinLen, task.MaxLen)
		}
		lens[[2]int{l1, l2}] = true
		// Padding only after V.
		for p := q + 2; p < T; p++ {
			if int(row[p]) != task.Pad() {
				t.Fatalf("row %d: position %d after V is %d, want pad %d", i, p, row[p], task.Pad())
			}
		}
	}
	if len(lens) < 10 {
		t.Errorf("only %d distinct (prefix, suffix) lengths in 300 rows; lengths are not random", len(lens))
	}
	tg := b.Targets()
	n := 0
	for i, x := range tg {
		if x != -100 {
			n++
			if i%T != int(b.QPos[i/T]) {
				t.Fatalf("target at position %d of row %d, but Q is at %d", i%T, i/T, b.QPos[i/T])
			}
		}
	}
	if n != b.Size {
		t.Fatalf("%d targets, want one per sequence (%d)", n, b.Size)
	}
}

func TestSampleSeeds(t *testing.T) {
	task := DefaultTask(20)
	mapping := rng.New(1).Perm(20)
	a, _ := task.Sample(rng.New(5), 40, mapping)
	b, _ := task.Sample(rng.New(5), 40, mapping)
	c, _ := task.Sample(rng.New(6), 40, mapping)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different batches")
	}
	if reflect.DeepEqual(a.Tokens, c.Tokens) {
		t.Fatal("different seeds gave the same batch")
	}
}

func TestSampleErrors(t *testing.T) {
	task := DefaultTask(10)
	if _, err := task.Sample(rng.New(1), 4, []int{0, 1}); err == nil {
		t.Error("a map of the wrong length was accepted")
	}
	bad := rng.New(1).Perm(10)
	bad[3] = 10
	if _, err := task.Sample(rng.New(1), 50, bad); err == nil {
		t.Error("a map pointing outside the fact tokens was accepted")
	}
	if _, err := (Task{Facts: 10, Junk: 0, MinLen: 1, MaxLen: 2}).Sample(rng.New(1), 1, rng.New(1).Perm(10)); err == nil {
		t.Error("zero junk tokens were accepted")
	}
}
