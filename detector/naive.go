package detector

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/lurewatch/lurewatch/detector/rulefmt"
	"github.com/lurewatch/lurewatch/detector/textnorm"
)

// naiveMatcher is the baseline the engine is measured against: every rule
// phrase compiled to a regexp of its own (word-bounded with \b where the
// engine needs a word boundary and the phrase's edge is an ASCII word
// character, and with a space or a line break where the phrase has a
// space, as the engine reads them), and every rule pattern run over the
// whole normalised text, with no automaton and no prefilter. Only the
// benchmarks and the test that checks it finds what the engine finds use
// it.
type naiveMatcher struct {
	d       *Detector
	phrases []*regexp.Regexp
}

// newNaive builds the naive matcher for d's phrases.
func newNaive(d *Detector) *naiveMatcher {
	nm := &naiveMatcher{d: d}
	lists := [][]rulefmt.Phrase{}
	for _, ind := range d.rules.Indicators {
		lists = append(lists, ind.NormPhrases)
	}
	if n := d.rules.Negation; n != nil {
		// In the order compile adds them, after every indicator's phrases.
		lists = append(lists, n.NormBefore, n.NormAfter)
	}
	for _, list := range lists {
		for _, p := range list {
			first, last := firstLast(p.Text)
			// In the order addPhrases adds them: the phrase, then its
			// Mandarin form when it is written in Cantonese.
			for _, text := range phraseForms(p.Text) {
				expr := strings.ReplaceAll(regexp.QuoteMeta(text), " ", "[ \n]")
				if !p.OpenLeft && textnorm.IsWordRune(first) && first < utf8.RuneSelf {
					expr = `\b` + expr
				}
				if !p.OpenRight && textnorm.IsWordRune(last) && last < utf8.RuneSelf {
					expr += `\b`
				}
				nm.phrases = append(nm.phrases, regexp.MustCompile(expr))
			}
		}
	}
	return nm
}

// naiveHit is a phrase or pattern match: phrase or pattern index (patterns
// after phrases) and normalised span.
type naiveHit struct{ p, start, end int }

// match returns the phrase matches in norm, checked for word boundaries as
// the engine checks them, then the pattern matches, and appends them to out.
func (nm *naiveMatcher) match(norm string, out []naiveHit) []naiveHit {
	for p, re := range nm.phrases {
		for _, loc := range re.FindAllStringIndex(norm, -1) {
			if nm.d.bounded(p, norm, loc[0], loc[1]) {
				out = append(out, naiveHit{p, loc[0], loc[1]})
			}
		}
	}
	for i, rr := range nm.d.regexps {
		for _, loc := range rr.re.FindAllStringIndex(norm, maxEvidence) {
			out = append(out, naiveHit{len(nm.phrases) + i, loc[0], loc[1]})
		}
	}
	return out
}

// bounded reports whether a match of phrase p at [ns, ne) of norm has the
// word boundaries the phrase needs.
func (d *Detector) bounded(p int, norm string, ns, ne int) bool {
	ref := d.phrases[p]
	if ref.boundL && ns > 0 {
		if c := norm[ns-1]; c < utf8.RuneSelf {
			if asciiWord[c] {
				return false
			}
		} else if r, _ := utf8.DecodeLastRuneInString(norm[:ns]); textnorm.IsWordRune(r) {
			return false
		}
	}
	if ref.boundR && ne < len(norm) {
		if c := norm[ne]; c < utf8.RuneSelf {
			if asciiWord[c] {
				return false
			}
		} else if r, _ := utf8.DecodeRuneInString(norm[ne:]); textnorm.IsWordRune(r) {
			return false
		}
	}
	return true
}
