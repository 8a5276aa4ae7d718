package eval

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector"
)

func TestReadJSONL(t *testing.T) {
	in := `{"id":"a","text":"x","label":"lure","title":"T","lang":"en","source_kind":"telegram","why":"ignored","indicators":["x"]}

{"id":"b","text":"y","label":"benign"}
{"id":"c","text":"z","label":"scam","lang":"vi"}
`
	ex, err := ReadJSONL(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Example{
		{ID: "a", Title: "T", Text: "x", Label: "lure", Lang: "en", SourceKind: "telegram"},
		{ID: "b", Text: "y", Label: "benign"},
		{ID: "c", Text: "z", Label: "scam", Lang: "vi"},
	}
	if len(ex) != len(want) {
		t.Fatalf("got %d examples, want %d", len(ex), len(want))
	}
	for i := range want {
		if ex[i] != want[i] {
			t.Errorf("example %d = %+v, want %+v", i, ex[i], want[i])
		}
	}
}

func TestReadJSONLErrors(t *testing.T) {
	ok := `{"id":"a","text":"x","label":"lure"}` + "\n"
	tests := []struct{ name, in, want string }{
		{"malformed", ok + "{not json\n", "line 2: "},
		{"not an object", ok + ok[:0] + "[1,2]\n", "line 2: "},
		{"missing id", `{"text":"x","label":"lure"}`, "line 1: missing id"},
		{"missing text", `{"id":"a","label":"lure"}`, "line 1: a: missing text"},
		{"bad label", `{"id":"a","text":"x","label":"maybe"}`, `line 1: a: label "maybe"`},
		{"missing label", `{"id":"a","text":"x"}`, `line 1: a: label ""`},
		{"duplicate id", ok + "\n" + ok, `line 3: duplicate id "a" (first on line 1)`},
		{"wrong type", `{"id":1,"text":"x","label":"lure"}`, "line 1: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJSONL(strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("want an error")
			}
			if !errors.Is(err, lurewatch.ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want one containing %q and wrapping ErrInvalid", err, tt.want)
			}
		})
	}
}

// rules makes outcomes easy to predict: "lure" and "trap" are two
// categories, and both are needed for medium; "deep" adds a third for high.
const rules = `version: "eval-test"
levels:
  low: {min_score: 10}
  medium: {min_score: 20, min_categories: 2}
  high: {min_score: 30, min_categories: 3}
  critical: {min_score: 100, min_categories: 4}
categories:
  - {id: a, cap: 10}
  - {id: b, cap: 10}
  - {id: c, cap: 10}
indicators:
  - {id: a, category: a, weight: 10, phrases: {en: [alpha]}}
  - {id: b, category: b, weight: 10, phrases: {en: [beta]}}
  - {id: c, category: c, weight: 10, phrases: {en: [gamma]}}
`

