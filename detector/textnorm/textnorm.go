// Package textnorm normalises ad text for matching and keeps, for every byte
// of the normalised form, the span of the original text it came from, so a
// match found in the normalised text can be reported as byte offsets into the
// text as posted.
//
// Normalisation, in order:
//   - Unicode NFKC (full-width forms, ligatures and compatibility characters
//     become their plain form; "ｖｉｓａ" becomes "visa");
//   - format characters are removed: zero-width space and joiners, word
//     joiner, BOM, soft hyphen, bidi controls, variation selectors;
//   - simple case folding;
//   - Latin letters lose their diacritics ("lương" becomes "luong"), because
//     ads are often written without them;
//   - every decimal digit becomes its ASCII digit (Thai, Khmer, Burmese, ...);
//   - dashes become '-', curly quotes become straight ones;
//   - runs of white space become one space, or one newline when the run holds
//     a line break;
//   - filter-evasion is undone and reported as a Signal: letters spaced out
//     ("T e l e g r a m", "P.h.n.o.m") are joined, and digits or symbols used
//     as letters inside a Latin word ("L0KER", "T3l3gr@m") are read as
//     letters.
//
// Invalid UTF-8 bytes become spaces. Normalising is linear in the length of
// the input; callers bound that length.
package textnorm

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Signal names a filter-evasion trick that normalisation undid.
type Signal uint8

// Signals that Normalize reports.
const (
	// SpacedLetters: letters separated by single spaces, dots, dashes or
	// underscores ("W h a t s A p p", "S.H.V") were joined.
	SpacedLetters Signal = iota + 1
	// Leetspeak: digits or symbols between Latin letters were read as
	// letters ("L0KER LU4R N3GERI", "H!R!NG").
	Leetspeak
)

// String returns the signal's name as used in rules files.
func (s Signal) String() string {
	switch s {
	case SpacedLetters:
		return "spaced_letters"
	case Leetspeak:
		return "leetspeak"
	}
	return "unknown"
}

// ParseSignal returns the Signal named name, and false when there is none.
func ParseSignal(name string) (Signal, bool) {
	switch name {
	case "spaced_letters":
		return SpacedLetters, true
	case "leetspeak":
		return Leetspeak, true
	}
	return 0, false
}

// SignalSpan is where in the original text a Signal was seen.
type SignalSpan struct {
	Signal     Signal
	Start, End int // byte offsets into the original text
}

// Text is a normalised text with its map back to the original.
type Text struct {
	// Orig is the text as given.
	Orig string
	// Norm is the normalised form.
	Norm string
	// Signals lists the evasion tricks undone, in order of position.
	Signals []SignalSpan
	// start[i] and end[i] are the original span of Norm[i].
	start, end []int32
}

// Span maps the normalised byte span [ns, ne) back to the original text. The
// result is a span of whole original characters (of whole normalisation
// segments, when one original character became several or several became
// one), so Orig[start:end] is always valid. For an empty span it returns
// the position where that span would start.
func (t *Text) Span(ns, ne int) (start, end int) {
	if ns < 0 {
		ns = 0
	}
	if ne > len(t.Norm) {
		ne = len(t.Norm)
	}
	if ns >= len(t.Norm) {
		return len(t.Orig), len(t.Orig)
	}
	if ne <= ns {
		s := int(t.start[ns])
		return s, s
	}
	return int(t.start[ns]), int(t.end[ne-1])
}

// unit is one rune of the normalised text before assembly, with the
// original span it stands for.
type unit struct {
	r    rune
	s, e int32
}

// Normalizer normalises texts, reusing its buffers between calls. A
// Normalizer is not safe for concurrent use; the zero value is ready.
type Normalizer struct {
	units []unit
	buf   []byte
}

// String returns the normalised form of s, without the offset map: the form
// in which rules phrases are compiled.
func String(s string) string {
	var n Normalizer
	return n.Normalize(s).Norm
}

// Normalize returns the normalised form of s with its offset map. s longer
// than 1<<31-1 bytes is not supported (callers cap far below that).
func (n *Normalizer) Normalize(s string) *Text {
	t := &Text{Orig: s}
	n.units = n.units[:0]
	n.decode(s)
	n.undoEvasion(t)
	n.assemble(t)
	return t
}

