package progress_test

import (
	"fmt"

	"github.com/factmlp/factmlp/factmlp/progress"
)

// A long computation takes a progress.Func and reports to it; nil means
// silent, so callers that don't care pass nothing.
func ExampleFunc() {
	work := func(report progress.Func) {
		for i := 1; i <= 3; i++ {
			report.Report(i, 3, fmt.Sprintf("step %d", i))
		}
	}
	work(nil)
	work(func(done, total int, note string) { fmt.Printf("%d/%d %s\n", done, total, note) })
	// Output:
	// 1/3 step 1
	// 2/3 step 2
	// 3/3 step 3
}
