package detector

import (
	"github.com/lurewatch/lurewatch/detector/rulefmt"
)

// quotedRule is an indicator with a quoted condition
// (rulefmt.QuotedCondition).
type quotedRule struct {
	ind, minCategories int
}

func compileQuotedRules(rules *rulefmt.File) []quotedRule {
	var out []quotedRule
	for i, ind := range rules.Indicators {
		if qc := ind.Quoted; qc != nil {
			out = append(out, quotedRule{ind: i, minCategories: qc.MinCategories})
		}
	}
	return out
}

// quotedCues adds the quoted indicators whose condition the ad meets: at
// least their number of raising categories have cues, all of them inside
// quotation marks. The evidence is the first such cue.
func (d *Detector) quotedCues(s *scan) {
	if len(d.quotedRules) == 0 {
		return
	}
	if len(s.quotedCat) != len(d.cats) {
		s.quotedCat = make([]int8, len(d.cats))
	}
	state := s.quotedCat // 0 no cue, 1 quoted cues only, -1 a cue outside quotes
	clear(state)
	for _, ind := range s.touched {
		c := d.inds[ind].cat
		if !d.cats[c].raises() {
			continue
		}
		for _, e := range s.ev[ind] {
			switch {
			case !e.quoted:
				state[c] = -1
			case state[c] == 0:
				state[c] = 1
			}
		}
	}
	n := 0
	for _, st := range state {
		if st == 1 {
			n++
		}
	}
	if n == 0 {
		return
	}
	var first *evidence // the first cue of a category quoted only
	for _, ind := range s.touched {
		if state[d.inds[ind].cat] == 1 {
			first = &s.ev[ind][0]
			break
		}
	}
	for _, r := range d.quotedRules {
		if n >= r.minCategories {
			s.addEvidence(r.ind, evidence{Evidence: first.Evidence})
		}
	}
}
