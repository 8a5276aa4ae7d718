package detector

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector/extract"
	"github.com/lurewatch/lurewatch/detector/rulefmt"
)

// salaryRule is a compiled rulefmt.SalaryCondition of indicator ind.
type salaryRule struct {
	ind        int
	min, max   float64 // max 0: no upper bound
	with, skip []int   // category indexes
	// minIn replaces min for pay in the currencies it names.
	minIn map[string]float64
}

// minFor returns the least pay, in USD per month, that counts for r when
// stated in currency cur.
func (r *salaryRule) minFor(cur string) float64 {
	if m, ok := r.minIn[cur]; ok {
		return m
	}
	return r.min
}

func compileSalaryRules(rules *rulefmt.File, catIdx map[string]int) []salaryRule {
	var out []salaryRule
	for i, ind := range rules.Indicators {
		sc := ind.Salary
		if sc == nil {
			continue
		}
		r := salaryRule{ind: i, min: sc.MinUSDPerMonth, max: sc.MaxUSDPerMonth, minIn: sc.MinUSDPerMonthIn}
		for _, c := range sc.WithAny {
			r.with = append(r.with, catIdx[c])
		}
		for _, c := range sc.UnlessAny {
			r.skip = append(r.skip, catIdx[c])
		}
		out = append(out, r)
	}
	return out
}

// fieldSalaries returns the pay stated in each field, extracting it on the
// first call for an ad and reusing it after.
func (d *Detector) fieldSalaries(s *scan, fields []lurewatch.AdField) [][]extract.Salary {
	if !s.salDone {
		s.salDone = true
		if len(s.salaries) < len(fields) {
			s.salaries = append(s.salaries, make([][]extract.Salary, len(fields)-len(s.salaries))...)
		}
		for i, f := range fields {
			s.salaries[i] = d.salaries(s.salaries[i][:0], capBytes(f.Value, MaxFieldBytes))
		}
	}
	return s.salaries[:len(fields)]
}

// salaries appends to dst the pay stated in text, as package extract reads
// it after full-width forms are folded to ASCII ("＄１，５００" is "$1,500"),
// with spans into text as posted.
func (d *Detector) salaries(dst []extract.Salary, text string) []extract.Salary {
	folded, orig := foldWidth(text)
	n := len(dst)
	out := extract.AppendSalaries(dst, folded, d.rates)
	if orig != nil {
		for i := n; i < len(out); i++ {
			out[i].Start, out[i].End = orig[out[i].Start], orig[out[i].End]
			out[i].Text = text[out[i].Start:out[i].End]
		}
	}
	return out
}

// foldWidth returns text with full-width ASCII forms (U+FF01–U+FF5E) and
// the ideographic space folded to ASCII, and a map from each byte offset of
// the folded text (and its end) to the offset in text. When there is
// nothing to fold it returns text and a nil map.
func foldWidth(text string) (string, []int) {
	if !hasFullWidth(text) {
		return text, nil
	}
	var b strings.Builder
	orig := make([]int, 0, len(text)+1)
	for i, r := range text {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		n := b.Len()
		b.WriteRune(r)
		for range b.Len() - n {
			orig = append(orig, i)
		}
	}
	orig = append(orig, len(text))
	return b.String(), orig
}

// hasFullWidth reports whether text holds a character of U+FF01–U+FF5E or
// U+3000 (UTF-8 EF BC xx, EF BD xx, E3 80 80).
func hasFullWidth(text string) bool {
	// Three searches with package strings' vectorised index beat one
	// loop over the bytes. A lead pair counts only with a byte after it.
	for _, lead := range [...]string{"\xef\xbc", "\xef\xbd"} {
		if i := strings.Index(text, lead); i >= 0 && i+2 < len(text) {
			return true
		}
	}
	return strings.Contains(text, "\u3000")
}

// rates returns extract's built-in rates with the rules file's overrides.
func mergeRates(over map[string]float64) extract.Rates {
	r := extract.DefaultRates()
	for k, v := range over {
		r[k] = v
	}
	return r
}

// salaryCues adds the evidence of salary indicators: a stated pay at or
// above the rule's minimum (USD per month, for its currency), and at or below its maximum
// when it has one, in an ad whose matched categories satisfy the rule.
// Salaries are extracted from the fields as posted, and only when some
// rule's categories are satisfied: a rule without with_any (the local
// wage) has every ad's pay read, which costs instructions on every ad.
func (d *Detector) salaryCues(s *scan, fields []lurewatch.AdField) {
	if len(d.salaryRules) == 0 {
		return
	}
	matched := make([]bool, len(d.cats))
	for _, i := range s.touched {
		matched[d.inds[i].cat] = true
	}
	for _, r := range d.salaryRules {
		if !anyCat(matched, r.with, len(r.with) == 0) || anyCat(matched, r.skip, false) {
			continue
		}
		salaries := d.fieldSalaries(s, fields)
		for i, f := range fields {
			var quotes [][2]int
			listed := len(r.with) > 0 && d.listsJobs(s, r.with, f.Name, f.Value, salaries[i])
			for _, sal := range salaries[i] {
				if sal.USDPerMonth < r.minFor(sal.Currency) || r.max > 0 && sal.USDPerMonth > r.max {
					continue
				}
				if listed && isListItem(f.Value, sal.Start) && !d.catOnLine(s, r.with, f.Name, f.Value, sal.Start) {
					// A list of jobs, each with its pay: the pay
					// counts with the cues of its own item only.
					continue
				}
				if quotes == nil {
					quotes = quotedSpans(f.Value, [][2]int{})
				}
				s.addEvidence(r.ind, evidence{lurewatch.Evidence{Field: f.Name, Start: sal.Start, End: sal.End,
					Snippet: f.Value[sal.Start:sal.End]}, inSpans(quotes, sal.Start)})
			}
		}
	}
}

