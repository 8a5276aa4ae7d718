package textnorm

// The normaliser as it was before the single-pass fast path: every text is
// decoded into units, evasion is undone on them and they are assembled.
// It is kept, frozen, as the reference that the differential test and
// FuzzNormalizeMatchesReference compare Normalizer with, and that
// BenchmarkNormalizeCorpusReference measures. It shares with the package
// the character tables and properties (fold, bmpTable, isWordRune, isMark,
// isLatinLetter, homoglyph, ...) and the undoing of evasion, which the
// fast path does not change but runs only where it is needed.

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// refNormalizer is the reference normaliser's buffers.
type refNormalizer struct {
	units []unit
	buf   []byte
}

// refNormalizeInto is the reference Normalizer.NormalizeInto: decode, undo
// evasion on the units, assemble.
func (n *refNormalizer) refNormalizeInto(t *Text, s string) {
	t.Orig = s
	t.Signals = t.Signals[:0]
	n.units = n.units[:0]
	n.refDecode(s)
	// Evasion is undone by the normaliser's own code, over the units of
	// the whole text: the fast path runs it only on the stretches that
	// need it, and must give what this gives.
	p := Normalizer{units: n.units}
	p.undoEvasion(t)
	n.units = p.units
	n.refAssemble(t)
}

// refDecode fills n.units with the NFKC-normalised, folded runes of s.
func (n *refNormalizer) refDecode(s string) {
	if cap(n.units) < len(s) {
		n.units = make([]unit, 0, len(s)+len(s)/4)
	}
	var tab *[0x10000]uint32
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			// Fast path: a BMP character that is a normalisation segment
			// of its own and already in NFKC, mapped by table.
			if tab == nil {
				tab = bmpTable()
			}
			if r, w := utf8.DecodeRuneInString(s[i:]); w > 1 && r < 0x10000 {
				if e := tab[r]; e&bmpSimple != 0 && refStartsSegment(tab, s, i+w) {
					if e&bmpDrop == 0 {
						n.units = append(n.units, unit{rune(e & bmpRune), int32(i), int32(i + w)})
					}
					i += w
					continue
				}
			}
		} else if i+1 < len(s) && s[i+1] >= utf8.RuneSelf {
			if tab == nil {
				tab = bmpTable()
			}
			if refStartsSegment(tab, s, i+1) {
				if f := asciiFold[c]; f != asciiDrop {
					n.units = append(n.units, unit{rune(f), int32(i), int32(i + 1)})
				}
				i++
				continue
			}
		}
		if c < utf8.RuneSelf && (i+1 == len(s) || s[i+1] < utf8.RuneSelf) {
			// A run of ASCII (each byte followed by ASCII): NFKC leaves
			// it alone, and folding is a table lookup.
			j := i
			for j < len(s) && s[j] < utf8.RuneSelf && (j+1 == len(s) || s[j+1] < utf8.RuneSelf) {
				j++
			}
			for k := i; k < j; k++ {
				if c := asciiFold[s[k]]; c != asciiDrop {
					n.units = append(n.units, unit{rune(c), int32(k), int32(k + 1)})
				}
			}
			i = j
			continue
		}
		seg := norm.NFKC.NextBoundaryInString(s[i:], true)
		if r, w := utf8.DecodeRuneInString(s[i:]); seg <= 0 || r == utf8.RuneError && w == 1 {
			// An invalid byte is a segment of its own: it becomes a
			// space, which marks after it do not combine with.
			seg = w
		}
		end := i + seg
		part := s[i:end]
		// Characters normalisation removes, followed by non-starters
		// (combining marks), would leave marks that a second
		// normalisation reorders or composes: take the marks into this
		// segment and normalise it without the removed characters.
		if e := refExtendOverDropped(s, end); e > end {
			end = e
			var b strings.Builder
			for _, r := range s[i:end] {
				if !refIsDropped(r) {
					b.WriteRune(r)
				}
			}
			part = b.String()
		}
		if refNonStarter(s, i) {
			// A segment that starts with a combining mark (at the start
			// of the text, after an invalid byte): normalise it after a
			// space, as it will be when the normalised text, where the
			// byte is a space, is normalised again.
			n.buf = norm.NFKC.AppendString(append(n.buf[:0], ' '), part)
			n.buf = n.buf[1:]
		} else {
			n.buf = norm.NFKC.AppendString(n.buf[:0], part)
		}
		if part == s[i:end] && string(n.buf) == part {
			n.refPushRunes(part, i, end)
		} else {
			for j := 0; j < len(n.buf); {
				r, w := utf8.DecodeRune(n.buf[j:])
				if r == utf8.RuneError && w <= 1 {
					r = ' '
					if len(n.buf) == end-i {
						n.refPush(r, i+j, i+j+1)
						j++
						continue
					}
				}
				n.refPush(r, i, end)
				j += w
			}
		}
		i = end
	}
}

