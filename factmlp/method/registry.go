package method

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/factmlp/factmlp/factmlp/construction"
	"github.com/factmlp/factmlp/factmlp/factset"
	"github.com/factmlp/factmlp/factmlp/mlp"
	"github.com/factmlp/factmlp/factmlp/progress"
	"github.com/factmlp/factmlp/factmlp/training"
)

// Settings configure a method selected by name. Zero fields take the
// method's defaults; a method ignores the settings it does not take (see
// Entry.Unused to refuse them instead).
type Settings struct {
	// Act is the gate non-linearity ("": Entry.DefaultAct).
	Act mlp.Activation
	// CodeDim is the decoder's code dimension m of the encoder–decoder
	// methods (0: the smallest that decodes).
	CodeDim int
	// Whiten is the whitening strength α ∈ [0, 1] of encdec (0: none; see
	// WhitenedEncDec).
	Whiten float64
	// Train holds the gradient-descent settings of the trained methods;
	// its Hidden, Act and Seed are set by the method.
	Train training.Options
	// NoRefine makes encdec-gd keep every code exactly R·u*_v, the decoder
	// as first drawn (construction.DecoderOptions); other methods ignore it
	// (the closed-form construction without refinement is the registered
	// method "encdec-norefine").
	NoRefine bool
	// Separators are the fact set's optimal separators computed earlier
	// (construction.ComputeSeparators), reused by encdec; the construction
	// refuses separators of another fact set.
	Separators *construction.Separators
	Progress   progress.Func
	// Trainer trains gd's MLPs (nil: training.Train); see GD.Trainer.
	Trainer func(*factset.FactSet, training.Options) (*training.Result, error)
}

// Setting names one field of Settings, as the CLI's flags spell it.
type Setting string

// The settings a method may take.
const (
	SetAct     Setting = "act"
	SetCodeDim Setting = "code-dim"
	SetWhiten  Setting = "whiten"
	SetTrain   Setting = "train"
)

// Entry is a registered method.
type Entry struct {
	Name    string
	Summary string // one line for help texts
	// DefaultAct is the gate the method uses when Settings.Act is empty.
	DefaultAct mlp.Activation
	// Takes lists the settings the method reads, besides the hints every
	// method may ignore (NoRefine, Separators, Progress).
	Takes []Setting
	// Trains says the method trains by gradient descent, so a width search
	// costs a training run per width.
	Trains bool
	// DefaultLoss is the training loss of a method that trains when
	// Settings.Train.Loss is empty.
	DefaultLoss training.Loss
	// SearchMax is the largest width a capacity search tries by default
	// (0: 1<<16).
	SearchMax int
	// New returns the method configured by s.
	New func(s Settings) (Method, error)
}

// Unused returns the settings given in s that the method does not take (an
// Act equal to DefaultAct counts as not given).
func (e Entry) Unused(s Settings) []Setting {
	given := map[Setting]bool{
		SetAct:     s.Act != "" && s.Act != e.DefaultAct,
		SetCodeDim: s.CodeDim != 0,
		SetWhiten:  s.Whiten != 0,
		SetTrain:   !reflect.ValueOf(s.Train).IsZero(),
	}
	var out []Setting
	for _, x := range []Setting{SetAct, SetCodeDim, SetWhiten, SetTrain} {
		if given[x] && !slices.Contains(e.Takes, x) {
			out = append(out, x)
		}
	}
	return out
}

var registry = struct {
	sync.RWMutex
	m map[string]Entry
}{m: map[string]Entry{}}

// Register adds a method to the registry; the name must be new, lower case
// and free of spaces.
func Register(e Entry) error {
	if e.Name == "" || e.Name != strings.ToLower(e.Name) || strings.ContainsAny(e.Name, " \t,|") || e.New == nil {
		return fmt.Errorf("method: cannot register %q: a method needs a lower-case name without spaces, commas or bars and a New function", e.Name)
	}
	registry.Lock()
	defer registry.Unlock()
	if _, ok := registry.m[e.Name]; ok {
		return fmt.Errorf("method: %q is already registered", e.Name)
	}
	registry.m[e.Name] = e
	return nil
}

