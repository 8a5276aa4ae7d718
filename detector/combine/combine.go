// Package combine fits the combination model of a rules file
// (rulefmt.Combination): a logistic regression over the cues the detector
// found in labelled ads, and the threshold at which it may raise an ad to
// medium.
//
// The rules' weights and levels decide most ads. What they miss are lures
// that carry several weak cues, none of which adds enough to the score:
// the model learns from labelled ads which combinations lures carry and
// honest ads do not. Its threshold is set so that no honest ad of the
// training set that the model could raise is raised, neither by the model
// fitted on all of them nor by the one fitted without it (leave-one-out).
package combine

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lurewatch/lurewatch/detector/rulefmt"
)

// Example is one labelled ad as the model sees it.
type Example struct {
	// Indicators and Categories are the ids of the indicators and
	// categories the detector matched.
	Indicators, Categories []string
	// Lure is the label.
	Lure bool
	// Eligible is set when the model decides for this ad: it is below
	// medium only because of its score (see detector.Combined).
	Eligible bool
}

// Options are the fitting parameters; the zero value means the defaults.
type Options struct {
	// L2 is the weight of the L2 penalty per example that carries a
	// feature (default 0.01).
	L2 float64
	// Iterations bounds the steps of Newton's method (default 100; it
	// converges in a dozen).
	Iterations int
	// MinThreshold is the lowest threshold chosen (default 0.6).
	MinThreshold float64
}

func (o Options) withDefaults() Options {
	if o.L2 == 0 {
		o.L2 = 0.01
	}
	if o.Iterations == 0 {
		o.Iterations = 100
	}
	if o.MinThreshold == 0 {
		o.MinThreshold = 0.6
	}
	return o
}

// Report says what the fitted model does on its training examples.
type Report struct {
	Examples, Lures int
	// EligibleLures and EligibleHonest count the eligible examples.
	EligibleLures, EligibleHonest int
	// MaxHonest is the highest probability of an eligible honest example,
	// under the model fitted to all examples or the one fitted without it,
	// which the threshold is set above.
	MaxHonest float64
	// RaisedLures counts the eligible lures at or above the threshold,
	// RaisedLuresLeftOut those the model fitted without them raises.
	RaisedLures, RaisedLuresLeftOut int
}

// ErrTooFew is returned when the examples cannot fit a model: fewer than
// ten, or only one label.
var ErrTooFew = errors.New("too few examples to fit")

// ErrNotConverged is returned when Newton's method has not reached the
// optimum within Options.Iterations steps.
var ErrNotConverged = errors.New("Newton's method did not converge")

// model is a logistic regression over sparse binary features plus the
// number of categories.
type model struct {
	bias, perCat float64
	w            map[string]float64 // "i:" + indicator id, "c:" + category id
}

// features names e's features: "i:" + each indicator id, "c:" + each
// category id.
func features(e *Example) []string {
	f := make([]string, 0, len(e.Indicators)+len(e.Categories))
	for _, id := range e.Indicators {
		f = append(f, "i:"+id)
	}
	for _, id := range e.Categories {
		f = append(f, "c:"+id)
	}
	return f
}

func (m *model) prob(e *Example) float64 { return m.probOf(features(e), len(e.Categories)) }

// probOf is prob for an example's features f and number of categories.
func (m *model) probOf(f []string, nCats int) float64 {
	z := m.bias + m.perCat*float64(nCats)
	for _, k := range f {
		z += m.w[k]
	}
	return sigmoid(z)
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-max(-30, min(30, z)))) }