// decode fills n.units with the NFKC-normalised, folded runes of s.
func (n *Normalizer) decode(s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf && (i+1 == len(s) || s[i+1] < utf8.RuneSelf) {
			// ASCII followed by ASCII: NFKC leaves it alone.
			n.push(rune(c), i, i+1)
			i++
			continue
		}
		seg := norm.NFKC.NextBoundaryInString(s[i:], true)
		if seg <= 0 {
			_, seg = utf8.DecodeRuneInString(s[i:])
		}
		end := i + seg
		part := s[i:end]
		if norm.NFKC.IsNormalString(part) {
			n.pushRunes(part, i, end)
		} else {
			n.buf = norm.NFKC.AppendString(n.buf[:0], part)
			n.pushRunes(string(n.buf), i, end)
		}
		i = end
	}
}

// pushRunes adds the runes of seg, all of which stand for original [s, e).
func (n *Normalizer) pushRunes(seg string, s, e int) {
	for j := 0; j < len(seg); {
		r, w := utf8.DecodeRuneInString(seg[j:])
		if r == utf8.RuneError && w <= 1 {
			r = ' '
			if len(seg) == e-s {
				// Unchanged segment: point the space at the bad byte only.
				n.push(r, s+j, s+j+1)
				j++
				continue
			}
		}
		n.push(r, s, e)
		j += w
	}
}

// push adds one rune, mapped, unless mapping removes it.
func (n *Normalizer) push(r rune, s, e int) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		} else if r == '\t' || r == '\r' || r == '\v' || r == '\f' {
			r = ' '
		}
		n.units = append(n.units, unit{r, int32(s), int32(e)})
		return
	}
	if drop(r) {
		return
	}
	switch {
	case unicode.IsSpace(r):
		if r == '\u2028' || r == '\u2029' || r == '\u0085' {
			r = '\n'
		} else {
			r = ' '
		}
	case unicode.Is(unicode.Nd, r):
		if d, ok := digitValue[r]; ok {
			r = '0' + rune(d)
		}
	case unicode.Is(unicode.Pd, r):
		r = '-'
	case r == '\u2018' || r == '\u2019' || r == '\u02bc' || r == '\u201b':
		r = '\''
	case r == '\u201c' || r == '\u201d' || r == '\u201f':
		r = '"'
	default:
		r = unicode.ToLower(unicode.ToUpper(r))
		if b, ok := latinBase[r]; ok {
			r = b
		}
	}
	n.units = append(n.units, unit{r, int32(s), int32(e)})
}

// drop reports whether r is removed by normalisation: format characters
// (zero-width space and joiners, BOM, soft hyphen, bidi controls),
// variation selectors and the combining grapheme joiner.
func drop(r rune) bool {
	switch {
	case r == '\u034f':
		return true
	case r >= '\ufe00' && r <= '\ufe0f':
		return true
	case r >= 0xe0100 && r <= 0xe01ef:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// assemble writes the units into t.Norm and its maps, collapsing runs of
// white space.
func (n *Normalizer) assemble(t *Text) {
	out := n.buf[:0]
	t.start = make([]int32, 0, len(n.units))
	t.end = make([]int32, 0, len(n.units))
	var tmp [utf8.UTFMax]byte
	for i := 0; i < len(n.units); i++ {
		u := n.units[i]
		if u.r == ' ' || u.r == '\n' {
			j := i
			nl := false
			for j < len(n.units) && (n.units[j].r == ' ' || n.units[j].r == '\n') {
				nl = nl || n.units[j].r == '\n'
				j++
			}
			c := byte(' ')
			if nl {
				c = '\n'
			}
			out = append(out, c)
			t.start = append(t.start, u.s)
			t.end = append(t.end, n.units[j-1].e)
			i = j - 1
			continue
		}
		w := utf8.EncodeRune(tmp[:], u.r)
		out = append(out, tmp[:w]...)
		for k := 0; k < w; k++ {
			t.start = append(t.start, u.s)
			t.end = append(t.end, u.e)
		}
	}
	t.Norm = string(out)
	n.buf = out
}

// isWordRune reports whether r is part of a word: a letter, digit, mark or
// underscore.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

func isMark(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Mc) }

func isLatinLetter(r rune) bool {
	return r < 0x250 && unicode.IsLetter(r) || unicode.Is(unicode.Latin, r)
}

// Unspaced reports whether r belongs to a script written without spaces
// between words (Han, kana, Thai, Lao, Khmer, Burmese, Tibetan), where a
// phrase is matched as a plain substring instead of as whole words.
func Unspaced(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai,
		unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan)
}

