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
	"unicode/utf8"
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
		// The general case: the package's own segment code, which the
		// fast path did not change and uses too.
		p := Normalizer{units: n.units, buf: n.buf}
		i = p.segment(s, i)
		n.units, n.buf = p.units, p.buf
	}
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
	if cap(t.offsets.xs) < size {
		t.offsets.xs = make([]int32, 0, size)
		t.offsets.xe = make([]int32, 0, size)
	}
	start, end := t.offsets.xs[:0], t.offsets.xe[:0]
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
	// The map, byte by byte, as one explicit run.
	t.offsets.setExplicit(start, end)
	n.buf = out
}