// train fits a model to ex: the weights that minimise the log loss plus an
// L2 penalty, found by Newton's method, so that the same examples give the
// same model whatever their order. Each feature's penalty is o.L2 times the
// number of examples that carry it (the bias's and the per-category
// weight's, o.L2 times all of them): a cue seen in many ads must earn its
// weight from many. Newton's method starts from the weights of from, when
// given, and from zero otherwise.
func train(ex []*Example, o Options, from *model) (*model, error) {
	col := map[string]int{}
	var names []string
	rows := make([][]int, len(ex))
	pen := []float64{o.L2 * float64(len(ex)), o.L2 * float64(len(ex))} // bias, per category
	for i, e := range ex {
		for _, k := range features(e) {
			j, ok := col[k]
			if !ok {
				j = len(pen)
				col[k] = j
				names = append(names, k)
				pen = append(pen, 0)
			}
			pen[j] += o.L2
			rows[i] = append(rows[i], j)
		}
	}
	n := len(pen)
	x := func(i, j int) float64 { // the value of column j≤1 for example i
		if j == 0 {
			return 1
		}
		return float64(len(ex[i].Categories))
	}
	w := make([]float64, n)
	if from != nil {
		w[0], w[1] = from.bias, from.perCat
		for j, k := range names {
			w[j+2] = from.w[k]
		}
	}
	z := make([]float64, len(ex))
	margins := func(w []float64) {
		for i, e := range ex {
			s := w[0] + w[1]*float64(len(e.Categories))
			for _, j := range rows[i] {
				s += w[j]
			}
			z[i] = s
		}
	}
	objective := func(w []float64) float64 {
		margins(w)
		var f float64
		for i, e := range ex {
			f += logLoss(z[i], e.Lure)
		}
		for j, v := range w {
			f += pen[j] * v * v / 2
		}
		return f
	}
	g := make([]float64, n)
	h := make([]float64, n*n)
	step := make([]float64, n)
	next := make([]float64, n)
	f := objective(w)
	converged := false
	for range o.Iterations {
		// Gradient and Hessian at w (margins z are w's).
		clear(h)
		for j := range g {
			g[j] = pen[j] * w[j]
			h[j*n+j] = pen[j]
		}
		for i, e := range ex {
			p := sigmoid(z[i])
			d, c := p, p*(1-p)
			if e.Lure {
				d = p - 1
			}
			idx := rows[i]
			for a := 0; a < 2; a++ {
				xa := x(i, a)
				g[a] += d * xa
				for b := 0; b < 2; b++ {
					h[a*n+b] += c * xa * x(i, b)
				}
				for _, j := range idx {
					h[a*n+j] += c * xa
					h[j*n+a] += c * xa
				}
			}
			for _, j := range idx {
				g[j] += d
				for _, k := range idx {
					h[j*n+k] += c
				}
			}
		}
		if err := cholSolve(h, g, step, n); err != nil {
			return nil, err
		}
		// Backtracking: halve the Newton step until the objective falls
		// enough (Armijo), which Newton's method alone does not promise.
		var slope float64
		for j := range g {
			slope += g[j] * step[j]
		}
		t, fNext := 1.0, 0.0
		for range 40 {
			for j := range w {
				next[j] = w[j] - t*step[j]
			}
			if fNext = objective(next); fNext <= f-1e-4*t*slope {
				break
			}
			t /= 2
		}
		var moved float64
		for j := range w {
			moved = max(moved, math.Abs(t*step[j]))
		}
		// The last objective call was on next, so z holds its margins.
		copy(w, next)
		f = fNext
		if moved < 1e-10 {
			converged = true
			break
		}
	}
	if !converged {
		return nil, fmt.Errorf("combination: %w in %d steps", ErrNotConverged, o.Iterations)
	}
	m := &model{bias: w[0], perCat: w[1], w: make(map[string]float64, len(names))}
	for j, k := range names {
		m.w[k] = w[j+2]
	}
	return m, nil
}

// logLoss is the log loss of margin z for label lure, without overflow.
func logLoss(z float64, lure bool) float64 {
	if lure {
		z = -z
	}
	// log(1+e^z)
	if z > 0 {
		return z + math.Log1p(math.Exp(-z))
	}
	return math.Log1p(math.Exp(z))
}

