package textnorm

// The normaliser as it was before the single-pass fast path: every text is
// decoded into units, evasion is undone on them and they are assembled.
// It is kept, frozen, as the reference that the differential test and
// FuzzNormalizeMatchesReference compare Normalizer with, and that
// BenchmarkNormalizeCorpusReference measures. It shares with the package
// only the character tables and properties (fold, bmpTable, isWordRune,
// isMark, isLatinLetter, homoglyph, ...), which the fast path does not
// change.

import (
	"strings"
	"unicode"
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
	n.refUndoEvasion(t)
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

// refUndoEvasion rewrites leetspeak and joins spaced-out letters in n.units,
// recording what it did in t.Signals.
func (n *refNormalizer) refUndoEvasion(t *Text) {
	n.units = refCollapseSpace(refDropLatinMarks(n.units))
	u := n.units
	// Spaced letters: at least 4 one-character tokens (3 when separated by
	// dots, "S.H.V"), each a letter, digit or underscore with its marks,
	// separated by one repeated separator.
	out := u[:0]
	for i := 0; i < len(u); {
		end, count := refSpacedRun(u, i)
		if count < 4 && !(count == 3 && u[i+refTokenLen(u, i)].r == '.') {
			if len(out) == i {
				out = out[:i+1] // nothing removed yet: no copy
			} else {
				out = append(out, u[i])
			}
			i++
			continue
		}
		t.Signals = append(t.Signals, SignalSpan{SpacedLetters, int(u[i].s), int(u[end-1].e)})
		out = refJoinRun(out, u, i, end)
		i = end
	}
	n.units = out
	if refUndoHomoglyphs(t, out) {
		// Marks on the letters now read as Latin go, as on any Latin
		// letter.
		n.units = refDropLatinMarks(n.units)
	}
	u = n.units
	// Leetspeak: a digit or symbol between two Latin letters, or a '$'
	// starting a word of at least four Latin letters.
	// The '$' rule runs second, so that it sees the letters the first
	// rule restored ("$A0AA"), and from right to left.
	last := -1 // index in t.Signals of the open leetspeak span
	for pass := range 2 {
		for k := 0; k+1 < len(u); k++ {
			i := k
			if pass == 1 {
				i = len(u) - 2 - k // right to left: "$$ihanoukville"
			}
			l, ok := refLeetLetter(u[i].r)
			if !ok {
				continue
			}
			if pass == 0 {
				if i == 0 || !isLatinLetter(u[i-1].r) || !isLatinLetter(u[i+1].r) {
					continue
				}
				if u[i].r == '@' && refEmailLike(u[i+1:]) {
					continue
				}
			} else if u[i].r != '$' || i > 0 && (isWordRune(u[i-1].r) || refIsLeet(u[i-1].r)) || !refLatinRun(u[i+1:], 4) {
				// After a word character or another symbol read as a
				// letter, a '$' is not starting a word.
				continue
			}
			u[i].r = l
			if last >= 0 && int(u[i].s) <= t.Signals[last].End+8 && int(u[i].s) >= t.Signals[last].Start {
				t.Signals[last].End = max(t.Signals[last].End, int(u[i].e))
			} else {
				t.Signals = append(t.Signals, SignalSpan{Leetspeak, int(u[i].s), int(u[i].e)})
				last = len(t.Signals) - 1
			}
		}
	}
}

// refJoinRun appends to out the spaced-out letters u[i:end], joined. When
// they are separated by white space of different widths, the wider gaps
// separate words and are kept ("C u s t o m e r   s e r v i c e" becomes
// "customer service"), except between two one-letter words, which are
// joined too, so that no run of spaced letters is left for a second
// normalisation to join.
func refJoinRun(out, u []unit, i, end int) []unit {
	type token struct{ j, n int }
	var toks []token
	minGap := int32(1 << 30)
	for j := i; j < end; {
		tl := refTokenLen(u, j)
		toks = append(toks, token{j, tl})
		if g := j + tl; g < end {
			minGap = min(minGap, u[g].e-u[g].s)
		}
		j += tl + 1
	}
	wordGap := func(k int) bool { // after token k
		g := u[toks[k].j+toks[k].n]
		return g.r == ' ' && g.e-g.s > minGap
	}
	// Group sizes, split at word gaps.
	var sizes []int
	size := 0
	for k := range toks {
		size++
		if k+1 < len(toks) && wordGap(k) {
			sizes = append(sizes, size)
			size = 0
		}
	}
	sizes = append(sizes, size)
	group := 0
	for k, tk := range toks {
		out = append(out, u[tk.j:tk.j+tk.n]...)
		if k+1 < len(toks) && wordGap(k) {
			if sizes[group] > 1 || sizes[group+1] > 1 {
				out = append(out, u[tk.j+tk.n])
			}
			group++
		}
	}
	return out
}

// refCollapseSpace replaces each run of white space units with one unit: a
// newline when the run holds a line break, else a space, standing for the
// whole run. Evasion is undone on the collapsed text, as it would be on
// the normalised text, so that normalising is idempotent.
func refCollapseSpace(u []unit) []unit {
	w := 0
	for i := 0; i < len(u); i++ {
		x := u[i]
		if (x.r == ' ' || x.r == '\n') && w > 0 && (u[w-1].r == ' ' || u[w-1].r == '\n') {
			if x.r == '\n' {
				u[w-1].r = '\n'
			}
			u[w-1].e = x.e
			continue
		}
		if w != i {
			u[w] = x
		}
		w++
	}
	return u[:w]
}

// refDropLatinMarks removes the combining marks that follow a Latin letter
// (what is left of a diacritic NFKC could not compose, "e" with three
// acutes), so that Latin letters lose all their diacritics and
// normalising is idempotent.
func refDropLatinMarks(u []unit) []unit {
	w := 0
	for i := 0; i < len(u); i++ {
		x := u[i]
		if x.r >= 0x300 && w > 0 && isMark(x.r) && isLatinLetter(u[w-1].r) {
			continue
		}
		if w != i {
			u[w] = x
		}
		w++
	}
	return u[:w]
}

// refLatinRun reports whether u starts with at least n Latin letters.
func refLatinRun(u []unit, n int) bool {
	if len(u) < n {
		return false
	}
	for _, x := range u[:n] {
		if !isLatinLetter(x.r) {
			return false
		}
	}
	return true
}

// refUndoHomoglyphs rewrites, in every word that mixes Latin letters with
// Cyrillic or Greek ones that all look like Latin letters, those letters
// to Latin, and records a Homoglyphs signal for each such word. Words
// with no Latin letter (Russian, Greek) or with a Cyrillic or Greek
// letter that has no Latin look-alike are left alone. It reports whether
// it rewrote any.
func refUndoHomoglyphs(t *Text, u []unit) bool {
	done := false
	for i := 0; i < len(u); {
		if u[i].r < 0x370 || !isWordRune(u[i].r) {
			i++
			continue
		}
		// A Greek or Cyrillic candidate: find its word.
		start, end := i, i+1
		for start > 0 && isWordRune(u[start-1].r) {
			start--
		}
		for end < len(u) && isWordRune(u[end].r) {
			end++
		}
		latin, mixed, ok := false, false, true
		for _, x := range u[start:end] {
			switch {
			case x.r < utf8.RuneSelf:
				latin = latin || 'a' <= x.r && x.r <= 'z'
			case x.r >= 0x370 && x.r < 0x530:
				if _, found := homoglyph[x.r]; found {
					mixed = true
				} else {
					ok = false
				}
			}
		}
		if latin && mixed && ok {
			for k := start; k < end; k++ {
				if u[k].r >= 0x370 && u[k].r < 0x530 {
					if l, ok := homoglyph[refLookalikeSource(t, u[k])]; ok {
						u[k].r = l
					} else {
						u[k].r = homoglyph[u[k].r]
					}
				}
			}
			t.Signals = append(t.Signals, SignalSpan{Homoglyphs, int(u[start].s), int(u[end-1].e)})
			done = true
		}
		i = end
	}
	return done
}

// refLookalikeSource returns the character of the original text that unit x
// stands for, before case folding, when it is one character; else x's rune.
func refLookalikeSource(t *Text, x unit) rune {
	r, w := utf8.DecodeRuneInString(t.Orig[x.s:x.e])
	if w == int(x.e-x.s) && w > 1 {
		return r
	}
	return x.r
}

// refEmailLike reports whether the rest of a word after '@' looks like a mail
// domain (holds a dot before the next space).
func refEmailLike(rest []unit) bool {
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

func refIsSep(r rune) bool { return r == ' ' || r == '.' || r == '-' }

// refTokenLen returns the length in units of the one-character token at i (a
// letter, digit or underscore with its marks), or 0 when there is none.
func refTokenLen(u []unit, i int) int {
	if i >= len(u) {
		return 0
	}
	if r := u[i].r; r < utf8.RuneSelf {
		if !asciiWord[r] {
			return 0
		}
	} else if r < 0x10000 {
		if bmpTable()[r]&bmpToken == 0 {
			return 0
		}
	} else if isMark(r) || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
		return 0
	}
	j := i + 1
	for j < len(u) && isMark(u[j].r) {
		j++
	}
	return j - i
}

// refSpacedRun finds a run of one-character tokens starting at i separated by
// one repeated separator, and returns the index after its last token and
// the number of tokens. A token adjacent to other word characters (so part
// of a longer word) ends the run.
func refSpacedRun(u []unit, i int) (end, count int) {
	if i > 0 && isWordRune(u[i-1].r) {
		return i, 0
	}
	tl := refTokenLen(u, i)
	if tl == 0 {
		return i, 0
	}
	j := i + tl
	if j >= len(u) || !refIsSep(u[j].r) {
		return i, 0
	}
	sep := u[j].r
	count = 1
	end = j
	for j < len(u) && u[j].r == sep {
		tl := refTokenLen(u, j+1)
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

// refIsLeet reports whether r is a digit or symbol that can be read as a
// letter.
func refIsLeet(r rune) bool { _, ok := refLeetLetter(r); return ok }

// refLeetLetter returns the letter r stands for inside a Latin word.
func refLeetLetter(r rune) (rune, bool) {
	if r >= utf8.RuneSelf || leet[r] == 0 {
		return 0, false
	}
	return leet[r], true
}