func TestEvaluate(t *testing.T) {
	d, err := detector.Load("r.yaml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	ex := []Example{
		{ID: "l1", Text: "alpha beta gamma", Label: LabelLure, Lang: "en"},     // high: TP at low, medium, high
		{ID: "l2", Title: "alpha", Text: "beta", Label: LabelLure, Lang: "en"}, // medium (title counts)
		{ID: "l3", Text: "alpha", Label: LabelLure, Lang: "vi"},                // low: FN at medium
		{ID: "b1", Text: "alpha beta", Label: LabelBenign, Lang: "en"},         // medium: FP
		{ID: "b2", Text: "nothing", Label: LabelBenign, Lang: "vi"},            // none: TN
		{ID: "s1", Text: "beta gamma", Label: LabelScam, Lang: "en"},           // medium: FP, scam flagged
		{ID: "s2", Text: "gamma", Label: LabelScam},                            // low: TN
	}
	r := Evaluate(d, ex)
	want := Metrics{Threshold: "medium", TP: 2, FP: 2, FN: 1, TN: 2, ScamFlagged: 1, Scam: 2, BenignFlagged: 1, Benign: 2}
	want.Precision, want.Recall = 0.5, 2.0/3
	want.F1 = 2 * 0.5 * (2.0 / 3) / (0.5 + 2.0/3)
	if !metricsEqual(r.Metrics, want) {
		t.Errorf("medium = %+v\nwant     %+v", r.Metrics, want)
	}
	byTh := map[string]Metrics{}
	for _, m := range r.Thresholds {
		byTh[m.Threshold] = m
	}
	if m := byTh["low"]; m.TP != 3 || m.FP != 3 || m.FN != 0 || m.TN != 1 {
		t.Errorf("low = %+v", m)
	}
	if m := byTh["high"]; m.TP != 1 || m.FP != 0 || m.FN != 2 || m.TN != 4 || m.Precision != 1 {
		t.Errorf("high = %+v", m)
	}
	if m := byTh["critical"]; m.TP != 0 || m.Precision != 0 || m.Recall != 0 || m.F1 != 0 {
		t.Errorf("critical = %+v", m)
	}
	langs := map[string]LangMetrics{}
	for _, l := range r.Languages {
		langs[l.Lang] = l
	}
	if l := langs["vi"]; l.FN != 1 || l.TN != 1 || l.TP != 0 {
		t.Errorf("vi = %+v", l)
	}
	if l := langs[""]; l.TN != 1 {
		t.Errorf("no-language = %+v", l)
	}
	if len(r.Misses) != 1 || r.Misses[0].ID != "l3" || len(r.FalseAlarms) != 2 {
		t.Errorf("misses %v, false alarms %v", r.Misses, r.FalseAlarms)
	}
	if m := r.Misses[0]; m.Level != "low" || m.Score != 10 || len(m.Indicators) != 1 || m.Indicators[0] != "a" || !strings.Contains(m.Summary, `a "alpha"`) {
		t.Errorf("miss l3 = %+v, want level, score, indicators and the detector's reason", m)
	}
	if fa := r.FalseAlarms[0]; fa.ID != "b1" || strings.Join(fa.Indicators, ",") != "a,b" {
		t.Errorf("false alarm = %+v", fa)
	}
	// Per indicator: a fired on l1 l2 l3 b1; b on l1 l2 b1 s1; c on l1 s1 s2.
	wantInd := []IndicatorMetrics{
		{ID: "a", Category: "a", Fired: 4, Lure: 3, Benign: 1, FlaggedNonLure: 1, Precision: 0.75, Recall: 1},
		{ID: "b", Category: "b", Fired: 4, Lure: 2, Benign: 1, Scam: 1, FlaggedNonLure: 2, Precision: 0.5, Recall: 2.0 / 3},
		{ID: "c", Category: "c", Fired: 3, Lure: 1, Scam: 2, FlaggedNonLure: 1, Precision: 1.0 / 3, Recall: 1.0 / 3},
	}
	if len(r.Indicators) != len(wantInd) {
		t.Fatalf("indicators = %+v", r.Indicators)
	}
	for i, w := range wantInd {
		g := r.Indicators[i]
		if g.ID != w.ID || g.Category != w.Category || g.Fired != w.Fired || g.Lure != w.Lure || g.Benign != w.Benign ||
			g.Scam != w.Scam || g.FlaggedNonLure != w.FlaggedNonLure || !near(g.Precision, w.Precision) || !near(g.Recall, w.Recall) {
			t.Errorf("indicator %d = %+v\nwant %+v", i, g, w)
		}
	}

	// JSON: one object, medium metrics at the top level.
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]any
	if err := json.Unmarshal(b, &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"precision", "recall", "f1", "tp", "fp", "fn", "tn", "thresholds", "languages", "indicators", "misses", "false_alarms", "scam_flagged"} {
		if _, ok := top[k]; !ok {
			t.Errorf("JSON report lacks %q: %s", k, b)
		}
	}
	if top["tp"].(float64) != 2 || top["precision"].(float64) != 0.5 {
		t.Errorf("JSON top level: %s", b)
	}

	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, s := range []string{"threshold", "precision", "medium", "critical", "scam ads flagged at medium: 1 of 2",
		"lang", "vi", "l3 [lure vi] low (score 10)", "b1 [benign en] medium", "s1 [scam en]", "misses", "false alarms",
		"      indicators: a, b\n", "indicator  category  fired  lure  benign  scam  fa  precision  recall",
		"b          b         4      2     1       1     2   0.500      0.667"} {
		if !strings.Contains(out, s) {
			t.Errorf("text report lacks %q:\n%s", s, out)
		}
	}
}

func near(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 }

