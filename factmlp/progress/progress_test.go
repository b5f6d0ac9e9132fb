package progress

import "testing"

func TestReport(t *testing.T) {
	var nilFunc Func
	nilFunc.Report(1, 2, "silent") // must not panic

	var got []int
	f := Func(func(done, total int, note string) { got = append(got, done, total) })
	f.Report(3, 10, "x")
	if len(got) != 2 || got[0] != 3 || got[1] != 10 {
		t.Fatalf("Report passed %v, want [3 10]", got)
	}
}
