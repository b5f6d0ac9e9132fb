package transformer

import "testing"

func TestTaskFormat(t *testing.T) {
	task := Task{Facts: 4, Junk: 2, MinLen: 2, MaxLen: 3}
	// Facts 0–3, junk 4–5, Q = 6, pad = 7.
	b := Batch{Size: 2, SeqLen: 5, Tokens: []int32{4, 2, 6, 1, 7, 0, 5, 3, 6, 2}}
	for i, want := range []string{"j0 f2 Q f1 ·", "f0 j1 f3 Q f2"} {
		if got := task.Format(b, i); got != want {
			t.Errorf("sequence %d: %q, want %q", i, got, want)
		}
	}
}
