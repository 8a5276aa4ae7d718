package combine

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/lurewatch/lurewatch/detector/rulefmt"
)

// rules is a small valid rules file whose ids the examples use.
const rules = `version: "t1"
levels:
  low: {min_score: 10}
  medium: {min_score: 40, min_categories: 2}
  high: {min_score: 60, min_categories: 3}
  critical: {min_score: 80, min_categories: 4}
categories:
  - {id: place, cap: 30}
  - {id: pay, cap: 20}
  - {id: legit, effect: lower, cap: 20}
indicators:
  - {id: place.shv, category: place, weight: 25, phrases: {en: [Sihanoukville]}}
  - {id: pay.usd, category: pay, weight: 10, phrases: {en: [usd]}}
  - {id: legit.licence, category: legit, weight: 10, phrases: {en: [licence no]}}
`

// examples: lures carry place.shv, honest ads pay.usd and often a licence;
// some of each are eligible.
func examples() []Example {
	var ex []Example
	for i := range 60 {
		ex = append(ex, Example{Indicators: []string{"place.shv", "pay.usd"}, Categories: []string{"pay", "place"}, Lure: true, Eligible: i%4 == 0})
		honest := Example{Indicators: []string{"pay.usd"}, Categories: []string{"pay"}, Eligible: i%3 == 0}
		if i%2 == 0 {
			honest.Indicators = append(honest.Indicators, "legit.licence")
			honest.Categories = append(honest.Categories, "legit")
		}
		ex = append(ex, honest)
	}
	// An honest ad in the lures' place keeps the threshold up.
	ex = append(ex, Example{Indicators: []string{"place.shv", "legit.licence"}, Categories: []string{"place", "legit"}, Eligible: true})
	return ex
}

// prob is the probability rulefmt.Combination documents.
func prob(c *rulefmt.Combination, e *Example) float64 {
	z := c.Bias + c.PerCategory*float64(len(e.Categories))
	for _, id := range e.Categories {
		z += c.Categories[id]
	}
	for _, id := range e.Indicators {
		z += c.Indicators[id]
	}
	return 1 / (1 + math.Exp(-z))
}

