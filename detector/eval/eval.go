// Package eval measures a detector against a labelled corpus: JSON Lines
// with id, text, label ("lure", "benign" or "scam") and optionally title,
// lang and source_kind. It reads from an io.Reader and opens no files.
//
// An ad counts as flagged at a threshold when its level is at or above that
// threshold; the headline numbers use medium. Precision and recall are for
// "lure" against everything else: a "scam" ad (a fraudulent job ad that is
// not known to be a trafficking lure) counts as not-lure, and how many scam
// ads were flagged is reported on its own.
package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector"
)

// Labels in a corpus.
const (
	LabelLure   = "lure"
	LabelBenign = "benign"
	LabelScam   = "scam"
)

// maxLine is the longest corpus line read (16 MiB).
const maxLine = 16 << 20

// Example is one labelled ad of a corpus. Other fields of a line are
// ignored.
type Example struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Text       string `json:"text"`
	Label      string `json:"label"`
	Lang       string `json:"lang"`
	SourceKind string `json:"source_kind"`
}

// ReadJSONL reads a corpus: one JSON object per line, blank lines skipped.
// A line that is not a JSON object, lacks id, text or label, has an unknown
// label, or repeats an id is an error naming its line number; the error
// wraps lurewatch.ErrInvalid.
func ReadJSONL(r io.Reader) ([]Example, error) {
	var out []Example
	seen := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var ex Example
		if err := json.Unmarshal(b, &ex); err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", lurewatch.ErrInvalid, line, err)
		}
		switch {
		case ex.ID == "":
			return nil, fmt.Errorf("%w: line %d: missing id", lurewatch.ErrInvalid, line)
		case ex.Text == "":
			return nil, fmt.Errorf("%w: line %d: %s: missing text", lurewatch.ErrInvalid, line, ex.ID)
		case ex.Label != LabelLure && ex.Label != LabelBenign && ex.Label != LabelScam:
			return nil, fmt.Errorf("%w: line %d: %s: label %q: want lure, benign or scam", lurewatch.ErrInvalid, line, ex.ID, ex.Label)
		}
		if first, dup := seen[ex.ID]; dup {
			return nil, fmt.Errorf("%w: line %d: duplicate id %q (first on line %d)", lurewatch.ErrInvalid, line, ex.ID, first)
		}
		seen[ex.ID] = line
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("%w: line %d: longer than %d bytes", lurewatch.ErrInvalid, line+1, maxLine)
		}
		return nil, fmt.Errorf("read corpus: line %d: %w", line+1, err)
	}
	return out, nil
}

