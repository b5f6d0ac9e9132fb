package plots

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"image/color"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/factmlp/factmlp/factmlp/atomicfile"
	"github.com/factmlp/factmlp/factmlp/fit"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Default figure size: fits a Jupyter notebook cell at 100% zoom and a
// two-column paper figure when exported.
var (
	Width  = 7 * vg.Inch
	Height = 4.5 * vg.Inch
	// PNGDPI is the resolution of PNG exports (sharp on high-DPI screens and in print).
	PNGDPI = 150
)

// methodColors fixes one colour per method name, the same in every figure.
// Colours are from the Okabe–Ito / Tableau palettes (colour-blind friendly).
var methodColors = map[string]color.RGBA{
	"encdec":          {0x00, 0x72, 0xB2, 0xff}, // blue: the paper's construction
	"encdec-gd":       {0x56, 0xB4, 0xE9, 0xff}, // sky blue: construction + fine-tuning
	"encdec-norefine": {0x1A, 0x23, 0x7E, 0xff}, // navy: the construction without code refinement
	"gd":              {0xD5, 0x5E, 0x00, 0xff}, // vermillion: trained by gradient descent
	"gd-mse":          {0x99, 0x22, 0x11, 0xff}, // dark red: gradient descent with MSE to the values
	"ntk":             {0x00, 0x9E, 0x73, 0xff}, // green
	"swap":            {0xCC, 0x79, 0xA7, 0xff}, // purple-pink
	"memit":           {0xE6, 0x9F, 0x00, 0xff}, // orange
	"rome":            {0x8C, 0x56, 0x4B, 0xff}, // brown
	"alphaedit":       {0x7F, 0x3C, 0x8D, 0xff}, // purple
	"lstsq":           {0x11, 0x11, 0x11, 0xff}, // black: linear least squares
	"bound":           {0x80, 0x80, 0x80, 0xff}, // grey: theory lines and bounds
	"random":          {0xB0, 0xB0, 0xB0, 0xff}, // light grey: baselines
	"chosen":          {0x00, 0x00, 0x00, 0xff}, // black: the setting an interactive cell marks
	// The successor paper's bilinear Hebbian MLPs (package hebbian).
	"hebbian-unwhitened":     {0x99, 0x99, 0x33, 0xff}, // olive: random features, raw readout
	"hebbian-whitened":       {0x17, 0xBE, 0xCF, 0xff}, // cyan: random features, ridge readout
	"hebbian-data-dependent": {0x88, 0x22, 0x55, 0xff}, // wine: fitted features, ridge readout
}

// extraColors are handed out to method names not in methodColors, chosen by
// a hash of the name so the same unknown name gets the same colour in every
// figure and every process.
var extraColors = []color.RGBA{
	{0x1F, 0x77, 0xB4, 0xff}, {0xFF, 0x7F, 0x0E, 0xff}, {0x2C, 0xA0, 0x2C, 0xff},
	{0xD6, 0x27, 0x28, 0xff}, {0x94, 0x67, 0xBD, 0xff}, {0x17, 0xBE, 0xCF, 0xff},
	{0xBC, 0xBD, 0x22, 0xff}, {0xE3, 0x77, 0xC2, 0xff},
}

// MethodColor returns the fixed colour of a method (case-insensitive), e.g.
// "gd", "encdec", "encdec-gd", "ntk", "swap", "memit", "rome", "alphaedit".
// Unknown names get a stable colour derived from the name.
func MethodColor(method string) color.Color {
	m := strings.ToLower(strings.TrimSpace(method))
	if c, ok := methodColors[m]; ok {
		return c
	}
	h := fnv.New32a()
	h.Write([]byte(m))
	return extraColors[h.Sum32()%uint32(len(extraColors))]
}