// Names lists the registered method names, sorted.
func Names() []string {
	registry.RLock()
	defer registry.RUnlock()
	names := make([]string, 0, len(registry.m))
	for n := range registry.m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Lookup returns the registered method name (case and surrounding spaces
// ignored), or an error listing every accepted name.
func Lookup(name string) (Entry, error) {
	registry.RLock()
	e, ok := registry.m[strings.ToLower(strings.TrimSpace(name))]
	registry.RUnlock()
	if !ok {
		return Entry{}, fmt.Errorf("method: unknown method %q; accepted: %s", name, strings.Join(Names(), ", "))
	}
	return e, nil
}

// New returns the method registered as name, configured by s.
func New(name string, s Settings) (Method, error) {
	e, err := Lookup(name)
	if err != nil {
		return nil, err
	}
	if s.Act != "" {
		if _, err := mlp.ParseActivation(string(s.Act)); err != nil {
			return nil, err
		}
	}
	return e.New(s)
}

// TakenBy lists the registered methods that take setting x.
func TakenBy(x Setting) []string {
	var out []string
	for _, n := range Names() {
		e, _ := Lookup(n)
		if slices.Contains(e.Takes, x) {
			out = append(out, n)
		}
	}
	return out
}

func actOr(a, def mlp.Activation) mlp.Activation {
	if a == "" {
		return def
	}
	return a
}

func init() {
	for _, e := range []Entry{
		{Name: "encdec", Summary: "encoder–decoder construction (closed form)", DefaultAct: mlp.ReLU,
			Takes: []Setting{SetAct, SetCodeDim, SetWhiten},
			New: func(s Settings) (Method, error) {
				act := actOr(s.Act, mlp.ReLU)
				if act == mlp.Identity {
					return nil, fmt.Errorf("method encdec: the gate must be non-linear (relu or silu); with the identity gate every unit sees the same key-only features")
				}
				if s.Whiten != 0 {
					if !(s.Whiten > 0 && s.Whiten <= 1) {
						return nil, fmt.Errorf("method encdec: whitening strength %g; it must be in [0, 1]", s.Whiten)
					}
					// The separators of the whitened values are not those given.
					return WhitenedEncDec{Alpha: s.Whiten, EncDec: EncDec{Act: act, CodeDim: s.CodeDim, Progress: s.Progress}}, nil
				}
				return EncDec{Act: act, CodeDim: s.CodeDim, Separators: s.Separators, Progress: s.Progress}, nil
			}},
		{Name: "encdec-norefine", Summary: "encoder–decoder construction with every code exactly R·u* (no code refinement)", DefaultAct: mlp.ReLU,
			Takes: []Setting{SetAct, SetCodeDim},
			New: func(s Settings) (Method, error) {
				act := actOr(s.Act, mlp.ReLU)
				if act == mlp.Identity {
					return nil, fmt.Errorf("method encdec-norefine: the gate must be non-linear (relu or silu); with the identity gate every unit sees the same key-only features")
				}
				return EncDec{Act: act, CodeDim: s.CodeDim, NoRefine: true, Separators: s.Separators, Progress: s.Progress}, nil
			}},
		{Name: "encdec-gd", Summary: "encoder–decoder with the decoder fixed and the encoder trained by GD", DefaultAct: mlp.ReLU,
			Takes: []Setting{SetAct, SetCodeDim, SetTrain}, Trains: true, DefaultLoss: training.MSE,
			New: func(s Settings) (Method, error) {
				o := s.Train
				o.Act, o.Progress = actOr(s.Act, mlp.ReLU), s.Progress
				return EncDecGD{Options: o, CodeDim: s.CodeDim, NoRefine: s.NoRefine}, nil
			}},
		{Name: "gd", Summary: "gradient descent (package training)", DefaultAct: mlp.Identity,
			Takes: []Setting{SetAct, SetTrain}, Trains: true, DefaultLoss: training.CE,
			New: func(s Settings) (Method, error) {
				o := s.Train
				o.Act, o.Progress = actOr(s.Act, mlp.Identity), s.Progress
				return GD{Options: o, Trainer: s.Trainer}, nil
			}},
		{Name: "lookup", Summary: "one ReLU unit per key (the most wasteful exact MLP)", DefaultAct: mlp.ReLU,
			New: func(Settings) (Method, error) { return LookupTable{}, nil }},
		{Name: "lstsq", Summary: "random SiLU features, down projection fitted by least squares", DefaultAct: mlp.SiLU,
			New: func(Settings) (Method, error) { return LeastSquares{}, nil }},
		{Name: "ntk", Summary: "the NTK baseline of Nichani et al. (2024)", DefaultAct: mlp.ReLU,
			Takes: []Setting{SetAct},
			// The NTK saturates: past a d-dependent F no width stores.
			SearchMax: 1 << 14,
			New: func(s Settings) (Method, error) {
				return NTK{Act: actOr(s.Act, mlp.ReLU)}, nil
			}},
	} {
		if err := Register(e); err != nil {
			panic(err) // a programming error in the table above
		}
	}
}
