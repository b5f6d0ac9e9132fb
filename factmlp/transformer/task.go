package transformer

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Task describes the SSFR token layout. Token ids: fact tokens [0, Facts),
// junk tokens [Facts, Facts+Junk), the query token Facts+Junk; Pad = Vocab()
// marks unused trailing positions (its embedding is zero and attention never
// reaches it, since it only follows Q).
type Task struct {
	Facts  int // number of fact tokens (keys and values share them: tied fact set)
	Junk   int // number of junk tokens
	MinLen int // junk prefix and suffix lengths are uniform in [MinLen, MaxLen]
	MaxLen int
}

// DefaultTask is the authors' layout (TaskAuthors): 9 junk tokens and junk
// runs of exactly 9 tokens before and after the key, as in the successor
// code's Transformer presets (junk_vocab_size = junk_len = 9, which run at
// d = 128). TaskEasy is the easier layout this project used before.
//
// The number of junk tokens J matters: attention scores are linear in the
// token embedding, so attention isolates K only as well as one direction
// separates the fact embeddings from the junk embeddings. With random unit
// embeddings at d = 64 (default encdec MLP, F = 256) J = 4 reaches > 99%
// within ~150 steps, J = 8 delivers the key with cosine ≈ 0.997 and only
// wide MLPs reach 99%, J = 16 plateaus near 96%; at d = 128, J = 9 reaches
// > 99% (notebook 05 measures the d = 64 drop).
func DefaultTask(facts int) Task { return TaskAuthors(facts) }

// TaskAuthors is the successor code's layout: 9 junk tokens, junk runs of
// exactly 9 (sequences of 21 tokens).
func TaskAuthors(facts int) Task { return Task{Facts: facts, Junk: 9, MinLen: 9, MaxLen: 9} }

// TaskEasy is an easier layout, not the authors': 4 junk tokens and junk
// runs of 4 to 12 tokens. It is this project's former default, kept for
// d = 64 runs, where 9 junk tokens cost accuracy.
func TaskEasy(facts int) Task { return Task{Facts: facts, Junk: 4, MinLen: 4, MaxLen: 12} }

// TaskPresets are the named layouts TaskByName accepts, default first.
var TaskPresets = []string{"authors-9junk", "easy-4junk"}

// TaskByName returns the layout named by one of TaskPresets for facts
// facts ("" is the default, authors-9junk).
func TaskByName(name string, facts int) (Task, error) {
	switch name {
	case "", "authors-9junk":
		return TaskAuthors(facts), nil
	case "easy-4junk":
		return TaskEasy(facts), nil
	}
	return Task{}, fmt.Errorf("transformer: unknown task preset %q; accepted: %s", name, strings.Join(TaskPresets, ", "))
}

// Name is the preset name of t's layout (TaskPresets), or a description
// such as "J=6, runs 2-5" for any other layout.
func (t Task) Name() string {
	for _, n := range TaskPresets {
		if p, _ := TaskByName(n, t.Facts); p == t {
			return n
		}
	}
	return fmt.Sprintf("J=%d, runs %d-%d", t.Junk, t.MinLen, t.MaxLen)
}

// Vocab is the number of real tokens F + J + 1 (the output head's size).
func (t Task) Vocab() int { return t.Facts + t.Junk + 1 }

// Query is the query token id.
func (t Task) Query() int { return t.Facts + t.Junk }

// Pad is the padding id, one past the vocabulary.
func (t Task) Pad() int { return t.Vocab() }

// SeqLen is the padded sequence length 2·MaxLen + 3.
func (t Task) SeqLen() int { return 2*t.MaxLen + 3 }

// Validate says what is wrong with the layout.
func (t Task) Validate() error {
	switch {
	case t.Facts < 2:
		return fmt.Errorf("transformer: task needs at least 2 facts, got %d", t.Facts)
	case t.Junk < 1:
		return fmt.Errorf("transformer: task needs at least 1 junk token, got %d", t.Junk)
	case t.MinLen < 0 || t.MaxLen < t.MinLen:
		return fmt.Errorf("transformer: junk lengths must satisfy 0 ≤ min ≤ max, got min %d max %d", t.MinLen, t.MaxLen)
	}
	return nil
}

