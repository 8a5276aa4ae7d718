package detector

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector/rulefmt"
)

// proseRule is an indicator with a prose condition (rulefmt.ProseCondition).
type proseRule struct {
	ind, minAvgLine, minChars int
}

func compileProseRules(rules *rulefmt.File) []proseRule {
	var out []proseRule
	for i, ind := range rules.Indicators {
		if pc := ind.Prose; pc != nil {
			out = append(out, proseRule{ind: i, minAvgLine: pc.MinAvgLine, minChars: pc.MinChars})
		}
	}
	return out
}

// gateProse returns the categories one of which an ad must match for its
// prose cues to matter, or nil when they may matter alone. A prose cue
// only helps withhold a level (its category leaves the score alone), and
// when the prose categories' caps together fall short of every withhold
// rule's min_score, withholding needs one of that rule's other categories
// too: then most ads are spared the measuring.
func (d *Detector) gateProse(rules *rulefmt.File) []bool {
	if len(d.proseRules) == 0 {
		return nil
	}
	isProse := make([]bool, len(d.cats))
	for _, r := range d.proseRules {
		isProse[d.inds[r.ind].cat] = true
	}
	gate := make([]bool, len(d.cats))
	for _, l := range lurewatch.Levels[1:] {
		w := rules.Levels.Get(l).Withhold
		if w == nil {
			continue
		}
		alone := 0.0
		for _, c := range d.withhold[l] {
			if isProse[c] {
				alone += d.cats[c].cap
			} else {
				gate[c] = true
			}
		}
		if alone >= w.MinScore {
			return nil
		}
	}
	return gate
}

// proseSnippet is how much of the longest line a prose cue quotes as its
// evidence, in bytes.
const proseSnippet = 80

// proseCues adds the prose indicators whose condition the ad's text field
// meets, with the start of its longest line as evidence.
func (d *Detector) proseCues(s *scan, fields []lurewatch.AdField) {
	if len(d.proseRules) == 0 {
		return
	}
	if d.proseGate != nil && !slices.ContainsFunc(s.touched, func(i int) bool { return d.proseGate[d.inds[i].cat] }) {
		return
	}
	for _, f := range fields {
		if f.Name != lurewatch.FieldText {
			continue
		}
		text := capBytes(f.Value, MaxFieldBytes)
		sh := shapeOf(text)
		if sh.lines == 0 {
			return
		}
		for _, r := range d.proseRules {
			if sh.chars >= r.minChars && sh.chars/sh.lines >= r.minAvgLine {
				end := sh.longStart + len(capBytes(text[sh.longStart:sh.longEnd], proseSnippet))
				s.addEvidence(r.ind, evidence{Evidence: lurewatch.Evidence{Field: f.Name,
					Start: sh.longStart, End: end, Snippet: text[sh.longStart:end]}})
			}
		}
		return
	}
}

// shape is what proseCues needs to know of a text's layout.
type shape struct {
	// lines is the number of lines that hold more than white space, chars
	// the characters in them (see charWeight), white space at their ends
	// left out.
	lines, chars int
	// [longStart, longEnd) is the longest of those lines in bytes,
	// trimmed: the first if several are.
	longStart, longEnd int
}

// shapeOf measures text's lines. It counts the characters of the whole
// text in one pass and takes off the white space it trims and the line
// breaks, which are one byte and one character each.
func shapeOf(text string) shape {
	sh := shape{chars: charWeight(text)}
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
			sh.chars-- // the line break
		}
		a, b := start, end
		for a < b && isBlankByte(text[a]) {
			a++
		}
		for b > a && isBlankByte(text[b-1]) {
			b--
		}
		sh.chars -= end - start - (b - a)
		if a < b {
			sh.lines++
			if b-a > sh.longEnd-sh.longStart {
				sh.longStart, sh.longEnd = a, b
			}
		}
		start = end + 1
	}
	return sh
}

func isBlankByte(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

// charWeight counts the characters of UTF-8 text s by their first bytes:
// one each, two for those from U+3000 to U+DFFF (Chinese, Japanese and
// Korean scripts and their punctuation, whose first bytes are 0xE3 to
// 0xED). A byte that cannot start a character counts as nothing when it
// can continue one, else as one character.
func charWeight(s string) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	n, i := 0, 0
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8] // one bounds check, so that the loads merge into one
		w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		if w&highs == 0 {
			n += 8 // ASCII
			continue
		}
		// Bytes 10xxxxxx continue a character. Of the others, those of
		// 0xE3 to 0xED (high bit set, low seven bits 0x63 to 0x6D)
		// count twice; adding to the low seven bits never carries out
		// of a byte.
		cont := w &^ (w << 1) & highs
		low := w &^ highs
		wide := w & (low + (0x80-0x63)*ones) &^ (low + (0x80-0x6e)*ones) & highs
		n += 8 - bits.OnesCount64(cont) + bits.OnesCount64(wide)
	}
	for ; i < len(s); i++ {
		n += int(firstByteWeight[s[i]])
	}
	return n
}

// firstByteWeight is what a byte adds to charWeight.
var firstByteWeight = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c&0xC0 == 0x80:
			t[c] = 0 // continues a character
		case c >= 0xE3 && c <= 0xED:
			t[c] = 2
		default:
			t[c] = 1
		}
	}
	return t
}()