// Metrics are the counts and rates at one threshold.
type Metrics struct {
	Threshold string  `json:"threshold,omitempty"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	TN        int     `json:"tn"`
	// ScamFlagged counts scam ads flagged, out of Scam (they are also
	// counted in FP).
	ScamFlagged int `json:"scam_flagged"`
	Scam        int `json:"scam"`
	// BenignFlagged counts benign ads flagged, out of Benign.
	BenignFlagged int `json:"benign_flagged"`
	Benign        int `json:"benign"`
}

func (m *Metrics) add(label string, flagged bool) {
	lure := label == LabelLure
	switch {
	case lure && flagged:
		m.TP++
	case lure:
		m.FN++
	case flagged:
		m.FP++
	default:
		m.TN++
	}
	switch label {
	case LabelScam:
		m.Scam++
		if flagged {
			m.ScamFlagged++
		}
	case LabelBenign:
		m.Benign++
		if flagged {
			m.BenignFlagged++
		}
	}
}

func (m *Metrics) finish() {
	m.Precision = ratio(m.TP, m.TP+m.FP)
	m.Recall = ratio(m.TP, m.TP+m.FN)
	if m.Precision+m.Recall > 0 {
		m.F1 = 2 * m.Precision * m.Recall / (m.Precision + m.Recall)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Result is the detector's verdict on one example: its level and score,
// the indicators that matched (strongest first), and the detector's
// one-line summary, which says why.
type Result struct {
	ID         string   `json:"id"`
	Label      string   `json:"label"`
	Lang       string   `json:"lang,omitempty"`
	Level      string   `json:"level"`
	Score      int      `json:"score"`
	Indicators []string `json:"indicators"`
	Summary    string   `json:"summary"`
	// ModelProbability is the combination model's probability when it
	// decided for the ad (see detector.Combined), so that a miss shows how
	// near the model came to raising it; absent otherwise.
	ModelProbability *float64 `json:"model_probability,omitempty"`
	// ModelRaised is set when the combination model raised the ad.
	ModelRaised bool `json:"model_raised,omitempty"`
}

// IndicatorMetrics says how well one indicator separates lures from other
// ads: on how many ads of each label it matched (at any level), the
// precision of "matched ⇒ lure", and its recall (the share of all lures it
// matched).
type IndicatorMetrics struct {
	ID       string `json:"id"`
	Category string `json:"category"`
	// Fired is the number of ads it matched; Lure, Benign and Scam split
	// that count by label.
	Fired  int `json:"fired"`
	Lure   int `json:"lure"`
	Benign int `json:"benign"`
	Scam   int `json:"scam"`
	// FlaggedNonLure counts the non-lure ads it matched that were also
	// flagged at medium: the false alarms it contributed to.
	FlaggedNonLure int     `json:"flagged_non_lure"`
	Precision      float64 `json:"precision"`
	Recall         float64 `json:"recall"`
}

// Report is the outcome of an evaluation. Its JSON form is one object whose
// top level holds the medium-threshold metrics (precision, recall, f1, tp,
// fp, fn, tn), with per-threshold and per-language breakdowns nested.
type Report struct {
	// Metrics at medium, the threshold at which an ad is flagged.
	Metrics
	Examples        int    `json:"examples"`
	RulesVersion    string `json:"rules_version"`
	DetectorVersion string `json:"detector_version"`
	// Thresholds holds the metrics at low, medium, high and critical.
	Thresholds []Metrics `json:"thresholds"`
	// Languages holds the metrics at medium per language ("" when the
	// corpus gives none), sorted by language.
	Languages []LangMetrics `json:"languages"`
	// Indicators holds, for every indicator that matched at least one
	// ad, its counts and its precision and recall, sorted by category
	// then id.
	Indicators []IndicatorMetrics `json:"indicators"`
	// Misses are lures not flagged at medium; FalseAlarms are other ads
	// flagged at medium.
	Misses      []Result `json:"misses"`
	FalseAlarms []Result `json:"false_alarms"`
	// Combination says what the rules' combination model did.
	Combination CombinationCounts `json:"combination"`
}

// CombinationCounts count the ads the combination model (see
// detector.Combined) decided for.
type CombinationCounts struct {
	// Eligible ads were below medium only by their score; of them,
	// RaisedLures lures and RaisedOther other ads were raised to medium.
	EligibleLures int `json:"eligible_lures"`
	EligibleOther int `json:"eligible_other"`
	RaisedLures   int `json:"raised_lures"`
	RaisedOther   int `json:"raised_other"`
}

// LangMetrics are the medium-threshold metrics of one language.
type LangMetrics struct {
	Lang string `json:"lang"`
	Metrics
}

// Evaluate assesses every example with d, judging only its title and text,
// and computes the report.
func Evaluate(d *detector.Detector, ex []Example) *Report {
	r := &Report{Examples: len(ex), RulesVersion: d.RulesVersion(), DetectorVersion: detector.Version,
		Misses: []Result{}, FalseAlarms: []Result{}}
	thresholds := lurewatch.Levels[1:]
	per := make([]Metrics, len(thresholds))
	langs := map[string]*Metrics{}
	inds := map[string]*IndicatorMetrics{}
	lures := 0
	for _, e := range ex {
		a, c := d.AssessCombined(&lurewatch.Ad{ID: e.ID, Title: e.Title, Text: e.Text})
		if e.Label == LabelLure {
			lures++
		}
		r.Combination.add(e.Label == LabelLure, c)
		ids := make([]string, 0, len(a.Indicators))
		for _, ind := range a.Indicators {
			if slices.Contains(ids, ind.ID) {
				continue
			}
			ids = append(ids, ind.ID)
			im := inds[ind.ID]
			if im == nil {
				im = &IndicatorMetrics{ID: ind.ID, Category: ind.Category}
				inds[ind.ID] = im
			}
			im.Fired++
			switch e.Label {
			case LabelLure:
				im.Lure++
			case LabelBenign:
				im.Benign++
			case LabelScam:
				im.Scam++
			}
			if e.Label != LabelLure && a.Level.Flagged() {
				im.FlaggedNonLure++
			}
		}
		for i, th := range thresholds {
			per[i].add(e.Label, a.Level >= th)
		}
		flagged := a.Level.Flagged()
		r.Metrics.add(e.Label, flagged)
		lm := langs[e.Lang]
		if lm == nil {
			lm = &Metrics{}
			langs[e.Lang] = lm
		}
		lm.add(e.Label, flagged)
		res := Result{ID: e.ID, Label: e.Label, Lang: e.Lang, Level: a.Level.String(), Score: a.Score, Indicators: ids, Summary: a.Summary}
		if c.Eligible && c.Probability > 0 {
			res.ModelProbability, res.ModelRaised = &c.Probability, c.Raised
		}
		switch {
		case e.Label == LabelLure && !flagged:
			r.Misses = append(r.Misses, res)
		case e.Label != LabelLure && flagged:
			r.FalseAlarms = append(r.FalseAlarms, res)
		}
	}
	r.Metrics.finish()
	r.Metrics.Threshold = lurewatch.LevelMedium.String()
	for i, th := range thresholds {
		per[i].Threshold = th.String()
		per[i].finish()
	}
	r.Thresholds = per
	for lang, m := range langs {
		m.finish()
		r.Languages = append(r.Languages, LangMetrics{Lang: lang, Metrics: *m})
	}
	slices.SortFunc(r.Languages, func(a, b LangMetrics) int { return strings.Compare(a.Lang, b.Lang) })
	r.Indicators = make([]IndicatorMetrics, 0, len(inds))
	for _, im := range inds {
		im.Precision = ratio(im.Lure, im.Fired)
		im.Recall = ratio(im.Lure, lures)
		r.Indicators = append(r.Indicators, *im)
	}
	slices.SortFunc(r.Indicators, func(a, b IndicatorMetrics) int {
		if c := strings.Compare(a.Category, b.Category); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return r
}

func (cc *CombinationCounts) add(lure bool, c detector.Combined) {
	if !c.Eligible {
		return
	}
	if lure {
		cc.EligibleLures++
		if c.Raised {
			cc.RaisedLures++
		}
		return
	}
	cc.EligibleOther++
	if c.Raised {
		cc.RaisedOther++
	}
}

// WriteText writes the report as tables for a person: metrics and confusion
// matrix at each threshold, metrics per language at medium, scam ads
// flagged, each indicator's counts with its precision and recall, then the
// misses and false alarms at medium, each with its level, score, the
// indicators that matched and the detector's summary.
func (r *Report) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	fmt.Fprintf(ew, "examples %d, rules %s, detector %s\n", r.Examples, r.RulesVersion, r.DetectorVersion)
	fmt.Fprintf(ew, "flagged = level medium or above; precision and recall of lure against benign+scam\n\n")
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "threshold\tprecision\trecall\tf1\ttp\tfp\tfn\ttn\t")
	for _, m := range r.Thresholds {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\t%d\t\n", m.Threshold, m.Precision, m.Recall, m.F1, m.TP, m.FP, m.FN, m.TN)
	}
	tw.Flush()
	fmt.Fprintf(ew, "\nscam ads flagged at medium: %d of %d\n", r.ScamFlagged, r.Scam)
	fmt.Fprintf(ew, "benign ads flagged at medium: %d of %d\n", r.BenignFlagged, r.Benign)
	cc := r.Combination
	fmt.Fprintf(ew, "raised to medium by the combination model: %d of %d eligible lures, %d of %d other ads\n\n",
		cc.RaisedLures, cc.EligibleLures, cc.RaisedOther, cc.EligibleOther)
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "lang\tprecision\trecall\tf1\ttp\tfp\tfn\ttn\t")
	for _, l := range r.Languages {
		name := l.Lang
		if name == "" {
			name = "(none)"
		}
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t%d\t%d\t%d\t\n", name, l.Precision, l.Recall, l.F1, l.TP, l.FP, l.FN, l.TN)
	}
	tw.Flush()
	fmt.Fprintf(ew, "\nindicators (fired = ads matched at any level; precision of fired => lure; recall = share of lures matched;\n")
	fmt.Fprintf(ew, "fa = non-lure ads matched that were flagged at medium)\n")
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "indicator\tcategory\tfired\tlure\tbenign\tscam\tfa\tprecision\trecall\t")
	for _, m := range r.Indicators {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t\n", m.ID, m.Category, m.Fired, m.Lure, m.Benign, m.Scam, m.FlaggedNonLure, m.Precision, m.Recall)
	}
	tw.Flush()
	writeList := func(title string, rs []Result) {
		fmt.Fprintf(ew, "\n%s at medium: %d\n", title, len(rs))
		for _, x := range rs {
			lang := ""
			if x.Lang != "" {
				lang = " " + x.Lang
			}
			fmt.Fprintf(ew, "  %s [%s%s] %s\n", x.ID, x.Label, lang, oneLine(x.Summary))
			if len(x.Indicators) > 0 {
				fmt.Fprintf(ew, "      indicators: %s\n", strings.Join(x.Indicators, ", "))
			}
			if p := x.ModelProbability; p != nil && !x.ModelRaised {
				fmt.Fprintf(ew, "      combination model: %.2f, below its threshold\n", *p)
			}
		}
	}
	writeList("misses (lures not flagged)", r.Misses)
	writeList("false alarms (flagged, not lures)", r.FalseAlarms)
	return ew.err
}

// oneLine keeps a summary on one line of the table.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// errWriter remembers the first write error, so WriteText can format freely
// and report it once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