// IsWordRune reports whether r continues a word of a space-separated
// script, so that a phrase must not start or end next to it.
func IsWordRune(r rune) bool { return isWordRune(r) && !Unspaced(r) }

var leet = map[rune]rune{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '!': 'i', '$': 's'}

// undoEvasion rewrites leetspeak and joins spaced-out letters in n.units,
// recording what it did in t.Signals.
func (n *Normalizer) undoEvasion(t *Text) {
	u := n.units
	// Leetspeak: a digit or symbol between two Latin letters.
	last := -1 // index in t.Signals of the open leetspeak span
	for i := 1; i+1 < len(u); i++ {
		l, ok := leet[u[i].r]
		if !ok || !isLatinLetter(u[i-1].r) || !isLatinLetter(u[i+1].r) {
			continue
		}
		if u[i].r == '@' && emailLike(u[i+1:]) {
			continue
		}
		u[i].r = l
		if last >= 0 && int(u[i].s) <= t.Signals[last].End+8 {
			t.Signals[last].End = int(u[i].e)
		} else {
			t.Signals = append(t.Signals, SignalSpan{Leetspeak, int(u[i].s), int(u[i].e)})
			last = len(t.Signals) - 1
		}
	}
	// Spaced letters: at least 4 one-character tokens (3 when separated by
	// dots, "S.H.V"), each a letter, digit or underscore with its marks,
	// separated by one repeated separator.
	out := u[:0]
	for i := 0; i < len(u); {
		end, count := spacedRun(u, i)
		if count < 4 && !(count == 3 && u[i+tokenLen(u, i)].r == '.') {
			out = append(out, u[i])
			i++
			continue
		}
		t.Signals = append(t.Signals, SignalSpan{SpacedLetters, int(u[i].s), int(u[end-1].e)})
		for j := i; j < end; {
			tl := tokenLen(u, j)
			out = append(out, u[j:j+tl]...)
			j += tl + 1 // skip the separator
		}
		i = end
	}
	n.units = out
}

// emailLike reports whether the rest of a word after '@' looks like a mail
// domain (holds a dot before the next space).
func emailLike(rest []unit) bool {
	for _, x := range rest {
		if x.r == '.' {
			return true
		}
		if !isWordRune(x.r) && x.r != '-' {
			return false
		}
	}
	return false
}

func isSep(r rune) bool { return r == ' ' || r == '.' || r == '-' }

// tokenLen returns the length in units of the one-character token at i (a
// letter, digit or underscore with its marks), or 0 when there is none.
func tokenLen(u []unit, i int) int {
	if i >= len(u) || isMark(u[i].r) || !(u[i].r == '_' || unicode.IsLetter(u[i].r) || unicode.IsDigit(u[i].r)) {
		return 0
	}
	j := i + 1
	for j < len(u) && isMark(u[j].r) {
		j++
	}
	return j - i
}

// spacedRun finds a run of one-character tokens starting at i separated by
// one repeated separator, and returns the index after its last token and
// the number of tokens. A token adjacent to other word characters (so part
// of a longer word) ends the run.
func spacedRun(u []unit, i int) (end, count int) {
	if i > 0 && isWordRune(u[i-1].r) {
		return i, 0
	}
	tl := tokenLen(u, i)
	if tl == 0 {
		return i, 0
	}
	j := i + tl
	if j >= len(u) || !isSep(u[j].r) {
		return i, 0
	}
	sep := u[j].r
	count = 1
	end = j
	for j < len(u) && u[j].r == sep {
		tl := tokenLen(u, j+1)
		if tl == 0 {
			break
		}
		k := j + 1 + tl
		if k < len(u) && isWordRune(u[k].r) {
			// "S.H.V" ends at a token; "P.e.nh" would continue a word:
			// accept a final multi-letter tail only when nothing follows.
			break
		}
		count++
		end = k
		j = k
	}
	return end, count
}