// refPushRunes adds the runes of seg, all of which stand for original [s, e).
func (n *refNormalizer) refPushRunes(seg string, s, e int) {
	for j := 0; j < len(seg); {
		r, w := utf8.DecodeRuneInString(seg[j:])
		if r == utf8.RuneError && w <= 1 {
			r = ' '
			if len(seg) == e-s {
				// Unchanged segment: point the space at the bad byte only.
				n.refPush(r, s+j, s+j+1)
				j++
				continue
			}
		}
		n.refPush(r, s, e)
		j += w
	}
}

// refIsDropped reports whether normalisation removes r.
func refIsDropped(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiFold[r] == asciiDrop
	}
	_, ok := fold(r)
	return !ok
}

// refNonStarter reports whether the character at s[k] continues the
// normalisation segment before it (a combining mark).
func refNonStarter(s string, k int) bool {
	r, w := utf8.DecodeRuneInString(s[k:])
	if w <= 1 {
		return false
	}
	if r < 0x10000 {
		return bmpTable()[r]&bmpStarts == 0
	}
	return norm.NFKC.NextBoundaryInString("a"+s[k:k+w], true) != 1
}

// refExtendOverDropped returns the end of the segment ending at end, extended
// over every run of removed characters that is followed by a non-starter,
// with the segment that non-starter begins; or end when there is none.
func refExtendOverDropped(s string, end int) int {
	for end < len(s) {
		k := end
		for k < len(s) {
			r, w := utf8.DecodeRuneInString(s[k:])
			if r == utf8.RuneError && w <= 1 || !refIsDropped(r) {
				break
			}
			k += w
		}
		if k == end || k >= len(s) || !refNonStarter(s, k) {
			break
		}
		next := norm.NFKC.NextBoundaryInString(s[k:], true)
		if next <= 0 {
			next = 1
		}
		end = k + next
	}
	return end
}

// refStartsSegment reports whether a normalisation segment is known to start
// at s[i] (or s ends there), so that the character before it is a segment
// of its own.
func refStartsSegment(tab *[0x10000]uint32, s string, i int) bool {
	if i >= len(s) {
		return true
	}
	if s[i] < utf8.RuneSelf {
		return asciiFold[s[i]] != asciiDrop
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	return w > 1 && r < 0x10000 && tab[r]&(bmpStarts|bmpDrop) == bmpStarts
}

// refPush adds one rune, mapped, unless mapping removes it.
func (n *refNormalizer) refPush(r rune, s, e int) {
	if r < utf8.RuneSelf {
		if c := asciiFold[r]; c != asciiDrop {
			n.units = append(n.units, unit{rune(c), int32(s), int32(e)})
		}
		return
	}
	if r, ok := fold(r); ok {
		n.units = append(n.units, unit{r, int32(s), int32(e)})
	}
}

// refAssemble writes the units into t.Norm and its maps, collapsing runs of
// white space.
func (n *refNormalizer) refAssemble(t *Text) {
	size := 0
	for _, u := range n.units {
		if u.r < utf8.RuneSelf {
			size++
		} else {
			size += utf8.RuneLen(u.r)
		}
	}
	out := n.buf[:0]
	if cap(out) < size {
		out = make([]byte, 0, size)
	}
	if cap(t.start) < size {
		t.start = make([]int32, 0, size)
		t.end = make([]int32, 0, size)
	}
	start, end := t.start[:0], t.end[:0]
	units := n.units
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case u.r == ' ' || u.r == '\n':
			j := i + 1
			nl := u.r == '\n'
			for j < len(units) && (units[j].r == ' ' || units[j].r == '\n') {
				nl = nl || units[j].r == '\n'
				j++
			}
			c := byte(' ')
			if nl {
				c = '\n'
			}
			out = append(out, c)
			start = append(start, u.s)
			end = append(end, units[j-1].e)
			i = j - 1
		case u.r < utf8.RuneSelf:
			out = append(out, byte(u.r))
			start = append(start, u.s)
			end = append(end, u.e)
		default:
			w := len(out)
			out = utf8.AppendRune(out, u.r)
			for k := w; k < len(out); k++ {
				start = append(start, u.s)
				end = append(end, u.e)
			}
		}
	}
	t.Norm = string(out)
	t.start, t.end = start, end
	n.buf = out
}
