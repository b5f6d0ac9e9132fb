package resources

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Need is an estimate of the memory a computation needs at its peak.
type Need struct {
	What  string // the computation, e.g. "rho with n=1024 dim=64"
	Parts []Part // the large arrays, largest first
}

// Part is one large array (or group of arrays) of a Need.
type Part struct {
	Name  string
	Bytes float64 // float64 so that absurd sizes do not overflow
}

// Bytes is the total need in bytes (saturating at math.MaxInt64).
func (n Need) Bytes() int64 {
	t := 0.0
	for _, p := range n.Parts {
		t += p.Bytes
	}
	t *= margin
	if t >= math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(t)
}

// margin covers what the estimates leave out (slices grown by append,
// temporaries, the runtime's own overhead).
const margin = 1.25

// baseline is the memory any command needs besides its arrays (runtime,
// libraries, the compute backend).
const baseline = 64 << 20

func (n Need) add(name string, bytes float64) Need {
	n.Parts = append(n.Parts, Part{name, bytes})
	return n
}

func (n Need) sorted() Need {
	sort.SliceStable(n.Parts, func(i, j int) bool { return n.Parts[i].Bytes > n.Parts[j].Bytes })
	return n
}

// String describes the need and its largest parts.
func (n Need) String() string {
	n = n.sorted()
	var parts []string
	for i, p := range n.Parts {
		if i == 3 {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s", p.Name, Format(p.Bytes)))
	}
	return fmt.Sprintf("%s needs about %s (%s)", n.What, Format(float64(n.Bytes())), strings.Join(parts, ", "))
}

const f64, f32 = 8.0, 4.0

func fl(xs ...int) float64 {
	p := 1.0
	for _, x := range xs {
		p *= float64(max(x, 0))
	}
	return p
}

// FactSet is the need of generating a fact set: keys and values tables
// (n values, keys keys, in dimension dim) and, for the conditioned and
// spiked families, a dim×dim covariance and its factors.
func FactSet(n, keys, dim int, family string) Need {
	keys = max(keys, n)
	need := Need{What: fmt.Sprintf("a fact set with n=%d dim=%d", n, dim)}
	need = need.add("base", baseline)
	need = need.add("keys and values", f64*(fl(n, dim)+fl(keys, dim))+f64*fl(keys))
	switch strings.ToLower(family) {
	case "conditioned", "spiked", "clustered":
		need = need.add("covariance factors", 3*f64*fl(dim, dim))
	}
	return need
}

// Rho is the need of the decodability ρ(V) of n values in dimension dim
// with workers goroutines (package geometry): the fact set, a centred copy,
// the separators, each value's support and weights (at most dim+1 each),
// and per worker a (dim+2)² Cholesky factor and O(n) scratch.
func Rho(n, dim, workers int, family string, whiten bool) Need {
	need := FactSet(n, n, dim, family)
	need.What = fmt.Sprintf("rho with n=%d dim=%d", n, dim)
	need = need.add("copies and separators", 2*f64*fl(n, dim))
	need = need.add("supports and weights", 16*fl(n, dim+1))
	need = need.add("solver workspaces", fl(max(workers, 1))*(f64*fl(dim+2, dim+2)+4*f64*fl(n)))
	if whiten {
		need = need.add("whitening", 4*f64*fl(dim, dim)+f64*fl(n, dim))
	}
	return need
}

// Construct is the need of building a fact MLP of width hidden for facts
// keys and values values in dimension dim (package construction: the
// separators, the three weight matrices) and verifying it (Verify).
func Construct(facts, values, dim, hidden int) Need {
	need := FactSet(values, facts, dim, "")
	need.What = fmt.Sprintf("an MLP with facts=%d dim=%d hidden=%d", facts, dim, hidden)
	need = need.add("separators", 2*f64*fl(values, dim))
	need = need.add("weights", 3*f64*fl(hidden, dim))
	v := Verify(facts, values, dim, hidden)
	for _, p := range v.Parts[1:] { // Verify's own parts, without its fact set
		need = need.add(p.Name, p.Bytes)
	}
	return need
}

// Verify is the need of checking a fact MLP exactly (package mlp): the
// weights, float32 copies, and the facts×hidden activations and
// facts×values logits in float32.
func Verify(facts, values, dim, hidden int) Need {
	need := Need{What: fmt.Sprintf("verifying an MLP with facts=%d dim=%d hidden=%d", facts, dim, hidden)}
	need = need.add("base", baseline)
	need = need.add("weights in float32", 3*f32*fl(hidden, dim))
	need = need.add("activations", 3*f32*fl(facts, hidden))
	need = need.add("logits", f32*fl(facts, values)+2*f32*fl(facts, dim))
	return need
}

// Capacity is the need of one capacity trial at width hidden trained on
// at most batch facts at a time (gradient descent keeps weights, Adam
// moments and gradients, and batch×hidden activations for backpropagation).
func Capacity(facts, values, dim, hidden, batch int) Need {
	need := Construct(facts, values, dim, hidden)
	need.What = fmt.Sprintf("capacity with facts=%d dim=%d at hidden=%d", facts, dim, hidden)
	need = need.add("training state", 4*f32*fl(hidden, dim))
	need = need.add("training activations", 6*f32*fl(min(max(batch, 1), facts), hidden))
	return need
}

// SSFR is the need of training a one-layer Transformer on the SSFR task
// (package transformer): facts facts in dimension dim with an MLP of width
// hidden (0: about 2·facts), batch sequences of seqLen tokens per step,
// vocab output logits per sequence, evaluated in batches of evalSeqs.
func SSFR(facts, dim, hidden, batch, evalSeqs, seqLen, vocab int) Need {
	if hidden <= 0 {
		hidden = 2 * facts
	}
	need := Construct(facts, facts, dim, hidden)
	need.What = fmt.Sprintf("ssfr with facts=%d dim=%d hidden=%d batch=%d", facts, dim, hidden, batch)
	rows := max(batch, evalSeqs)
	// Forward and backward keep about a dozen B×T×d tensors (attention
	// inputs, outputs, norms, residuals, their gradients), the B×T×T
	// attention weights, the B×hidden MLP activations and B×vocab logits.
	need = need.add("Transformer activations", f32*(12*fl(rows, seqLen, dim)+4*fl(rows, seqLen, seqLen)+6*fl(rows, hidden)+4*fl(rows, vocab)))
	need = need.add("embeddings and optimiser", 6*f32*fl(vocab+1, dim))
	return need
}

// Limit is the memory a computation may use and where that figure comes
// from.
type Limit struct {
	Bytes  int64
	Source string // e.g. "MemAvailable in /proc/meminfo", "--max-memory"
}

// Available is the memory this process may still use: the smaller of
// MemAvailable and the cgroup limit less the cgroup's usage.
func Available() (Limit, error) {
	var lim Limit
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if kb, ok := meminfo(b, "MemAvailable"); ok {
			lim = Limit{kb * 1024, "MemAvailable in /proc/meminfo"}
		}
	}
	for _, c := range []struct{ max, cur string }{
		{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"},
		{"/sys/fs/cgroup/memory/memory.limit_in_bytes", "/sys/fs/cgroup/memory/memory.usage_in_bytes"},
	} {
		m, ok := readInt(c.max)
		if !ok || m >= 1<<60 { // "max" or the v1 "unlimited" value
			continue
		}
		cur, _ := readInt(c.cur)
		if left := m - cur; lim.Bytes == 0 || left < lim.Bytes {
			lim = Limit{max(left, 0), "the cgroup memory limit (" + c.max + ")"}
		}
		break
	}
	if lim.Source == "" {
		return lim, errors.New("resources: cannot tell the available memory (no /proc/meminfo or cgroup limit)")
	}
	return lim, nil
}

func meminfo(b []byte, key string) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == key+":" {
			v, err := strconv.ParseInt(f[1], 10, 64)
			return v, err == nil
		}
	}
	return 0, false
}