// Methods lists the method names with a reserved colour, sorted.
func Methods() []string {
	out := make([]string, 0, len(methodColors))
	for m := range methodColors {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// methodGlyphs gives each method a marker shape too, so figures stay
// readable in greyscale.
var methodGlyphs = map[string]draw.GlyphDrawer{
	"encdec":          draw.CircleGlyph{},
	"encdec-gd":       draw.RingGlyph{},
	"encdec-norefine": draw.PyramidGlyph{},
	"gd":              draw.SquareGlyph{},
	"gd-mse":          draw.BoxGlyph{},
	"ntk":             draw.TriangleGlyph{},
	"swap":            draw.PyramidGlyph{},
	"memit":           draw.BoxGlyph{},
	"rome":            draw.CrossGlyph{},
	"alphaedit":       draw.PlusGlyph{},
	"chosen":          draw.RingGlyph{},
	// Hebbian MLPs: shapes no figure that shows them uses for encdec, gd or ntk
	// (the ring marks standalone points in Fig. 4, so none of them takes it).
	"hebbian-unwhitened":     draw.CrossGlyph{},
	"hebbian-whitened":       draw.PlusGlyph{},
	"hebbian-data-dependent": draw.BoxGlyph{},
}

// MethodGlyph returns the marker shape of a method (circle for unknown names).
func MethodGlyph(method string) draw.GlyphDrawer {
	if g, ok := methodGlyphs[strings.ToLower(strings.TrimSpace(method))]; ok {
		return g
	}
	return draw.CircleGlyph{}
}

// New returns an empty plot in the shared style: title, axis labels, a grid
// and the legend in the top-left corner.
func New(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	for _, st := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle,
		&p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		st.Font.Typeface = "Liberation"
		st.Font.Variant = "Sans"
	}
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.X.Label.TextStyle.Font.Size = vg.Points(11)
	p.Y.Label.TextStyle.Font.Size = vg.Points(11)
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.TextStyle.Font.Size = vg.Points(9)
	p.Legend.Padding = vg.Points(2)
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 225}
	g.Horizontal.Color = color.Gray{Y: 225}
	p.Add(g)
	return p
}

// NewLogLog is New with both axes on log scale and power-of-two ticks.
func NewLogLog(title, xLabel, yLabel string) *plot.Plot {
	p := New(title, xLabel, yLabel)
	LogLog(p)
	return p
}

// LogLog puts both axes of p on a log scale with power-of-two ticks.
func LogLog(p *plot.Plot) {
	Log2X(p)
	Log2Y(p)
}

// Log2X puts the x axis on a log scale with power-of-two ticks.
func Log2X(p *plot.Plot) {
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = Log2Ticks{}
}

// Log2Y puts the y axis on a log scale with power-of-two ticks.
func Log2Y(p *plot.Plot) {
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = Log2Ticks{}
}

// Log2Ticks marks powers of two. When the range spans many octaves only
// every k-th power is labelled (the others are minor ticks) so labels never
// crowd, counting down from the largest, which is always labelled. Labels are plain numbers when the whole axis lies in [1/16, 65536]
// and "2^k" otherwise.
type Log2Ticks struct{}

// Ticks implements plot.Ticker.
func (Log2Ticks) Ticks(min, max float64) []plot.Tick {
	if !(min > 0) || !(max > 0) || max < min || math.IsInf(max, 0) {
		return nil
	}
	lo := int(math.Floor(math.Log2(min)))
	hi := int(math.Ceil(math.Log2(max)))
	span := hi - lo
	step := 1
	for (span+step)/step > 10 {
		step++
	}
	exp := lo < -4 || hi > 16 // label every tick as 2^k when any needs it
	top := hi                 // the largest power of two in range: always labelled
	for top > lo && math.Ldexp(1, top) > max*(1+1e-9) {
		top--
	}
	var ticks []plot.Tick
	for k := lo; k <= hi; k++ {
		v := math.Ldexp(1, k)
		if v < min*(1-1e-9) || v > max*(1+1e-9) {
			continue
		}
		t := plot.Tick{Value: v}
		if (top-k)%step == 0 {
			t.Label = Pow2Label(k)
			if exp {
				t.Label = "2^" + strconv.Itoa(k)
			}
		}
		ticks = append(ticks, t)
	}
	if len(ticks) < 2 {
		// Less than an octave: fall back to default log ticks.
		return plot.LogTicks{Prec: 3}.Ticks(min, max)
	}
	return ticks
}

// Subscript writes a non-negative integer with Unicode subscript digits
// ("v"+Subscript(12) is "v₁₂"): figure texts are drawn as plain text, where
// "v_12" would show the underscore. Negative numbers keep a plain minus.
func Subscript(n int) string {
	s := []rune(strconv.Itoa(n))
	for i, r := range s {
		if r >= '0' && r <= '9' {
			s[i] = '₀' + (r - '0')
		}
	}
	return string(s)
}