// Batch is a batch of SSFR sequences, row-major B×SeqLen.
type Batch struct {
	Size   int
	SeqLen int
	Tokens []int32 // B×SeqLen; Pad after V
	QPos   []int32 // position of Q in each sequence (the only position with a target)
	Key    []int32 // the key token K of each sequence
	Target []int32 // the value token f(K): the target at QPos
	Len    []int32 // number of real tokens (up to and including V)
}

// Sample draws a fresh batch of n sequences for the fact map mapping
// (mapping[k] is key token k's value token, in [0, Facts)).
func (t Task) Sample(r *rand.Rand, n int, mapping []int) (Batch, error) {
	return t.sample(r, n, mapping, nil)
}

// SampleKeys draws one sequence per entry of keys, with that key token
// (junk drawn from r as in Sample): an evaluation that covers every fact.
func (t Task) SampleKeys(r *rand.Rand, keys []int, mapping []int) (Batch, error) {
	for i, k := range keys {
		if k < 0 || k >= t.Facts {
			return Batch{}, fmt.Errorf("transformer: keys[%d] = %d is not a fact token in [0, %d)", i, k, t.Facts)
		}
	}
	if len(keys) == 0 {
		return Batch{}, fmt.Errorf("transformer: SampleKeys needs at least one key")
	}
	return t.sample(r, len(keys), mapping, keys)
}

// sample is Sample, with the key of sequence i keys[i] when keys is not nil.
func (t Task) sample(r *rand.Rand, n int, mapping []int, keys []int) (Batch, error) {
	if err := t.Validate(); err != nil {
		return Batch{}, err
	}
	if len(mapping) != t.Facts {
		return Batch{}, fmt.Errorf("transformer: map has %d entries; the task has %d facts", len(mapping), t.Facts)
	}
	if n < 1 {
		return Batch{}, fmt.Errorf("transformer: batch size must be ≥ 1, got %d", n)
	}
	T := t.SeqLen()
	b := Batch{Size: n, SeqLen: T, Tokens: make([]int32, n*T), QPos: make([]int32, n),
		Key: make([]int32, n), Target: make([]int32, n), Len: make([]int32, n)}
	pad := int32(t.Pad())
	span := t.MaxLen - t.MinLen + 1
	for i := 0; i < n; i++ {
		row := b.Tokens[i*T : (i+1)*T]
		l1 := t.MinLen + r.IntN(span)
		l2 := t.MinLen + r.IntN(span)
		var k int
		if keys != nil {
			k = keys[i]
		} else {
			k = r.IntN(t.Facts)
		}
		v := mapping[k]
		if v < 0 || v >= t.Facts {
			return Batch{}, fmt.Errorf("transformer: map[%d] = %d is not a fact token in [0, %d)", k, v, t.Facts)
		}
		p := 0
		for j := 0; j < l1; j++ {
			row[p] = int32(t.Facts + r.IntN(t.Junk))
			p++
		}
		row[p] = int32(k)
		p++
		for j := 0; j < l2; j++ {
			row[p] = int32(t.Facts + r.IntN(t.Junk))
			p++
		}
		row[p] = int32(t.Query())
		b.QPos[i] = int32(p)
		p++
		row[p] = int32(v)
		p++
		b.Len[i] = int32(p)
		for ; p < T; p++ {
			row[p] = pad
		}
		b.Key[i], b.Target[i] = int32(k), int32(v)
	}
	return b, nil
}

// Targets returns the per-position targets of the batch in the usual
// language-model layout (B×SeqLen, −100 everywhere except at QPos), for
// users who want the full-sequence view; the model itself only reads QPos.
func (b Batch) Targets() []int32 {
	out := make([]int32, len(b.Tokens))
	for i := range out {
		out[i] = -100
	}
	for i := 0; i < b.Size; i++ {
		out[i*b.SeqLen+int(b.QPos[i])] = b.Target[i]
	}
	return out
}