func metricsEqual(a, b Metrics) bool {
	eq := func(x, y float64) bool { return x-y < 1e-9 && y-x < 1e-9 }
	return a.Threshold == b.Threshold && a.TP == b.TP && a.FP == b.FP && a.FN == b.FN && a.TN == b.TN &&
		a.ScamFlagged == b.ScamFlagged && a.Scam == b.Scam && a.BenignFlagged == b.BenignFlagged && a.Benign == b.Benign &&
		eq(a.Precision, b.Precision) && eq(a.Recall, b.Recall) && eq(a.F1, b.F1)
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteTextError(t *testing.T) {
	d, err := detector.Load("r.yaml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	if err := Evaluate(d, nil).WriteText(failWriter{}); err == nil {
		t.Error("want the write error")
	}
}

// TestTestdataCorpus evaluates the shipped rules on the package's own
// fixtures: a regression guard, not a measure of quality.
func TestTestdataCorpus(t *testing.T) {
	d := loadShipped(t)
	f, err := os.Open("../testdata/ads.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ex, err := ReadJSONL(f)
	if err != nil {
		t.Fatal(err)
	}
	r := Evaluate(d, ex)
	if r.Precision < 0.9 || r.Recall < 0.9 || r.BenignFlagged > 0 {
		var buf bytes.Buffer
		r.WriteText(&buf)
		t.Errorf("testdata: precision %.2f recall %.2f benign flagged %d\n%s", r.Precision, r.Recall, r.BenignFlagged, &buf)
	}
}

// TestLabelledCorpus holds the shipped rules to the issue-3 bar on the
// project's own labelled ads (detector/testdata/labelled, 2,752 ads in 62 files, 49
// languages): precision and recall at least 0.95 at medium, no honest ad
// flagged.
func TestLabelledCorpus(t *testing.T) {
	files, err := filepath.Glob("../testdata/labelled/*.jsonl")
	if err != nil || len(files) == 0 {
		t.Fatalf("no labelled corpus: %v", err)
	}
	var ex []Example
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		e, err := ReadJSONL(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ex = append(ex, e...)
	}
	r := Evaluate(loadShipped(t), ex)
	t.Logf("labelled: %d ads, precision %.3f recall %.3f (tp %d fp %d fn %d tn %d)", len(ex), r.Precision, r.Recall, r.TP, r.FP, r.FN, r.TN)
	if r.Precision < 0.95 || r.Recall < 0.95 || r.BenignFlagged > 0 {
		var buf bytes.Buffer
		r.WriteText(&buf)
		t.Errorf("labelled corpus below the bar:\n%s", &buf)
	}
}

func loadShipped(t *testing.T) *detector.Detector {
	t.Helper()
	data, err := os.ReadFile("../../configs/rules/lures.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := detector.Load("lures.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestSharedCorpora measures the shipped rules on the workspace's corpora
// when present (a user's clone has none): run with -v to see the numbers.
func TestSharedCorpora(t *testing.T) {
	for _, c := range []struct {
		path                 string
		minP, minR, maxBenFP float64
	}{
		// The bar of issue 3: precision and recall at least 0.95 at medium,
		// and at most 0.5% of real, honest job ads flagged.
		{"../../../shared/corpus/dev.jsonl", 0.95, 0.95, 0.005},
		{"../../../shared/corpus/emscad/train.jsonl", 0, 0, 0.005},
		{"../../../shared/corpus/emscad/test.jsonl", 0, 0, 0.005},
	} {
		f, err := os.Open(c.path)
		if errors.Is(err, os.ErrNotExist) {
			t.Logf("%s not found (it is only in the lurewatch workspace): skipped", c.path)
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		ex, err := ReadJSONL(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		r := Evaluate(loadShipped(t), ex)
		benFP := float64(r.BenignFlagged) / float64(max(r.Benign, 1))
		t.Logf("%s: precision %.3f recall %.3f f1 %.3f (tp %d fp %d fn %d tn %d), benign flagged %d/%d, scam flagged %d/%d",
			c.path, r.Precision, r.Recall, r.F1, r.TP, r.FP, r.FN, r.TN, r.BenignFlagged, r.Benign, r.ScamFlagged, r.Scam)
		if (r.TP+r.FN > 0 && (r.Precision < c.minP || r.Recall < c.minR)) || benFP > c.maxBenFP {
			t.Errorf("%s below the bar", c.path)
		}
	}
}

// TestEvaluateCombination: the report counts the ads the combination model
// decided for, and those it raised.
func TestEvaluateCombination(t *testing.T) {
	withModel := strings.NewReplacer("medium: {min_score: 20", "medium: {min_score: 30", "high: {min_score: 30", "high: {min_score: 40").Replace(rules) +
		"combination: {threshold: 0.7, bias: -2, per_category: 0, categories: {}, indicators: {a: 3, b: 1}}\n"
	d, err := detector.Load("r.yaml", []byte(withModel))
	if err != nil {
		t.Fatal(err)
	}
	r := Evaluate(d, []Example{
		{ID: "l1", Text: "alpha beta", Label: LabelLure},   // eligible, raised
		{ID: "l2", Text: "beta gamma", Label: LabelLure},   // eligible, not raised
		{ID: "b1", Text: "alpha beta", Label: LabelBenign}, // eligible, raised
		{ID: "b2", Text: "gamma", Label: LabelBenign},      // one category: not eligible
	})
	if want := (CombinationCounts{EligibleLures: 2, EligibleOther: 1, RaisedLures: 1, RaisedOther: 1}); r.Combination != want {
		t.Errorf("combination counts %+v, want %+v", r.Combination, want)
	}
	if r.TP != 1 || r.FP != 1 {
		t.Errorf("medium = %+v, want the raised ads flagged", r.Metrics)
	}
	var buf bytes.Buffer
	if err := r.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"raised to medium by the combination model: 1 of 2 eligible lures, 1 of 1 other ads",
		// l2's miss: -2 + b's 1 = -1, probability 0.27.
		"  l2 [lure] low (score 20)", "      combination model: 0.27, below its threshold\n",
	} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("text report lacks %q:\n%s", s, buf.String())
		}
	}
	if strings.Count(buf.String(), "      combination model: ") != 1 {
		t.Errorf("the probability is shown for an ad the model raised, or missing:\n%s", buf.String())
	}
	if len(r.Misses) != 1 || r.Misses[0].ModelProbability == nil || r.Misses[0].ModelRaised {
		t.Errorf("miss %+v: want the model's probability, not raised", r.Misses)
	}
	if len(r.FalseAlarms) != 1 || r.FalseAlarms[0].ModelProbability == nil || !r.FalseAlarms[0].ModelRaised {
		t.Errorf("false alarm %+v: want raised by the model", r.FalseAlarms)
	}
}
