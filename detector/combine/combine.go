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
// fitted on all of them nor by one fitted without it (cross-validation).
package combine

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
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
	// L2 is the weight of the L2 penalty (default 0.01).
	L2 float64
	// Epochs is the number of passes over the examples (default 60).
	Epochs int
	// Rate is the base learning rate of AdaGrad (default 0.1).
	Rate float64
	// Folds is the number of cross-validation folds (default 5).
	Folds int
	// MinThreshold is the lowest threshold chosen (default 0.6).
	MinThreshold float64
	// Seed makes the example order, and so the model, reproducible.
	Seed uint64
}

func (o Options) withDefaults() Options {
	if o.L2 == 0 {
		o.L2 = 0.01
	}
	if o.Epochs == 0 {
		o.Epochs = 60
	}
	if o.Rate == 0 {
		o.Rate = 0.1
	}
	if o.Folds == 0 {
		o.Folds = 5
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
	// in-sample or out of fold, which the threshold is set above.
	MaxHonest float64
	// RaisedLures counts the eligible lures at or above the threshold,
	// RaisedLuresOutOfFold those the model fitted without them raises.
	RaisedLures, RaisedLuresOutOfFold int
}

// ErrTooFew is returned when the examples cannot fit a model: fewer than
// ten, or only one label.
var ErrTooFew = errors.New("too few examples to fit")

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

// train fits a model to ex by AdaGrad with an L2 penalty, visiting the
// examples in an order drawn from seed.
func train(ex []*Example, o Options, seed uint64) *model {
	m := &model{w: map[string]float64{}}
	g2 := map[string]float64{}
	var g2bias, g2cat float64
	order := make([]int, len(ex))
	for i := range order {
		order[i] = i
	}
	feats := make([][]string, len(ex))
	for i, e := range ex {
		feats[i] = features(e)
	}
	rng := rand.New(rand.NewPCG(seed, 0x6c757265))
	step := func(w *float64, g2 *float64, g float64) {
		*g2 += g * g
		*w -= o.Rate * g / math.Sqrt(*g2+1e-8)
	}
	for range o.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			e := ex[i]
			y := 0.0
			if e.Lure {
				y = 1
			}
			d := m.probOf(feats[i], len(e.Categories)) - y
			for _, k := range feats[i] {
				w := m.w[k]
				s := g2[k]
				step(&w, &s, d+o.L2*w)
				m.w[k], g2[k] = w, s
			}
			step(&m.bias, &g2bias, d+o.L2*m.bias)
			step(&m.perCat, &g2cat, d*float64(len(e.Categories))+o.L2*m.perCat)
		}
	}
	return m
}

// Fit fits the model to ex and chooses its threshold: above every eligible
// honest example's probability, both under the model fitted to all of ex
// and out of fold, and at least o.MinThreshold.
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
	m := train(all, o, o.Seed)
	// Out-of-fold probabilities of the eligible examples.
	rng := rand.New(rand.NewPCG(o.Seed, 0x666f6c64))
	fold := rng.Perm(len(ex))
	oof := make([]float64, len(ex))
	for k := range o.Folds {
		var in []*Example
		for i, e := range all {
			if fold[i]%o.Folds != k {
				in = append(in, e)
			}
		}
		mk := train(in, o, o.Seed+uint64(k)+1)
		for i, e := range all {
			if fold[i]%o.Folds == k && e.Eligible {
				oof[i] = mk.prob(e)
			}
		}
	}
	for i, e := range all {
		if !e.Eligible {
			continue
		}
		if e.Lure {
			r.EligibleLures++
			continue
		}
		r.EligibleHonest++
		r.MaxHonest = max(r.MaxHonest, m.prob(e), oof[i])
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
			if oof[i] >= th {
				r.RaisedLuresOutOfFold++
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
