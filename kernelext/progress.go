package kernelext

import (
	"fmt"
	"html"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/janpfeifer/gonb/gonbui"
)

// Progress shows the progress of a long loop: in a notebook, one block
// updated in place with a bar, done/total, rate and ETA; outside a notebook,
// a line on stderr at most every few seconds (and at the end). Safe for
// concurrent use.
type Progress struct {
	label    string
	mu       sync.Mutex
	start    time.Time
	last     time.Time
	lastDone int
	shown    bool
	finished bool
	early    bool // Done before done reached total (e.g. training met its target)
	done     int
	total    int
	note     string
	id       string

	// Replaceable for tests.
	now      func() time.Time
	notebook bool
	w        io.Writer
	every    time.Duration
}

// NewProgress returns a progress display named label; the clock for the
// rate and ETA starts now.
func NewProgress(label string) *Progress {
	p := &Progress{
		label:    label,
		now:      time.Now,
		notebook: gonbui.IsNotebook,
		w:        os.Stderr,
	}
	p.start = p.now()
	p.every = 2 * time.Second
	if p.notebook {
		p.every = 250 * time.Millisecond
		p.id = "factmlp-progress-" + gonbui.UniqueId()
	}
	return p
}

// Func returns a progress.Func that feeds this display, to pass to library
// code (training loops, sweeps).
func (p *Progress) Func() progress.Func { return p.Update }

// Update records done out of total with a note (e.g. the current loss) and
// redraws if enough time passed since the last redraw, at the first call and
// when done reaches total.
func (p *Progress) Update(done, total int, note string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.total, p.note = done, total, note
	t := p.now()
	final := total > 0 && done >= total
	if p.shown && !final && t.Sub(p.last) < p.every {
		return
	}
	if final && p.finished && done == p.lastDone {
		return
	}
	p.finished = final
	p.render(t)
}

// Done draws the final state (call it after the loop, e.g. with defer).
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.finished = true
	p.early = p.total > 0 && p.done < p.total
	p.render(p.now())
}

// Line formats the current state as one line of text.
func (p *Progress) Line() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.line(p.now())
}

func (p *Progress) line(t time.Time) string {
	var b strings.Builder
	b.WriteString(p.label)
	b.WriteString(": ")
	if p.early {
		// A loop that stopped before its budget finished its work: no ETA,
		// no bar left part-way.
		fmt.Fprintf(&b, "done at %d of at most %d · %s", p.done, p.total, fmtDur(t.Sub(p.start)))
		if p.note != "" {
			b.WriteString(" · ")
			b.WriteString(p.note)
		}
		return b.String()
	}
	if p.total > 0 {
		fmt.Fprintf(&b, "%d/%d (%.0f%%)", p.done, p.total, 100*float64(p.done)/float64(p.total))
	} else {
		fmt.Fprintf(&b, "%d", p.done)
	}
	el := t.Sub(p.start)
	if el > 0 && p.done > 0 {
		rate := float64(p.done) / el.Seconds()
		fmt.Fprintf(&b, " · %s/s", fmtRate(rate))
		if p.total > p.done {
			eta := time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
			fmt.Fprintf(&b, " · ETA %s", fmtDur(eta))
		} else {
			fmt.Fprintf(&b, " · %s", fmtDur(el))
		}
	}
	if p.note != "" {
		b.WriteString(" · ")
		b.WriteString(p.note)
	}
	return b.String()
}

func (p *Progress) render(t time.Time) {
	p.shown = true
	p.last = t
	p.lastDone = p.done
	line := p.line(t)
	if !p.notebook {
		fmt.Fprintln(p.w, line)
		return
	}
	frac := 0.0
	if p.early {
		frac = 1
	} else if p.total > 0 {
		frac = float64(p.done) / float64(p.total)
	}
	h := fmt.Sprintf(`<div class="factmlp-progress"><progress value="%.4f" max="1" style="width:40%%"></progress> <code>%s</code></div>`,
		frac, html.EscapeString(line))
	emit(Payload{MIME: MIMEHTML, Data: h, DisplayID: p.id, Text: line})
}

func fmtRate(r float64) string {
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0f", r)
	case r >= 1:
		return fmt.Sprintf("%.1f", r)
	}
	return fmt.Sprintf("%.3g", r)
}

func fmtDur(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