// Pow2Label formats 2^k: "64", "0.25", or "2^20" outside [2^-4, 2^16].
func Pow2Label(k int) string {
	if k >= -4 && k <= 16 {
		return strconv.FormatFloat(math.Ldexp(1, k), 'g', -1, 64)
	}
	return "2^" + strconv.Itoa(k)
}

// Series is one method's curve: for each X, the Y measured with each seed.
// Seeds may differ in number per point; error bars show ±1 standard
// deviation over seeds (none when a point has one seed).
type Series struct {
	Method string      // picks the colour and marker ("gd", "encdec", ...)
	Label  string      // legend text; Method if empty
	X      []float64   // x positions
	Y      [][]float64 // Y[i] = values over seeds at X[i]
	Dashed bool        // draw the line dashed (e.g. for bounds)
}

// Points makes a Series with one seed per point.
func Points(method string, xs, ys []float64) Series {
	y := make([][]float64, len(ys))
	for i, v := range ys {
		y[i] = []float64{v}
	}
	return Series{Method: method, X: xs, Y: y}
}

// meanStd is stat.MeanStdDev with a standard deviation of 0 (no error bar)
// for a single seed, where the sample deviation is undefined.
func meanStd(v []float64) (mean, std float64) {
	if len(v) == 1 {
		return v[0], 0
	}
	return stat.MeanStdDev(v, nil)
}

// meanErr is an XYer + YErrorer of per-seed means and std devs.
type meanErr struct {
	plotter.XYs
	plotter.YErrors
}