func readInt(path string) (int64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return v, err == nil
}

// ErrTooLarge is wrapped by Check's error when the need exceeds the limit.
var ErrTooLarge = errors.New("needs more memory than is available")

// Check returns an error wrapping ErrTooLarge when need exceeds the limit:
// budget when it is positive (named by budgetName, e.g. "--max-memory"),
// else what Available reports. A negative budget turns the check off. When
// the machine's memory cannot be read, nothing is refused.
func Check(need Need, budget int64, budgetName string) error {
	if budget < 0 {
		return nil
	}
	lim := Limit{budget, budgetName}
	if budget == 0 {
		var err error
		if lim, err = Available(); err != nil {
			return nil
		}
	}
	if b := need.Bytes(); b > lim.Bytes {
		hint := ""
		if budgetName != "" {
			hint = fmt.Sprintf("; smaller sizes fit, or set %s to override", budgetName)
		}
		return fmt.Errorf("%s, but %s gives %s: %w%s", need, lim.Source, Format(float64(lim.Bytes)), ErrTooLarge, hint)
	}
	return nil
}

// Format writes a byte count with a binary unit ("1.5 GiB").
func Format(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%.0f B", b)
	}
	if b >= 1e4 {
		return fmt.Sprintf("%.3g %s", b, units[i])
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}

// ParseBytes reads a memory size: a number with an optional unit B, KB,
// MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024),
// e.g. "512MiB", "8GB", "1e9". "off" (or -1) turns the check off (−1),
// "" or "0" means the machine's available memory (0).
func ParseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "", "0", "auto":
		return 0, nil
	case "off", "-1", "none":
		return -1, nil
	}
	units := []struct {
		suffix string
		mult   float64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
		{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12}, {"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"t", 1 << 40}, {"b", 1}}
	num, mult := strings.ToLower(t), 1.0
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || v*mult >= math.MaxInt64 {
		return 0, fmt.Errorf("memory size %q; accepted: a positive size such as 512MiB, 8GB or 1e9 (bytes), 0/auto for the machine's available memory, or off", s)
	}
	return int64(v * mult), nil
}
