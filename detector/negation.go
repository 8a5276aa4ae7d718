package detector

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lurewatch/lurewatch/detector/textnorm"
)

// negHit is a phrase match in a field's normalised text, [ns, ne): a
// negation cue (ind negBefore or negAfter) or a phrase of an indicator with
// negated_as. For the latter, negated says whether a cue negates it, and
// [cs, ce) is the span of the cue and the phrase together.
type negHit struct {
	ind, ns, ne int
	negated     bool
	cs, ce      int
}

// listGap is the most characters between two phrases of a list ("TEFL,
// CELTA or degree") for a negation of one to carry to the next.
const listGap = 12

// clauseBreaks end the reach of a negation cue: a cue stands in the same
// clause as what it negates. listBreaks end a list: a comma joins its items.
const (
	listBreaks   = ".!?;:\n。！？；：।။።"
	clauseBreaks = listBreaks + ",，、،"
)

// negate adds field f's negatable phrases to s: each as its own indicator,
// or, when a negation cue stands beside it in the same clause ("no degree",
// "degree not required") or it is in a list with a negated one ("no TEFL or
// degree"), as the indicator its negated_as names, with the cue in its
// evidence.
func (d *Detector) negate(s *scan, f *fieldScan) {
	t := &f.text
	norm := t.Norm
	hs := f.negatable
	slices.SortFunc(hs, func(a, b negHit) int { return cmp.Or(cmp.Compare(a.ns, b.ns), cmp.Compare(a.ne, b.ne)) })
	for i := range hs {
		h := &hs[i]
		for _, c := range f.cues {
			switch {
			case c.ind == negBefore && c.ne <= h.ns && within(norm, c.ne, h.ns, d.negGap, clauseBreaks):
				h.negated, h.cs, h.ce = true, c.ns, h.ne
			case c.ind == negAfter && c.ns >= h.ne && within(norm, h.ne, c.ns, d.negGap, clauseBreaks):
				h.negated, h.cs, h.ce = true, h.ns, c.ne
			}
			if h.negated {
				break
			}
		}
	}
	// A negation carries along a list, forward ("no TEFL or degree") and
	// back ("TEFL or degree not needed"); overlapping phrases are one.
	joined := func(a, b *negHit) bool {
		return a.ind == b.ind && (b.ns < a.ne || within(norm, a.ne, b.ns, listGap, listBreaks))
	}
	for i := 1; i < len(hs); i++ {
		if a, b := &hs[i-1], &hs[i]; a.negated && !b.negated && joined(a, b) {
			b.negated, b.cs, b.ce = true, b.ns, b.ne
		}
	}
	for i := len(hs) - 1; i > 0; i-- {
		if a, b := &hs[i-1], &hs[i]; b.negated && !a.negated && joined(a, b) {
			a.negated, a.cs, a.ce = true, a.ns, a.ne
		}
	}
	for _, h := range hs {
		ind, ns, ne := h.ind, h.ns, h.ne
		if h.negated {
			ind, ns, ne = d.inds[h.ind].negatedAs, h.cs, h.ce
		}
		os, oe := t.Span(ns, ne)
		s.add(ind, f.name, f.orig, ns, os, oe)
	}
}

// within reports whether the gap norm[gs:ge], between a cue and a phrase
// or two phrases, is at most max characters and holds none of breaks, nor
// a space beside a script written without spaces between words: in Thai,
// Lao, Khmer, Burmese, Chinese or Japanese a space parts phrases or
// clauses ("ต้องมีปริญญาตรี ไม่จำเป็นต้องมีประสบการณ์": a degree required,
// experience not needed).
func within(norm string, gs, ge, max int, breaks string) bool {
	gap := norm[gs:ge]
	if len(gap) > max*utf8.UTFMax || utf8.RuneCountInString(gap) > max || strings.ContainsAny(gap, breaks) {
		return false
	}
	if !strings.Contains(gap, " ") {
		return true
	}
	before, _ := utf8.DecodeLastRuneInString(norm[:gs])
	after, _ := utf8.DecodeRuneInString(norm[ge:])
	return !unspacedWords(before) && !unspacedWords(after)
}

// unspacedWords reports whether r belongs to a script written without
// spaces between words (Korean, which textnorm.Unspaced matches as
// substrings for its particles, puts spaces between words).
func unspacedWords(r rune) bool {
	return textnorm.Unspaced(r) && !unicode.Is(unicode.Hangul, r)
}
