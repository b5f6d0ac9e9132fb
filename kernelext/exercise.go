package kernelext

import (
	"fmt"
	"math"
	"strings"
)

// NoAnswer is the placeholder a notebook leaves in an exercise's answer
// cell (var answer = kernelext.NoAnswer); CheckAnswer reports it as not
// answered yet.
var NoAnswer = math.NaN()

// Number is any Go integer or floating-point type an answer can have.
type Number interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~float32 | ~float64
}

// Verdict is what a check cell tells the student.
type Verdict string

// The verdicts of CheckAnswer and CheckText.
const (
	Right       Verdict = "right"
	Wrong       Verdict = "not right yet"
	NotAnswered Verdict = "not answered yet"
)

// CheckAnswer tells the student whether got answers the exercise: right
// when it is within tol of want, relative to |want| (absolute when want is
// 0). A wrong answer shows the hint, never the expected value; NoAnswer (or
// any NaN) is "not answered yet". It prints its verdict and returns it; it
// never stops the cell, so a notebook runs through with answers left blank.
//
// got may be any number type: a student who replaces NoAnswer in
// `var answer = kernelext.NoAnswer` with 11 declares an int, and the check
// must still compile.
func CheckAnswer[N Number](exercise string, answer N, want, tol float64, hint string) Verdict {
	got := float64(answer)
	switch {
	case math.IsNaN(want) || math.IsInf(want, 0) || math.IsNaN(tol) || tol < 0:
		return report(exercise, Wrong, fmt.Sprintf("the check itself is broken (expected %g, tolerance %g); tell the teacher", want, tol))
	case math.IsNaN(got):
		return report(exercise, NotAnswered, "replace `kernelext.NoAnswer` with your answer and run the cell again")
	}
	limit := tol * math.Abs(want)
	if want == 0 {
		limit = tol
	}
	if math.Abs(got-want) <= limit {
		return report(exercise, Right, fmt.Sprintf("%v is correct", got))
	}
	return report(exercise, Wrong, fmt.Sprintf("%v is not it. Hint: %s", got, hint))
}

// CheckText is CheckAnswer for a word or a name: right when got equals want
// ignoring case and surrounding spaces; "" is "not answered yet".
func CheckText(exercise, got, want, hint string) Verdict {
	g := strings.TrimSpace(got)
	switch {
	case g == "":
		return report(exercise, NotAnswered, `replace "" with your answer and run the cell again`)
	case strings.EqualFold(g, strings.TrimSpace(want)):
		return report(exercise, Right, fmt.Sprintf("%q is correct", g))
	}
	return report(exercise, Wrong, fmt.Sprintf("%q is not it. Hint: %s", g, hint))
}

func report(exercise string, v Verdict, detail string) Verdict {
	mark := map[Verdict]string{Right: "✅", Wrong: "❌", NotAnswered: "✏️"}[v]
	Markdownf("%s **%s — %s:** %s", mark, exercise, v, detail)
	return v
}