func TestFit(t *testing.T) {
	ex := examples()
	c, r, err := Fit(ex, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Indicators["place.shv"] <= c.Indicators["pay.usd"] || c.Indicators["legit.licence"] >= 0 {
		t.Errorf("weights %v: want place.shv above pay.usd, and legit.licence negative", c.Indicators)
	}
	if r.Examples != len(ex) || r.Lures != 60 || r.EligibleLures != 15 || r.EligibleHonest != 21 {
		t.Errorf("report %+v", r)
	}
	if c.Threshold < 0.6 || c.Threshold <= r.MaxHonest || c.Threshold >= 1 {
		t.Errorf("threshold %v with highest honest probability %v", c.Threshold, r.MaxHonest)
	}
	raised := 0
	for i := range ex {
		e := &ex[i]
		if !e.Eligible {
			continue
		}
		p := prob(c, e)
		if !e.Lure && p >= c.Threshold {
			t.Errorf("honest example %d %v raised: p %.3f ≥ %v", i, e.Indicators, p, c.Threshold)
		}
		if e.Lure && p >= c.Threshold {
			raised++
		}
	}
	if raised != r.RaisedLures || raised == 0 {
		t.Errorf("%d eligible lures raised by the written weights, report says %d", raised, r.RaisedLures)
	}
	// The same examples give the same model.
	c2, _, err := Fit(ex, Options{})
	if err != nil || !reflect.DeepEqual(c, c2) {
		t.Errorf("a second fit differs: %+v vs %+v (%v)", c, c2, err)
	}
}

func TestFitTooFew(t *testing.T) {
	for name, ex := range map[string][]Example{
		"no examples": nil,
		"no lures":    make([]Example, 20),
		"only lures":  slicesOf(20, Example{Lure: true}),
	} {
		if _, _, err := Fit(ex, Options{}); !errors.Is(err, ErrTooFew) {
			t.Errorf("%s: error %v, want ErrTooFew", name, err)
		}
	}
}

func slicesOf(n int, e Example) []Example {
	out := make([]Example, n)
	for i := range out {
		out[i] = e
	}
	return out
}

// TestFitIndistinguishable: when an honest eligible ad carries the very
// cues of the lures, the threshold goes above it, so no lure is raised
// either, and the report says so.
func TestFitIndistinguishable(t *testing.T) {
	var ex []Example
	for range 30 {
		ex = append(ex, Example{Indicators: []string{"place.shv"}, Categories: []string{"place"}, Lure: true, Eligible: true})
	}
	twin := Example{Indicators: []string{"place.shv"}, Categories: []string{"place"}, Eligible: true}
	ex = append(ex, twin)
	for range 30 {
		ex = append(ex, Example{Indicators: []string{"pay.usd"}, Categories: []string{"pay"}})
	}
	c, r, err := Fit(ex, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p := prob(c, &twin); p >= c.Threshold {
		t.Errorf("the honest twin is raised: p %.3f ≥ %v", p, c.Threshold)
	}
	if r.RaisedLures != 0 || r.RaisedLuresLeftOut != 0 {
		t.Errorf("report %+v: want no lure raised", r)
	}
}

// TestWriteParses: the section Write prints is valid in a rules file and
// reads back as the same model.
func TestWriteParses(t *testing.T) {
	c, _, err := Fit(examples(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c.Fitted = `by a test: "quoted"`
	var b bytes.Buffer
	if err := Write(&b, c); err != nil {
		t.Fatal(err)
	}
	f, err := rulefmt.Parse("r.yaml", []byte(rules+b.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if !reflect.DeepEqual(f.Combination, c) {
		t.Errorf("read back %+v, want %+v", f.Combination, c)
	}
}

// TestTrainOptimum: train returns the minimum of its objective, where the
// gradient of the log loss plus the penalty is zero, computed here apart
// from the solver's own bookkeeping.
func TestTrainOptimum(t *testing.T) {
	ex := examples()
	// Some noise, so that no weight runs off: a lure without the place, an
	// honest ad with it and no licence.
	ex = append(ex, Example{Indicators: []string{"pay.usd"}, Categories: []string{"pay"}, Lure: true},
		Example{Indicators: []string{"place.shv", "pay.usd"}, Categories: []string{"pay", "place"}})
	all := make([]*Example, len(ex))
	for i := range ex {
		all[i] = &ex[i]
	}
	o := Options{}.withDefaults()
	m, err := train(all, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	grad := map[string]float64{"bias": o.L2 * float64(len(ex)) * m.bias, "per category": o.L2 * float64(len(ex)) * m.perCat}
	for _, e := range all {
		d := m.prob(e)
		if e.Lure {
			d--
		}
		grad["bias"] += d
		grad["per category"] += d * float64(len(e.Categories))
		for _, k := range features(e) {
			grad[k] += d + o.L2*m.w[k]
		}
	}
	if len(grad) != 2+len(m.w) {
		t.Errorf("%d gradient components for %d weights", len(grad), len(m.w))
	}
	for k, g := range grad {
		if math.Abs(g) > 1e-6 {
			t.Errorf("gradient %s = %g, want 0 at the optimum", k, g)
		}
	}
	// Started from the optimum of other examples, it reaches the same
	// point as from zero.
	m2, err := train(all, o, &model{bias: 3, perCat: -2, w: map[string]float64{"i:place.shv": -5}})
	if err != nil {
		t.Fatal(err)
	}
	for k, w := range m.w {
		if math.Abs(w-m2.w[k]) > 1e-6 {
			t.Errorf("weight %s: %g from zero, %g from elsewhere", k, w, m2.w[k])
		}
	}
}

// TestFitOrderFree: the fitted section does not depend on the order of the
// examples (the old stochastic fit's threshold moved by a tenth with it).
func TestFitOrderFree(t *testing.T) {
	ex := examples()
	c, _, err := Fit(ex, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(ex)
	slices.Reverse(rev)
	// And a stride through them.
	var strided []Example
	for k := range 7 {
		for i := k; i < len(ex); i += 7 {
			strided = append(strided, ex[i])
		}
	}
	for name, o := range map[string][]Example{"reversed": rev, "strided": strided} {
		c2, _, err := Fit(o, Options{})
		if err != nil || !reflect.DeepEqual(c, c2) {
			t.Errorf("%s: %+v, want %+v (%v)", name, c2, c, err)
		}
	}
}

// TestFitLeftOut: an honest ad whose one distinguishing cue no other ad
// carries is kept low by the model fitted with it, which learns that cue;
// the model fitted without it does not know the cue, and the threshold
// goes above the probability that model gives it.
func TestFitLeftOut(t *testing.T) {
	var ex []Example
	for i := range 40 {
		ex = append(ex, Example{Indicators: []string{"place.shv", "pay.usd"}, Categories: []string{"pay", "place"}, Lure: true, Eligible: i%5 == 0})
		ex = append(ex, Example{Indicators: []string{"pay.usd"}, Categories: []string{"pay"}, Eligible: i%5 == 0})
	}
	odd := Example{Indicators: []string{"place.shv", "pay.usd", "legit.licence"}, Categories: []string{"pay", "place", "legit"}, Eligible: true}
	ex = append(ex, odd)
	c, r, err := Fit(ex, Options{MinThreshold: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	all := make([]*Example, 0, len(ex)-1)
	for i := range ex[:len(ex)-1] {
		all = append(all, &ex[i])
	}
	without, err := train(all, Options{}.withDefaults(), nil)
	if err != nil {
		t.Fatal(err)
	}
	pIn, pOut := prob(c, &odd), without.prob(&odd)
	if pIn >= pOut {
		t.Fatalf("fixture: the ad's probability %.3f with it in training, %.3f without; want lower with", pIn, pOut)
	}
	if c.Threshold <= pOut || r.MaxHonest < pOut-1e-9 {
		t.Errorf("threshold %v, highest honest %.3f: want above %.3f, the probability the model fitted without the ad gives it", c.Threshold, r.MaxHonest, pOut)
	}
}

// TestTrainNotConverged: a solver that runs out of steps says so rather
// than return weights short of the optimum.
func TestTrainNotConverged(t *testing.T) {
	if _, _, err := Fit(examples(), Options{Iterations: 1}); !errors.Is(err, ErrNotConverged) {
		t.Errorf("error %v, want one saying Newton's method did not converge", err)
	}
}
