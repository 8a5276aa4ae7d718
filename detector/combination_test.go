package detector_test

import (
	"math"
	"strings"
	"testing"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector"
)

// smallCombination is the small rules with a combination model that
// weighs "kk" and "vill" together as a lure and a $ amount against one.
const smallCombination = small + `combination:
  fitted: by hand, for tests
  threshold: 0.7
  bias: -2
  per_category: 0
  categories: {warning: 0}
  indicators: {visa.kk: 2, place.suffix: 1.5, pay.usd: -3}
`

func TestCombination(t *testing.T) {
	plain := loadSmall(t)
	d, err := detector.Load("small.yaml", []byte(smallCombination))
	if err != nil {
		t.Fatal(err)
	}
	p := 1 / (1 + math.Exp(-1.5)) // -2 + 2 + 1.5
	tests := []struct {
		name, text     string
		without, with  lurewatch.Level
		eligible       bool
		probability    float64
		summaryMention string
	}{
		{"weak cues that lures combine", "kk in vill", lurewatch.LevelLow, lurewatch.LevelMedium, true, p, "raised to medium: lures carry this combination of cues; fitted model 0.81 ≥ 0.7"},
		{"a combination the model weighs against", "kk $1500", lurewatch.LevelLow, lurewatch.LevelLow, true, 1 / (1 + math.Exp(3)), ""},
		{"one category: medium needs two", "kk kk", lurewatch.LevelLow, lurewatch.LevelLow, false, 0, ""},
		{"a warning is never raised", "beware: kk in vill", lurewatch.LevelLow, lurewatch.LevelLow, false, 0, ""},
		{"medium by score is left alone", "sihanoukville $1500", lurewatch.LevelMedium, lurewatch.LevelMedium, false, 0, ""},
		{"never raised above medium", "visa in sihanoukville", lurewatch.LevelMedium, lurewatch.LevelMedium, false, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ad := &lurewatch.Ad{ID: "c", Text: tt.text}
			if got := plain.Assess(ad).Level; got != tt.without {
				t.Errorf("without the model: level %v, want %v", got, tt.without)
			}
			a, c := d.AssessCombined(ad)
			if a.Level != tt.with {
				t.Errorf("with the model: level %v, want %v (%s)", a.Level, tt.with, a.Summary)
			}
			if b := d.Assess(ad); b.Level != a.Level || b.Summary != a.Summary {
				t.Errorf("Assess and AssessCombined differ: %v %q vs %v %q", b.Level, b.Summary, a.Level, a.Summary)
			}
			if c.Eligible != tt.eligible || math.Abs(c.Probability-tt.probability) > 1e-9 || c.Raised != (tt.with > tt.without) {
				t.Errorf("combined %+v, want eligible %v, probability %.4f", c, tt.eligible, tt.probability)
			}
			if tt.summaryMention != "" && !strings.Contains(a.Summary, tt.summaryMention) {
				t.Errorf("summary %q does not say %q", a.Summary, tt.summaryMention)
			}
			if tt.summaryMention == "" && strings.Contains(a.Summary, "raised to medium") {
				t.Errorf("summary %q says it was raised", a.Summary)
			}
		})
	}
	// A probability just above a threshold with three decimals is not
	// shown rounded down below it.
	close, err := detector.Load("small.yaml", []byte(strings.Replace(smallCombination, "threshold: 0.7", "threshold: 0.817", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if a := close.Assess(&lurewatch.Ad{Text: "kk in vill"}); !strings.Contains(a.Summary, "fitted model 0.817 ≥ 0.817)") {
		t.Errorf("summary %q, want the probability shown at the threshold", a.Summary)
	}
	// Without a model, AssessCombined still says which ads are eligible.
	if _, c := plain.AssessCombined(&lurewatch.Ad{Text: "kk in vill"}); !c.Eligible || c.Probability != 0 || c.Raised {
		t.Errorf("without a model: %+v, want eligible, probability 0", c)
	}
}
