package kernelext

import (
	"fmt"
	"html"
	"io"
	"os"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// MIME types of display payloads.
const (
	MIMEHTML     = "text/html"
	MIMEMarkdown = "text/markdown"
)

// Payload is one piece of rich output: what is sent to the notebook (MIME +
// Data, optionally replacing an earlier payload with the same DisplayID) and
// the plain-text form printed outside a notebook.
type Payload struct {
	MIME      string
	Data      string
	DisplayID string // non-empty: a transient block updated in place
	Text      string // plain-text fallback ("" prints nothing)
}

var (
	sinkMu   sync.Mutex
	recorder *Recorder
	stdout   io.Writer // nil: os.Stdout at the time of writing
)

// InNotebook reports whether this program runs inside a GoNB kernel cell.
func InNotebook() bool { return gonbui.IsNotebook }

// emit sends p to the recorder (tests), the notebook, or stdout.
func emit(p Payload) {
	sinkMu.Lock()
	r := recorder
	w := stdout
	sinkMu.Unlock()
	switch {
	case r != nil:
		r.add(p)
	case gonbui.IsNotebook:
		gonbui.SendData(&protocol.DisplayData{
			Data:      map[protocol.MIMEType]any{protocol.MIMEType(p.MIME): p.Data},
			DisplayID: p.DisplayID,
		})
		if p.DisplayID == "" {
			// Wait until GoNB has taken the output: a cell that ends right
			// after a display could otherwise lose it. Transient updates
			// (progress) skip the round trip; the next one supersedes them.
			gonbui.Sync()
		}
	case p.Text != "":
		if w == nil {
			w = os.Stdout
		}
		t := p.Text
		if !strings.HasSuffix(t, "\n") {
			t += "\n"
		}
		io.WriteString(w, t)
	}
}

// Recorder captures display payloads instead of sending them anywhere, so
// tests can check what a notebook would show.
type Recorder struct {
	mu       sync.Mutex
	payloads []Payload
}

func (r *Recorder) add(p Payload) {
	r.mu.Lock()
	r.payloads = append(r.payloads, p)
	r.mu.Unlock()
}

// Payloads returns a copy of what was captured so far.
func (r *Recorder) Payloads() []Payload {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Payload(nil), r.payloads...)
}

// Record starts capturing every display payload of this process; call the
// returned function to stop. For tests (not safe with t.Parallel).
func Record() (*Recorder, func()) {
	r := &Recorder{}
	sinkMu.Lock()
	prev := recorder
	recorder = r
	sinkMu.Unlock()
	return r, func() {
		sinkMu.Lock()
		recorder = prev
		sinkMu.Unlock()
	}
}

// HTML displays raw HTML (plain text outside a notebook: the HTML itself is
// not printed, only text if given).
func HTML(htmlSrc string) {
	emit(Payload{MIME: MIMEHTML, Data: htmlSrc})
}

// Markdown displays Markdown (with $…$ and $$…$$ maths) in the notebook, or
// prints it as is outside one.
func Markdown(md string) {
	emit(Payload{MIME: MIMEMarkdown, Data: md, Text: md})
}

// Markdownf is Markdown(fmt.Sprintf(format, args...)).
func Markdownf(format string, args ...any) {
	Markdown(fmt.Sprintf(format, args...))
}

// ShowText displays preformatted text (a <pre> block in the notebook, a
// plain print outside). Output goes through the same channel as figures
// and tables, so it stays in order with them.
func ShowText(s string) {
	emit(Payload{MIME: MIMEHTML, Data: "<pre>" + html.EscapeString(s) + "</pre>", Text: s})
}

// ShowTextf is ShowText(fmt.Sprintf(format, args...)).
func ShowTextf(format string, args ...any) {
	ShowText(fmt.Sprintf(format, args...))
}

// FormatCell formats one table value: floats with 4 significant digits,
// everything else with %v.
func FormatCell(v any) string {
	switch x := v.(type) {
	case float64:
		return fmt.Sprintf("%.4g", x)
	case float32:
		return fmt.Sprintf("%.4g", x)
	case string:
		return x
	case fmt.Stringer:
		return x.String()
	case error:
		return x.Error()
	}
	return fmt.Sprintf("%v", v)
}

// TableHTML renders headers and rows as an HTML table (values escaped).
func TableHTML(headers []string, rows [][]any) string {
	var b strings.Builder
	b.WriteString(`<table class="factmlp-table"><thead><tr>`)
	for _, h := range headers {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(h))
	}
	b.WriteString("</tr></thead><tbody>")
	for _, row := range rows {
		b.WriteString("<tr>")
		for _, v := range row {
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(FormatCell(v)))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

// TableText renders headers and rows as aligned plain text.
func TableText(headers []string, rows [][]any) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(headers, "\t"))
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = FormatCell(v)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	return b.String()
}

// Flush waits until everything displayed so far reached the notebook
// (no-op outside one). Fatal calls it before exiting.
func Flush() {
	if gonbui.IsNotebook {
		gonbui.Sync()
	}
}