func inSpans(spans [][2]int, i int) bool {
	for _, q := range spans {
		if i >= q[0] && i < q[1] {
			return true
		}
	}
	return false
}

// anyCat reports whether any category in cats is matched; empty reports
// ifEmpty.
func anyCat(matched []bool, cats []int, ifEmpty bool) bool {
	if len(cats) == 0 {
		return ifEmpty
	}
	for _, c := range cats {
		if matched[c] {
			return true
		}
	}
	return false
}

// Entity kinds added from package extract for ads at level low or above.
const (
	EntityPlace    = "place"    // a hotspot, transit point or country; value its gazetteer id
	EntityEmployer = "employer" // the employer the ad names
	EntitySalary   = "salary"   // a stated pay; value "<min>[-<max>] <currency>/<period> ≈ <usd> USD/month"
)

// describe adds the places, employer and pay an ad states to its entities,
// for an analyst reading a flagged ad. It runs only for ads at level low or
// above: the extractors cost more than the matching, and an ad with no
// lure cue needs no description.
func (d *Detector) describe(s *scan, fields []lurewatch.AdField) {
	salaries := d.fieldSalaries(s, fields)
	for i, f := range fields {
		text := capBytes(f.Value, MaxFieldBytes)
		s.places = extract.AppendPlaces(clearUsed(s.places), text)
		for _, p := range s.places {
			s.entityAt(EntityPlace, p.ID, f.Name, text, p.Start, p.End)
		}
		if name, sp, ok := extract.Employer(text); ok {
			s.entityAt(EntityEmployer, name, f.Name, text, sp.Start, sp.End)
		}
		for _, sal := range salaries[i] {
			s.entityAt(EntitySalary, salaryValue(sal), f.Name, text, sal.Start, sal.End)
		}
	}
}

func salaryValue(s extract.Salary) string {
	var buf [96]byte
	b := strconv.AppendFloat(buf[:0], s.Min, 'f', -1, 64)
	if s.Max > s.Min {
		b = append(b, '-')
		b = strconv.AppendFloat(b, s.Max, 'f', -1, 64)
	}
	b = append(b, ' ')
	if s.Currency == "" {
		b = append(b, '?')
	} else {
		b = append(b, s.Currency...)
	}
	b = append(b, '/')
	if s.Period == "" {
		b = append(b, "month?"...)
	} else {
		b = append(b, s.Period...)
	}
	if s.USDPerMonth > 0 {
		b = append(b, " ≈ "...)
		b = strconv.AppendFloat(b, math.Round(s.USDPerMonth), 'f', -1, 64)
		b = append(b, " USD/month"...)
	}
	return string(b)
}

// entityAt records an entity whose evidence is text[start:end] of field.
func (s *scan) entityAt(kind, value, field, text string, start, end int) {
	if start < 0 || end > len(text) || start >= end {
		return
	}
	s.addEntity(lurewatch.Entity{Kind: kind, Value: value}, lurewatch.Evidence{Field: field, Start: start, End: end, Snippet: text[start:end]})
}

// listsJobs reports whether text is a list of jobs with their pay: two or
// more of its numbered items (see isListItem) state a pay, and one of those
// has a cue of the categories cats on its own line, so that the jobs are
// the items ("1. Cook, $1,200 / 2. Helper, no experience, $450"). A list
// of one offer's points, whose job is named above it ("Typist wanted. 1.
// Salary $1,200 / 2. Bonus $300"), is not.
func (d *Detector) listsJobs(s *scan, cats []int, field, text string, sals []extract.Salary) bool {
	n, last, cued := 0, -1, false
	for _, sal := range sals {
		ls, _ := lineAt(text, sal.Start)
		if ls == last || !isListItem(text, sal.Start) {
			continue
		}
		n++
		last = ls
		cued = cued || d.catOnLine(s, cats, field, text, sal.Start)
	}
	return n >= 2 && cued
}

// lineAt returns the bounds of the line of text that holds byte i.
func lineAt(text string, i int) (start, end int) {
	start = strings.LastIndexByte(text[:i], '\n') + 1
	end = strings.IndexByte(text[i:], '\n')
	if end < 0 {
		return start, len(text)
	}
	return start, i + end
}

// isListItem reports whether the line of text that holds byte i is a
// numbered item of a list: it begins (after spaces) with a number of one
// or two digits and ".", ")" or "、". Bullets mark the points of one offer
// as often as the jobs of a list, so they do not count.
func isListItem(text string, i int) bool {
	ls, le := lineAt(text, i)
	line := strings.TrimLeft(text[ls:le], " \t")
	j := 0
	for j < len(line) && j < 2 && line[j] >= '0' && line[j] <= '9' {
		j++
	}
	if j == 0 {
		return false
	}
	rest := line[j:]
	if strings.HasPrefix(rest, ".") && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9' {
		return false // "1.500$ a month" is a number, not an item
	}
	return strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, ")") || strings.HasPrefix(rest, "、")
}

// catOnLine reports whether an indicator of one of the categories cats has
// evidence in field on the line of text that holds byte i.
func (d *Detector) catOnLine(s *scan, cats []int, field, text string, i int) bool {
	ls, le := lineAt(text, i)
	for _, k := range s.touched {
		if !slices.Contains(cats, d.inds[k].cat) {
			continue
		}
		for _, e := range s.ev[k] {
			if e.Field == field && e.Start >= ls && e.Start < le {
				return true
			}
		}
	}
	return false
}
