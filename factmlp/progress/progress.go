package progress

// Func receives progress: done out of total units, and a short note (for
// example the current loss). A nil Func means "report nothing".
type Func func(done, total int, note string)

// Report calls f if it is not nil.
func (f Func) Report(done, total int, note string) {
	if f != nil {
		f(done, total, note)
	}
}
