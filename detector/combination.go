package detector

import (
	"math"
	"strconv"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector/rulefmt"
)

// combModel is a compiled rulefmt.Combination: the weights by category and
// indicator index.
type combModel struct {
	threshold, bias, perCat float64
	cat, ind                []float64
}

// compileCombination compiles the rules' combination model, or returns nil
// when they have none. The ids were checked by rulefmt.
func compileCombination(rules *rulefmt.File, catIdx map[string]int, inds []indicator) *combModel {
	c := rules.Combination
	if c == nil {
		return nil
	}
	m := &combModel{threshold: c.Threshold, bias: c.Bias, perCat: c.PerCategory,
		cat: make([]float64, len(rules.Categories)), ind: make([]float64, len(inds))}
	for id, w := range c.Categories {
		m.cat[catIdx[id]] = w
	}
	for i, ind := range inds {
		m.ind[i] = c.Indicators[ind.id]
	}
	return m
}

// Combined is what the combination model (rulefmt.Combination) made of an
// ad, for fitting and evaluating it.
type Combined struct {
	// Eligible is set when the ad is below medium only because of its
	// score: every other condition of the medium level holds and no
	// muting category (a warning, an account) matched. The model decides
	// only for such ads.
	Eligible bool
	// Probability is the model's probability that the ad is a lure; 0
	// when the ad is not eligible or the rules have no model.
	Probability float64
	// Raised is set when the model raised the ad to medium.
	Raised bool
}

// AssessCombined assesses ad as Assess does, and says what the combination
// model made of it.
func (d *Detector) AssessCombined(ad *lurewatch.Ad) (lurewatch.Assessment, Combined) {
	var c Combined
	a := d.assess(ad, &c)
	return a, c
}

// combine decides whether the combination model raises an ad from below
// medium to medium. ms are its matched indicators, nCats the categories
// they fall in, mute whether a muting category matched, and level the
// level reached without the model. It returns whether the model raises
// the ad, and its probability; it reports in c when c is not nil.
func (d *Detector) combine(ms []matched, nCats int, catSeen []bool, catScore []float64, nRaise int, mute bool, level lurewatch.Level, c *Combined) (bool, float64) {
	if level >= lurewatch.LevelMedium || mute || (d.comb == nil && c == nil) {
		return false, 0
	}
	if !d.passes(lurewatch.LevelMedium, nRaise, catSeen, catScore) {
		return false, 0
	}
	if c != nil {
		c.Eligible = true
	}
	m := d.comb
	if m == nil {
		return false, 0
	}
	z := m.bias + m.perCat*float64(nCats)
	for i, seen := range catSeen {
		if seen {
			z += m.cat[i]
		}
	}
	for _, x := range ms {
		z += m.ind[x.ind]
	}
	p := 1 / (1 + math.Exp(-z))
	raised := p >= m.threshold
	if c != nil {
		c.Probability, c.Raised = p, raised
	}
	return raised, p
}

// appendCombined appends the summary's note that the combination model
// raised the ad, with its probability (rounded down to two decimals, but
// never shown below the threshold it reached) and the threshold.
func (d *Detector) appendCombined(b []byte, p float64) []byte {
	th := d.comb.threshold
	b = append(b, " (raised to medium: lures carry this combination of cues; fitted model "...)
	b = strconv.AppendFloat(b, max(math.Floor(p*100)/100, th), 'f', -1, 64)
	b = append(b, " ≥ "...)
	b = strconv.AppendFloat(b, th, 'f', -1, 64)
	return append(b, ')')
}
