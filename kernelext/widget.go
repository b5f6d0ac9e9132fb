package kernelext

import (
	"errors"
	"fmt"
	"html"
	"os"
	"strings"
	"time"

	"github.com/factmlp/factmlp/kernelext/contract"
	"github.com/factmlp/factmlp/plots"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"
	"github.com/janpfeifer/gonb/gonbui/widgets"
	"gonum.org/v1/plot"
)

// HeadlessEnv, set to a non-empty value other than "0", makes interactive
// cells show their initial view and return (the notebook runner sets it).
const HeadlessEnv = contract.HeadlessEnv

// View is what an interactive cell shows for one setting of its controls,
// top to bottom: a Markdown line (with $…$ maths), figures, a table.
type View struct {
	Markdown string
	Plots    []*plot.Plot
	Table    any // a slice of structs, as ShowTable takes; nil for none
}

// Control is one input of an interactive cell: a slider (or, with Menu, a
// drop-down list) over named choices, starting at Choices[Initial].
type Control struct {
	Label   string
	Choices []string
	Initial int
	Menu    bool
}

// Timing of interactive cells: how long to wait for the browser to answer
// a new widget, how many times to try, and how long a cell keeps answering
// without any move.
var (
	WidgetConnectTimeout  = 10 * time.Second
	WidgetConnectAttempts = 3
	WidgetIdleTimeout     = 3 * time.Minute
)

// Slider shows a slider over the named choices and, under it, view(i) for
// the chosen one; every move redraws the view. See Interact.
func Slider(label string, choices []string, initial int, view func(i int) (View, error)) {
	Check(Interact(func(c []int) (View, error) { return view(c[0]) },
		Control{Label: label, Choices: choices, Initial: initial}))
}

// Interact shows the controls, a Done button, and under them view(choice)
// — choice[k] is the index of control k's current choice — and redraws
// the view whenever a control moves. Views are computed once per setting
// and kept, so view should read precomputed (cached) results: each move then
// answers in well under a second.
//
// The cell keeps running, answering moves, until Done is pressed or no
// control moved for WidgetIdleTimeout; then the last view stays in the
// notebook as ordinary output. Without a browser (outside a notebook, with
// FACTMLP_HEADLESS set as the notebook runner does, or when the front end
// does not answer in WidgetConnectAttempts tries of WidgetConnectTimeout)
// it shows the initial view as ordinary output and returns. Bad controls or a failing view return an
// error; nothing panics.
func Interact(view func(choice []int) (View, error), controls ...Control) error {
	if view == nil {
		return errors.New("kernelext: Interact: nil view function")
	}
	if len(controls) == 0 {
		return errors.New("kernelext: Interact: no controls")
	}
	choice := make([]int, len(controls))
	for k, c := range controls {
		if len(c.Choices) == 0 {
			return fmt.Errorf("kernelext: Interact: control %q has no choices", c.Label)
		}
		if c.Initial < 0 || c.Initial >= len(c.Choices) {
			return fmt.Errorf("kernelext: Interact: control %q starts at choice %d, want 0…%d", c.Label, c.Initial, len(c.Choices)-1)
		}
		choice[k] = c.Initial
	}
	if headless() {
		return showViewAt(view, choice)
	}
	return interact(view, controls, choice)
}

// headless reports whether no browser can move a widget.
func headless() bool {
	v := os.Getenv(HeadlessEnv)
	return !gonbui.IsNotebook || (v != "" && v != "0")
}

func showViewAt(view func([]int) (View, error), choice []int) error {
	v, err := view(choice)
	if err != nil {
		return fmt.Errorf("kernelext: Interact: view %v: %w", choice, err)
	}
	return ShowView(v)
}

// ShowView shows a view as ordinary output: Markdown, figures (named after
// their titles, saved and checked like ShowPlot's), table.
func ShowView(v View) error {
	if v.Markdown != "" {
		Markdown(v.Markdown)
	}
	for _, p := range v.Plots {
		if _, err := ShowPlotFiles(Slug(p.Title.Text), p); err != nil {
			return err
		}
	}
	if v.Table != nil {
		headers, rows, err := Table(v.Table)
		if err != nil {
			return err
		}
		emit(Payload{MIME: MIMEHTML, Data: TableHTML(headers, rows), Text: TableText(headers, rows)})
	}
	Flush()
	return nil
}

// ViewHTML renders a view's figures and table as one HTML block (the
// Markdown is left out: it is shown in its own block).
func ViewHTML(v View) (string, error) {
	var b strings.Builder
	for _, p := range v.Plots {
		svg, err := plots.Render(p, "svg")
		if err != nil {
			return "", err
		}
		b.WriteString(FigureHTML(Slug(p.Title.Text), svg, plots.Check(p)...))
	}
	if v.Table != nil {
		headers, rows, err := Table(v.Table)
		if err != nil {
			return "", err
		}
		b.WriteString(TableHTML(headers, rows))
	}
	return b.String(), nil
}