// AddSeries draws s on p: a line through the per-X means with the method's
// colour and marker, plus error bars over seeds. On log axes, points whose
// mean is not positive are dropped and error bars are clipped to stay positive.
func AddSeries(p *plot.Plot, s Series) error {
	if len(s.X) != len(s.Y) {
		return fmt.Errorf("plots: series %q has %d x values but %d y lists", s.Method, len(s.X), len(s.Y))
	}
	_, logX := p.X.Scale.(plot.LogScale)
	_, logY := p.Y.Scale.(plot.LogScale)
	var d meanErr
	hasErr := false
	for i, x := range s.X {
		if len(s.Y[i]) == 0 {
			continue
		}
		m, sd := meanStd(s.Y[i])
		if math.IsNaN(m) || math.IsInf(m, 0) || math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		if (logX && x <= 0) || (logY && m <= 0) {
			continue
		}
		low := sd
		if logY && m-low <= 0 {
			low = m * 0.999
		}
		if sd > 0 {
			hasErr = true
		}
		d.XYs = append(d.XYs, plotter.XY{X: x, Y: m})
		d.YErrors = append(d.YErrors, struct{ Low, High float64 }{low, sd})
	}
	if len(d.XYs) == 0 {
		return fmt.Errorf("plots: series %q has no plottable points", s.Method)
	}
	line, pts, err := plotter.NewLinePoints(d.XYs)
	if err != nil {
		return fmt.Errorf("plots: series %q: %w", s.Method, err)
	}
	c := MethodColor(s.Method)
	line.Color = c
	line.Width = vg.Points(1.6)
	if s.Dashed {
		line.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	pts.Color = c
	pts.Shape = MethodGlyph(s.Method)
	pts.Radius = vg.Points(2.8)
	p.Add(line, pts)
	if hasErr {
		eb, err := plotter.NewYErrorBars(d)
		if err != nil {
			return fmt.Errorf("plots: series %q error bars: %w", s.Method, err)
		}
		eb.Color = c
		eb.CapWidth = vg.Points(4)
		p.Add(eb)
	}
	label := s.Label
	if label == "" {
		label = s.Method
	}
	if label != "" {
		p.Legend.Add(label, line, pts)
	}
	return nil
}

// AddFit fits a power law to (xs, ys) and draws it as a dashed line in the
// method's colour over the x range of the data, with "label: slope a, R²=b"
// in the legend. It returns the fit.
func AddFit(p *plot.Plot, method, label string, xs, ys []float64) (fit.Line, error) {
	f, err := fit.PowerLaw(xs, ys)
	if err != nil {
		return f, err
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	const n = 32
	xys := make(plotter.XYs, n)
	for i := range xys {
		x := math.Exp2(math.Log2(lo) + (math.Log2(hi)-math.Log2(lo))*float64(i)/(n-1))
		xys[i] = plotter.XY{X: x, Y: f.Power(x)}
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		return f, err
	}
	l.Color = MethodColor(method)
	l.Width = vg.Points(1)
	l.Dashes = []vg.Length{vg.Points(4), vg.Points(2)}
	p.Add(l)
	if label == "" {
		label = method + " fit"
	}
	p.Legend.Add(label+": "+f.Short(), l)
	return f, nil
}

// AddSeriesFit is AddSeries followed by AddFit on the per-X means.
func AddSeriesFit(p *plot.Plot, s Series) (fit.Line, error) {
	if err := AddSeries(p, s); err != nil {
		return fit.Line{}, err
	}
	var xs, ys []float64
	for i, x := range s.X {
		if len(s.Y[i]) == 0 {
			continue
		}
		m := stat.Mean(s.Y[i], nil)
		if x > 0 && m > 0 {
			xs, ys = append(xs, x), append(ys, m)
		}
	}
	label := s.Label
	if label == "" {
		label = s.Method
	}
	return AddFit(p, s.Method, label+" fit", xs, ys)
}

// addSeriesFits adds series[m] for each method m to p, with a fitted power
// law where the series has at least 2 points, and returns the fits by
// method.
func addSeriesFits(p *plot.Plot, methods []string, series map[string]Series) (map[string]fit.Line, error) {
	fits := map[string]fit.Line{}
	for _, m := range methods {
		s := series[m]
		if len(s.X) < 2 {
			if err := AddSeries(p, s); err != nil {
				return nil, err
			}
			continue
		}
		f, err := AddSeriesFit(p, s)
		if err != nil {
			return nil, fmt.Errorf("plots: %s: %w", m, err)
		}
		fits[m] = f
	}
	return fits, nil
}

// Render draws p in the given format ("svg", "png", "pdf") at the shared size.
func Render(p *plot.Plot, format string) ([]byte, error) {
	return RenderSized(p, Width, Height, format)
}

// RenderSized draws p in the given format at size w×h.
func RenderSized(p *plot.Plot, w, h vg.Length, format string) ([]byte, error) {
	if p == nil {
		return nil, errors.New("plots: nil plot")
	}
	format = strings.ToLower(strings.TrimPrefix(format, "."))
	switch format {
	case "svg", "png", "pdf":
	default:
		return nil, fmt.Errorf("plots: format %q not supported; accepted: svg, png, pdf", format)
	}
	var buf bytes.Buffer
	err := func() (err error) {
		defer func() {
			// gonum/plot panics on e.g. non-positive data on a log axis;
			// report it as an error instead.
			if r := recover(); r != nil {
				err = fmt.Errorf("plots: drawing failed: %v", r)
			}
		}()
		if format == "png" {
			c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PNGDPI))
			p.Draw(margins(draw.New(c)))
			_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(&buf)
			return err
		}
		c, err := draw.NewFormattedCanvas(w, h, format)
		if err != nil {
			return err
		}
		p.Draw(margins(draw.New(c)))
		_, err = c.WriteTo(&buf)
		return err
	}()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// margins keeps the last tick label, edge markers and the title off the
// image border.
func margins(c draw.Canvas) draw.Canvas {
	return draw.Crop(c, vg.Points(4), -vg.Points(14), vg.Points(2), -vg.Points(6))
}

// Save writes p to path in the format given by its extension (.svg, .png,
// .pdf), at the shared size. The file appears atomically: it is written to
// a temporary name in the same folder and renamed. Missing folders are made.
func Save(p *plot.Plot, path string) error {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	data, err := Render(p, ext)
	if err != nil {
		return fmt.Errorf("plots: Save %s: %w", path, err)
	}
	return atomicfile.WriteBytes(path, data)
}

// SaveAll writes p as dir/name.svg and dir/name.png.
func SaveAll(p *plot.Plot, dir, name string) error {
	for _, ext := range []string{".svg", ".png"} {
		if err := Save(p, filepath.Join(dir, name+ext)); err != nil {
			return err
		}
	}
	return nil
}