// cholSolve solves h·s = g for s, h being n×n symmetric positive definite
// (row-major; overwritten by its Cholesky factor).
func cholSolve(h, g, s []float64, n int) error {
	for j := 0; j < n; j++ {
		d := h[j*n+j]
		for k := 0; k < j; k++ {
			d -= h[j*n+k] * h[j*n+k]
		}
		if d <= 0 {
			return fmt.Errorf("combination: the Hessian is not positive definite at column %d", j)
		}
		d = math.Sqrt(d)
		h[j*n+j] = d
		for i := j + 1; i < n; i++ {
			v := h[i*n+j]
			for k := 0; k < j; k++ {
				v -= h[i*n+k] * h[j*n+k]
			}
			h[i*n+j] = v / d
		}
	}
	// L·u = g, then Lᵀ·s = u.
	for i := 0; i < n; i++ {
		v := g[i]
		for k := 0; k < i; k++ {
			v -= h[i*n+k] * s[k]
		}
		s[i] = v / h[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		v := s[i]
		for k := i + 1; k < n; k++ {
			v -= h[k*n+i] * s[k]
		}
		s[i] = v / h[i*n+i]
	}
	return nil
}

// Fit fits the model to ex and chooses its threshold: above every eligible
// honest example's probability, both under the model fitted to all of ex
// and under the model fitted without it (leave-one-out), and at least
// o.MinThreshold.
func Fit(ex []Example, o Options) (*rulefmt.Combination, *Report, error) {
	o = o.withDefaults()
	r := &Report{Examples: len(ex)}
	all := make([]*Example, len(ex))
	for i := range ex {
		all[i] = &ex[i]
		if ex[i].Lure {
			r.Lures++
		}
	}
	if len(ex) < 10 || r.Lures == 0 || r.Lures == len(ex) {
		return nil, nil, fmt.Errorf("%w: %d examples, %d lures", ErrTooFew, len(ex), r.Lures)
	}
	m, err := train(all, o, nil)
	if err != nil {
		return nil, nil, err
	}
	// Each eligible example's probability under the model fitted without
	// it (leave-one-out): what the shipped model would give an ad like it
	// that it never saw. One fit per eligible example, each started from
	// the full model's weights, so each takes a few Newton steps; and no
	// dealing into folds, so the threshold does not depend on chance.
	left := make([]float64, len(ex))
	others := make([]*Example, 0, len(ex)-1)
	for i, e := range all {
		if !e.Eligible {
			continue
		}
		others = append(append(others[:0], all[:i]...), all[i+1:]...)
		mi, err := train(others, o, m)
		if err != nil {
			return nil, nil, fmt.Errorf("leave-one-out: %w", err)
		}
		left[i] = mi.prob(e)
		if e.Lure {
			r.EligibleLures++
			continue
		}
		r.EligibleHonest++
		r.MaxHonest = max(r.MaxHonest, m.prob(e), left[i])
	}
	// Two decimals, strictly above the highest honest probability.
	th := max(o.MinThreshold, math.Floor(r.MaxHonest*100+1)/100)
	if th >= 1 {
		return nil, nil, fmt.Errorf("combination: an eligible honest example has probability %.3f: no threshold below 1 keeps it from being raised", r.MaxHonest)
	}
	for i, e := range all {
		if e.Eligible && e.Lure {
			if m.prob(e) >= th {
				r.RaisedLures++
			}
			if left[i] >= th {
				r.RaisedLuresLeftOut++
			}
		}
	}
	c := &rulefmt.Combination{Threshold: th, Bias: round(m.bias), PerCategory: round(m.perCat),
		Categories: map[string]float64{}, Indicators: map[string]float64{}}
	for k, w := range m.w {
		if w = round(w); w == 0 {
			continue
		}
		if id, ok := strings.CutPrefix(k, "i:"); ok {
			c.Indicators[id] = w
		} else {
			c.Categories[strings.TrimPrefix(k, "c:")] = w
		}
	}
	return c, r, nil
}

// round rounds w to three decimals: finer weights say nothing more.
func round(w float64) float64 { return math.Round(w*1000) / 1000 }

// Write writes c as the "combination:" section of a rules file, keys
// sorted.
func Write(w io.Writer, c *rulefmt.Combination) error {
	var b strings.Builder
	b.WriteString("combination:\n")
	fmt.Fprintf(&b, "  fitted: %s\n", strconv.Quote(c.Fitted))
	fmt.Fprintf(&b, "  threshold: %s\n", num(c.Threshold))
	fmt.Fprintf(&b, "  bias: %s\n", num(c.Bias))
	fmt.Fprintf(&b, "  per_category: %s\n", num(c.PerCategory))
	for _, part := range []struct {
		name string
		m    map[string]float64
	}{{"categories", c.Categories}, {"indicators", c.Indicators}} {
		if len(part.m) == 0 {
			fmt.Fprintf(&b, "  %s: {}\n", part.name)
			continue
		}
		fmt.Fprintf(&b, "  %s:\n", part.name)
		for _, id := range slices.Sorted(maps.Keys(part.m)) {
			fmt.Fprintf(&b, "    %s: %s\n", id, num(part.m[id]))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