// interact runs the widgets in a live notebook.
func interact(view func([]int) (View, error), controls []Control, choice []int) error {
	id := "factmlp-view-" + gonbui.UniqueID()
	type rendered struct{ md, html string }
	memo := map[string]rendered{}
	draw := func() error {
		key := fmt.Sprint(choice)
		r, ok := memo[key]
		if !ok {
			v, err := view(choice)
			if err != nil {
				return fmt.Errorf("kernelext: Interact: view %v: %w", choice, err)
			}
			h, err := ViewHTML(v)
			if err != nil {
				return err
			}
			r = rendered{v.Markdown, h}
			memo[key] = r
		}
		// An empty Markdown block would keep the previous text: send a space.
		emit(Payload{MIME: MIMEMarkdown, Data: r.md + " ", DisplayID: id + "-md"})
		emit(Payload{MIME: MIMEHTML, Data: r.html + " ", DisplayID: id + "-view"})
		return nil
	}
	// The controls live in a transient block: erased when the cell ends, so
	// no dead widget is saved with the notebook.
	ctl := id + "-controls"
	var b strings.Builder
	b.WriteString(`<div class="factmlp-controls">`)
	for k, c := range controls {
		fmt.Fprintf(&b, `<div><b>%s</b> <span id="%s-%d"></span></div>`, html.EscapeString(c.Label), ctl, k)
	}
	fmt.Fprintf(&b, `<div id="%s-done"></div></div>`, ctl)
	emit(Payload{MIME: MIMEHTML, Data: b.String(), DisplayID: ctl})
	if err := draw(); err != nil { // the view shows while the widgets connect
		emit(Payload{MIME: MIMEHTML, Data: " ", DisplayID: ctl})
		return err
	}
	moves := make(chan [2]int, 16) // (control, choice index)
	var listening []*comms.AddressChan[int]
	for k, c := range controls {
		ch, err := startWidget(c, fmt.Sprintf("%s-%d", ctl, k))
		if err != nil {
			emit(Payload{MIME: MIMEHTML, Data: " ", DisplayID: ctl})
			return showAfter(err, view, choice)
		}
		listening = append(listening, ch)
		go func() {
			for v := range ch.C {
				moves <- [2]int{k, v}
			}
		}()
	}
	done := widgets.Button("Done").AppendTo(ctl + "-done").Done().Listen()
	defer func() {
		emit(Payload{MIME: MIMEHTML, Data: " ", DisplayID: ctl})
		done.Close()
		for _, ch := range listening {
			ch.Close()
		}
	}()
	idle := time.NewTimer(WidgetIdleTimeout)
	defer idle.Stop()
	for {
		select {
		case m := <-moves:
			if m[1] < 0 || m[1] >= len(controls[m[0]].Choices) || m[1] == choice[m[0]] {
				continue
			}
			choice[m[0]] = m[1]
			if err := draw(); err != nil {
				return err
			}
			idle.Reset(WidgetIdleTimeout)
		case clicks := <-done.C:
			if clicks <= 0 { // the button's initial counter, sent again when the browser reconnects
				continue
			}
			return finish(id, view, choice)
		case <-idle.C:
			return finish(id, view, choice)
		}
	}
}

// startWidget displays one control inside the element parent and waits for the
// browser to report its first value, trying WidgetConnectAttempts times (each up to
// WidgetConnectTimeout). A retry is needed because GoNB gives the browser 3 s to open
// its widget connection: a page still busy drawing earlier cells' figures can miss
// that, and a widget created then never connects. The next widget asks GoNB to install
// the connection again, so each retry replaces the dead control with a fresh one.
func startWidget(c Control, parent string) (*comms.AddressChan[int], error) {
	for attempt := 1; ; attempt++ {
		slot := fmt.Sprintf("%s-try%d", parent, attempt)
		dom.SetInnerHtml(parent, fmt.Sprintf(`<span id="%s"></span>`, slot))
		ready := make(chan *comms.AddressChan[int], 1)
		go func() { // blocks until the browser answers; abandoned (with its dead element) if it never does
			if c.Menu {
				ready <- widgets.Select(c.Choices).SetDefault(c.Initial).AppendTo(slot).Done().Listen().LatestOnly()
			} else {
				ready <- widgets.Slider(0, len(c.Choices)-1, c.Initial).AppendTo(slot).Done().Listen().LatestOnly()
			}
		}()
		select {
		case ch := <-ready:
			return ch, nil
		case <-time.After(WidgetConnectTimeout):
			if attempt >= WidgetConnectAttempts {
				return nil, fmt.Errorf("the browser did not answer widget %q in %d tries of %s", c.Label, attempt, WidgetConnectTimeout)
			}
		}
	}
}

// showAfter shows the initial view when widgets cannot run, with a note.
func showAfter(cause error, view func([]int) (View, error), choice []int) error {
	Markdownf("*Widgets need JupyterLab with the GoNB kernel (%v); showing the initial setting.*", cause)
	return showViewAt(view, choice)
}

// finish clears the live blocks and leaves the last view as ordinary output.
func finish(id string, view func([]int) (View, error), choice []int) error {
	emit(Payload{MIME: MIMEMarkdown, Data: " ", DisplayID: id + "-md"})
	emit(Payload{MIME: MIMEHTML, Data: " ", DisplayID: id + "-view"})
	return showViewAt(view, choice)
}
