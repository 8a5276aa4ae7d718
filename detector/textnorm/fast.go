package textnorm

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// scan writes into n.out and t's offset map, in one pass over s, the text
// that decoding s into units (NFKC segment by segment, folded), then
// dropping marks after Latin letters and collapsing white space would
// give, as assemble would write it. It returns the span [lo, hi) of n.out
// holding every place where undoEvasion could change something, or lo < 0
// when there is none, which is most of the time.
//
// Most characters are a normalisation segment of their own, or a letter
// with combining marks, that NFKC leaves as they are: scan maps them with
// tables, and normalises the other segments with segment. What it writes is
// what the reference normaliser (reference_test.go), which decodes the
// whole text into units first, writes when there is no evasion to undo.
func (n *Normalizer) scan(t *Text, s string) (lo, hi int) {
	tab, ft := bmpTable(), fastTab()
	out := n.out[:0]
	if size := len(s) + len(s)/8 + 8; cap(out) < size {
		out = make([]byte, 0, size)
	}
	start, end := t.start[:0], t.end[:0]
	if cap(start) < cap(out) {
		start = make([]int32, 0, cap(out))
		end = make([]int32, 0, cap(out))
	}
	greek := false // a character of the Greek and Cyrillic blocks, a possible homoglyph
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			// A run of ASCII. Each byte is a segment of its own, except
			// the last when a character that continues its segment
			// follows.
			j := i + 1
			for j+8 <= len(s) && (uint64(s[j])|uint64(s[j+1])<<8|uint64(s[j+2])<<16|uint64(s[j+3])<<24|
				uint64(s[j+4])<<32|uint64(s[j+5])<<40|uint64(s[j+6])<<48|uint64(s[j+7])<<56)&0x8080808080808080 == 0 {
				j += 8
			}
			for j < len(s) && s[j] < utf8.RuneSelf {
				j++
			}
			last := j
			if !segmentEnds(tab, s, j) {
				last--
			}
			out, start, end = appendASCII(out, start, end, s, i, last)
			if i = last; i == j {
				continue
			}
		} else {
			var g bool
			out, start, end, i, g = appendBMP(tab, &ft.seg, out, start, end, s, i)
			greek = greek || g
			if i == len(s) || s[i] < utf8.RuneSelf {
				continue
			}
			// What appendBMP leaves: characters before removed ones,
			// invalid bytes or characters outside the BMP, characters
			// NFKC changes, characters outside the BMP.
			r, w := utf8.DecodeRuneInString(s[i:])
			if w > 1 && r < 0x10000 {
				if !segmentEnds(tab, s, i+w) {
					// The general case below.
				} else if e := tab[r]; e&bmpSimple != 0 {
					out, start, end, greek = appendUnit(out, start, end, greek, e, int32(i), int32(i+w))
					i += w
					continue
				} else if x, ok := ft.expand[r]; ok {
					// A character NFKC changes on its own (full-width
					// punctuation): its NFKC form, folded, stands for it.
					for _, c := range x {
						out, start, end, greek = appendPushed(out, start, end, greek, unit{c, int32(i), int32(i + w)})
					}
					i += w
					continue
				}
			} else if w == 4 {
				if e := emojiEntry(r); e&emojiStarter != 0 && segmentEnds(tab, s, i+w) {
					// A character outside the BMP (an emoji) that is a
					// segment of its own, in NFKC.
					if e&emojiDrop == 0 {
						out, start, end, greek = appendRune(out, start, end, greek, unit{rune(e & bmpRune), int32(i), int32(i + w)})
					}
					i += w
					continue
				}
			}
		}
		// The general case: a segment that NFKC may change.
		n.units = n.units[:0]
		i = n.segment(s, i)
		for _, u := range n.units {
			out, start, end, greek = appendRune(out, start, end, greek, u)
		}
	}
	n.out = out
	t.start, t.end = start, end
	return evasionRange(out, greek)
}

// appendASCII appends to the normalised text out and its offset map the
// characters s[i:j], ASCII and each a segment of its own, folded. It has
// no branch that depends on the text, which has many spaces at no regular
// interval.
func appendASCII(out []byte, start, end []int32, s string, i, j int) ([]byte, []int32, []int32) {
	k := len(out)
	// Eight bytes more, written and not kept.
	out = slices.Grow(out, j-i+8)[:k+j-i+8]
	start = slices.Grow(start, j-i+8)[:k+j-i+8]
	end = slices.Grow(end, j-i+8)[:k+j-i+8]
	var space uint8 // 1 when out ends with white space
	if k > 0 && (out[k-1] == ' ' || out[k-1] == '\n') {
		space = 1
	}
	for i < j {
		stop := j // where to go on byte by byte to
		if i+8 <= j {
			// Eight printable characters, no two spaces in a row: only
			// upper-case letters change. Most ASCII text is so.
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			const ones, highs, lows = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
			sp := x ^ 0x20*ones
			sp = ^((sp&lows + lows) | sp) & highs // the spaces' high bits
			// The high bits of the bytes that are not so: control
			// characters, DEL, spaces after spaces.
			bad := ^(x+0x60*ones)&highs | (x+ones)&highs | sp&(sp<<8|uint64(space)<<7)
			if bad == 0 {
				upper := (x + 0x3f*ones) &^ (x + 0x25*ones) & highs
				binary.LittleEndian.PutUint64(out[k:k+8], x+upper>>2)
				st, en := start[k:k+8:k+8], end[k:k+8:k+8]
				for b := range int32(8) {
					st[b] = int32(i) + b
					en[b] = int32(i) + b + 1
				}
				k += 8
				space = uint8(sp >> 63)
				i += 8
				continue
			}
			stop = i + bits.TrailingZeros64(bad)/8 + 1
		}
		for ; i < stop; i++ {
			c := asciiFold[s[i]]
			kind := asciiKind[c]
			// White space after white space is merged with it: written
			// over it, as '\n' when either is, standing for both.
			merge := kind & space
			o := k - int(merge)
			m := -int32(merge) // all ones when merging
			out[o] = min(c, out[o]|^uint8(m))
			start[o] = int32(i)&^m | start[o]&m
			end[o] = int32(i + 1)
			k = o + 1 - int(kind>>1) // a removed character is not kept
			space = kind&1 | space&(kind>>1)
		}
	}
	return out[:k], start[:k], end[:k]
}

// asciiKind classifies the values of asciiFold for appendASCII: 1 white
// space, 2 removed (asciiDrop), 0 anything else.
var asciiKind = [256]uint8{' ': 1, '\n': 1, asciiDrop: 2}

// appendBMP appends to the normalised text out and its offset map the
// characters of s from i on that are in the BMP and, alone or with the
// combining marks after them, segments NFKC leaves alone and that end at
// a plain character, folded; it stops at ASCII and at any other character,
// and returns where it stopped and whether it appended a Greek or
// Cyrillic character.
func appendBMP(tab *[0x10000]uint32, segs *[0x10000]uint16, out []byte, start, end []int32, s string, i int) ([]byte, []int32, []int32, int, bool) {
	greek := false
	latin := false // the last character of out is a Latin letter
	if k := len(out); k > 0 {
		r, _ := utf8.DecodeLastRune(out)
		latin = isLatinLetter(r)
	}
	r, w := decodeBMP(s, i)
	e := tab[r]
	for w != 0 {
		j := i + w
		// The character after: does it start a segment?
		r2, w2, e2 := rune(0), 0, uint32(0)
		ends := true
		if j < len(s) {
			if c := s[j]; c < utf8.RuneSelf {
				ends = asciiFold[c] != asciiDrop
			} else {
				if c&0xf0 == 0xe0 && j+2 < len(s) && s[j+1]&0xc0 == 0x80 && s[j+2]&0xc0 == 0x80 {
					// decodeBMP, inline for three bytes (most scripts).
					r2, w2 = rune(c&0x0f)<<12|rune(s[j+1]&0x3f)<<6|rune(s[j+2]&0x3f), 3
					if r2 < 0x800 || r2 >= 0xd800 && r2 <= 0xdfff {
						w2 = 0
					}
				} else {
					r2, w2 = decodeBMP(s, j)
				}
				if w2 == 0 {
					break // let segmentEnds decide
				}
				if e2 = tab[r2]; e2&bmpDrop != 0 {
					break
				}
				ends = e2&bmpStarts != 0
			}
		}
		if ends && e&(bmpSimple|bmpSame|bmpDrop|bmpFoldSpace) == bmpSimple|bmpSame && (e&bmpFoldMark == 0 || !latin) {
			// Most characters: a segment of their own, copied.
			a, b := int32(i), int32(j)
			if w == 3 {
				out = append(out, s[i], s[i+1], s[i+2])
				start = append(start, a, a, a)
				end = append(end, b, b, b)
			} else {
				out = append(out, s[i], s[i+1])
				start = append(start, a, a)
				end = append(end, b, b)
			}
			latin = e&bmpFoldLatin != 0
			greek = greek || isGreekOrCyrillic(r)
			i, r, w, e = j, r2, w2, e2
			continue
		}
		if !ends {
			if j = inertSegment(tab, segs, s, i, w); j == 0 {
				break
			}
		} else if e&bmpSimple == 0 {
			break
		}
		// The segment s[i:j]: every character of it stands for all of it.
		for k := i; k < j; {
			if k > i {
				r, w = decodeBMP(s, k)
				e = tab[r]
			}
			k += w
			f := rune(e & bmpRune)
			switch {
			case e&bmpDrop != 0 || e&bmpFoldMark != 0 && latin:
				// Removed, or a mark after a Latin letter: dropped.
			case e&bmpFoldSpace != 0:
				out, start, end = appendSpace(out, start, end, byte(f), int32(i), int32(j))
				latin = false
			default:
				o := len(out)
				out = utf8.AppendRune(out, f)
				for ; o < len(out); o++ {
					start = append(start, int32(i))
					end = append(end, int32(j))
				}
				latin = e&bmpFoldLatin != 0
				greek = greek || isGreekOrCyrillic(f)
			}
		}
		i, w = j, 0
		if i < len(s) && s[i] >= utf8.RuneSelf {
			r, w = decodeBMP(s, i)
			e = tab[r]
		}
	}
	return out, start, end, i, greek
}

// decodeBMP decodes the two- or three-byte character at s[i]; it returns
// a width of 0 when there is none there (an invalid byte, ASCII or a
// character outside the BMP).
func decodeBMP(s string, i int) (rune, int) {
	c := s[i]
	switch {
	case c >= 0xc2 && c < 0xe0:
		if i+1 < len(s) && s[i+1]&0xc0 == 0x80 {
			return rune(c&0x1f)<<6 | rune(s[i+1]&0x3f), 2
		}
	case c >= 0xe0 && c < 0xf0:
		if i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80 {
			r := rune(c&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
			if r >= 0x800 && (r < 0xd800 || r > 0xdfff) {
				return r, 3
			}
		}
	}
	return 0, 0
}

// appendSpace appends to the normalised text out and its map the white
// space c ('\n' or ' ') standing for original [s, e), merged into the
// white space out ends with, if any: a run of white space is one newline
// when it holds a line break, else one space, standing for the whole run.
func appendSpace(out []byte, start, end []int32, c byte, s, e int32) ([]byte, []int32, []int32) {
	if k := len(out) - 1; k >= 0 && (out[k] == ' ' || out[k] == '\n') {
		if c == '\n' {
			out[k] = '\n'
		}
		end[k] = e
		return out, start, end
	}
	return append(out, c), append(start, s), append(end, e)
}

// appendRune appends the folded unit u to the normalised text out and its
// map: white space merged with white space before it, a mark after a
// Latin letter dropped. It reports whether out now holds a Greek or
// Cyrillic character, given that greek says whether it did.
func appendRune(out []byte, start, end []int32, greek bool, u unit) ([]byte, []int32, []int32, bool) {
	switch {
	case u.r == ' ' || u.r == '\n':
		out, start, end = appendSpace(out, start, end, byte(u.r), u.s, u.e)
		return out, start, end, greek
	case u.r >= 0x300 && isMark(u.r):
		if last, _ := utf8.DecodeLastRune(out); len(out) > 0 && isLatinLetter(last) {
			return out, start, end, greek
		}
	}
	k := len(out)
	out = utf8.AppendRune(out, u.r)
	for ; k < len(out); k++ {
		start = append(start, u.s)
		end = append(end, u.e)
	}
	return out, start, end, greek || isGreekOrCyrillic(u.r)
}

// appendPushed is appendRune for a rune of an NFKC form, folded, as push
// folds it, unless folding removes it.
func appendPushed(out []byte, start, end []int32, greek bool, u unit) ([]byte, []int32, []int32, bool) {
	if u.r < utf8.RuneSelf {
		c := asciiFold[u.r]
		if c == asciiDrop {
			return out, start, end, greek
		}
		u.r = rune(c)
	} else if f, ok := fold(u.r); ok {
		u.r = f
	} else {
		return out, start, end, greek
	}
	return appendRune(out, start, end, greek, u)
}

// appendUnit is appendRune for the BMP character with bmpTable entry e,
// unless it is removed, standing for original [from, to).
func appendUnit(out []byte, start, end []int32, greek bool, e uint32, from, to int32) ([]byte, []int32, []int32, bool) {
	if e&bmpDrop != 0 {
		return out, start, end, greek
	}
	return appendRune(out, start, end, greek, unit{rune(e & bmpRune), from, to})
}

// isGreekOrCyrillic reports whether r is in the Greek or Cyrillic blocks,
// where undoHomoglyphs looks for look-alikes of Latin letters.
func isGreekOrCyrillic(r rune) bool { return r >= 0x370 && r < 0x530 }

// Classes of the bytes of the normalised text at which evasionRange looks.
const (
	sepByte  = 1 // a separator of spaced-out letters
	leetByte = 2 // a digit or symbol read as a letter inside a Latin word
)

// evasionByte classifies the bytes of the normalised text for evasionRange.
var evasionByte = func() (t [256]uint8) {
	for _, c := range " .-" {
		t[c] = sepByte
	}
	for c, l := range leet {
		if l != 0 {
			t[c] = leetByte
		}
	}
	return t
}()

// asciiOther marks the ASCII bytes other than letters.
var asciiOther = func() (t [256]bool) {
	for c := range utf8.RuneSelf {
		t[c] = !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z')
	}
	return t
}()

// evasionRange returns the span [lo, hi) of the normalised text norm
// (spaces collapsed, marks after Latin letters dropped) that holds every
// place where undoEvasion could change something: join spaced letters,
// read homoglyphs or leetspeak as letters; lo < 0 when there is none. It
// errs only towards finding places. greek says whether norm holds a Greek
// or Cyrillic character.
func evasionRange(norm []byte, greek bool) (lo, hi int) {
	lo, hi = -1, -1
	if greek {
		lo, hi = homoglyphRange(norm)
	}
	for base := 0; base < len(norm); base += 8 {
		// The bytes to look at, 8 at a time: those in [' ', '@'],
		// where all separators and symbols read as letters are.
		var x uint64
		if base+8 <= len(norm) {
			x = binary.LittleEndian.Uint64(norm[base:])
		} else {
			var b [8]byte
			copy(b[:], norm[base:])
			x = binary.LittleEndian.Uint64(b[:])
		}
		const ones, highs = 0x0101010101010101, 0x8080808080808080
		y := x &^ highs
		mask := ^x & highs & ^(y + 0x3f*ones) & (y + 0x60*ones)
		for ; mask != 0; mask &= mask - 1 {
			p := base + bits.TrailingZeros64(mask)/8
			if p >= len(norm) {
				break
			}
			switch c := norm[p]; evasionByte[c] {
			case sepByte:
				// Most separators are followed by an ASCII word of two
				// characters or more, or by no word.
				if p+2 < len(norm) {
					if c1, c2 := norm[p+1], norm[p+2]; c1 < utf8.RuneSelf && c2 < utf8.RuneSelf && (!asciiWord[c1] || c2 != c) {
						continue
					}
				}
				if !spacedAt(norm, p) {
					continue
				}
			case leetByte:
				// Most digits and symbols are next to ASCII that is not
				// a letter.
				if c != '$' && (p == 0 || p+1 == len(norm) || asciiOther[norm[p-1]] || asciiOther[norm[p+1]]) {
					continue
				}
				if !leetAt(norm, p) {
					continue
				}
			default:
				continue
			}
			if lo < 0 || p < lo {
				lo = p
			}
			hi = max(hi, p+1)
		}
	}
	return lo, hi
}

// spacedAt reports whether the separator norm[p] may be part of spaced
// letters that undoEvasion joins: it is preceded by a one-character token
// that does not continue a word, and followed by another, then by the same
// separator and the start of a third token (three tokens at least).
func spacedAt(norm []byte, p int) bool {
	if p == 0 {
		return false
	}
	// Most separators follow a word of two ASCII characters or more, or
	// no word.
	if c := norm[p-1]; c < utf8.RuneSelf && (!asciiWord[c] || p >= 2 && norm[p-2] < utf8.RuneSelf && asciiWord[norm[p-2]]) {
		return false
	}
	// Most separators are not followed by a one-character token and the
	// same separator or a mark.
	k := p + 1
	if k+1 >= len(norm) {
		return false
	}
	if c := norm[k]; c < utf8.RuneSelf {
		if !asciiWord[c] {
			return false
		}
		k++
	} else {
		_, w := utf8.DecodeRune(norm[k:])
		k += w
	}
	if k+1 >= len(norm) {
		return false
	}
	if c := norm[k]; c < utf8.RuneSelf && c != norm[p] {
		return false
	} else if r, _ := utf8.DecodeRune(norm[k:]); c >= utf8.RuneSelf && !isMark(r) {
		return false
	}
	// The token before, with its marks.
	q := p
	r, w := utf8.DecodeLastRune(norm[:q])
	for isMark(r) {
		if q -= w; q == 0 {
			return false
		}
		r, w = utf8.DecodeLastRune(norm[:q])
	}
	if !isToken(r) {
		return false
	}
	if q -= w; q > 0 {
		if r, _ := utf8.DecodeLastRune(norm[:q]); isWordRune(r) {
			return false
		}
	}
	// The token after, with its marks, then the same separator and a
	// token.
	k = p + 1
	r, w = utf8.DecodeRune(norm[k:])
	if !isToken(r) {
		return false
	}
	for k += w; k < len(norm); k += w {
		if r, w = utf8.DecodeRune(norm[k:]); !isMark(r) {
			break
		}
	}
	if k+1 >= len(norm) || norm[k] != norm[p] {
		return false
	}
	r, _ = utf8.DecodeRune(norm[k+1:])
	return isToken(r)
}

// leetAt reports whether undoEvasion reads the digit or symbol norm[p] as
// a letter: between two Latin letters, unless it is the '@' of a mail
// address, or a '$' that starts a word of four Latin letters or more.
func leetAt(norm []byte, p int) bool {
	c := norm[p]
	prev, _ := utf8.DecodeLastRune(norm[:p])
	if p > 0 && p+1 < len(norm) && isLatinLetter(prev) {
		if next, _ := utf8.DecodeRune(norm[p+1:]); isLatinLetter(next) && (c != '@' || !emailLikeText(norm[p+1:])) {
			return true
		}
	}
	if c != '$' || p > 0 && (isWordRune(prev) || isLeet(prev)) {
		return false
	}
	k := p + 1
	for range 4 {
		if k >= len(norm) {
			return false
		}
		r, w := utf8.DecodeRune(norm[k:])
		if !isLatinLetter(r) {
			return false
		}
		k += w
	}
	return true
}

// emailLikeText is emailLike on the runes of rest.
func emailLikeText(rest []byte) bool {
	for k := 0; k < len(rest); {
		r, w := utf8.DecodeRune(rest[k:])
		if r == '.' {
			return true
		}
		if !isWordRune(r) && r != '-' {
			return false
		}
		k += w
	}
	return false
}

// homoglyphRange returns the span of norm from the first to the last word
// that mixes Latin letters with Cyrillic or Greek ones that all look like
// Latin letters, as undoHomoglyphs looks for; lo < 0 when there is none.
func homoglyphRange(norm []byte) (lo, hi int) {
	lo, hi = -1, -1
	latin, mixed, other := false, false, false
	word := 0 // where the current word starts
	for k := 0; k <= len(norm); {
		r, w := utf8.RuneError, 1
		if k < len(norm) {
			r, w = utf8.DecodeRune(norm[k:])
		}
		switch {
		case k == len(norm) || !isWordRune(r):
			if latin && mixed && !other {
				if lo < 0 {
					lo = word
				}
				hi = k
			}
			latin, mixed, other = false, false, false
			word = k + w
		case r < utf8.RuneSelf:
			latin = latin || 'a' <= r && r <= 'z'
		case isGreekOrCyrillic(r):
			if _, ok := homoglyph[r]; ok {
				mixed = true
			} else {
				other = true
			}
		}
		k += w
	}
	return lo, hi
}

// isToken reports whether r can be a one-character token of spaced-out
// letters: a letter, digit or underscore, not a mark.
func isToken(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return asciiWord[r]
	case r < 0x10000:
		return bmpTable()[r]&bmpToken != 0
	}
	return !isMark(r) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// segmentEnds reports whether the normalisation segment of the character
// before s[j] ends at j, as segment finds it: j is the end of s, or an
// invalid byte, or a character that starts a segment, and not one that
// segment takes into the segment before (removed characters followed by a
// combining mark, see extendOverDropped).
func segmentEnds(tab *[0x10000]uint32, s string, j int) bool {
	if j >= len(s) {
		return true
	}
	if c := s[j]; c < utf8.RuneSelf {
		if asciiFold[c] != asciiDrop {
			return true
		}
	} else {
		r, w := decodeBMP(s, j)
		if w == 0 {
			r, w = utf8.DecodeRuneInString(s[j:])
		}
		switch {
		case w == 1:
			return true
		case r < 0x10000:
			if e := tab[r]; e&bmpStarts == 0 {
				return false
			} else if e&bmpDrop == 0 {
				return true
			}
		case !astralStarter(s[j : j+w]):
			return false
		case !drop(r):
			return true
		}
	}
	return extendOverDropped(s, j) == j
}

// Entries of fastTables.emoji: the folded rune and flags.
const (
	emojiDrop            = 1 << 21 // normalisation removes the character
	emojiStarter         = 1 << 22 // astralStarter
	emojiNonStarter      = 1 << 23 // nonStarter
	emojiFirst, emojiEnd = 0x1f000, 0x1fb00
)

// emojiEntry returns, for a character r outside the BMP, what fold,
// astralStarter and nonStarter say of it, from fastTables.emoji for emoji.
func emojiEntry(r rune) uint32 {
	if r >= emojiFirst && r < emojiEnd {
		return fastTab().emoji[r-emojiFirst]
	}
	return astralEntry(r)
}

// astralEntry computes emojiEntry.
func astralEntry(r rune) uint32 {
	var e uint32
	if f, ok := fold(r); ok {
		e = uint32(f)
	} else {
		e = emojiDrop
	}
	if c := string(r); utf8.ValidRune(r) {
		if astralStarter(c) {
			e |= emojiStarter
		}
		if norm.NFKC.NextBoundaryInString("a"+c, true) != 1 {
			e |= emojiNonStarter
		}
	}
	return e
}

// astralStarter reports whether the character c, outside the BMP, starts
// a normalisation segment and is in NFKC on its own (most emoji).
func astralStarter(c string) bool {
	p := norm.NFKC.PropertiesString(c)
	return p.CCC() == 0 && p.Decomposition() == nil
}

// inertSegment returns the end of the normalisation segment that starts
// at s[i], a BMP character w bytes long, when it is that character
// followed by combining marks (at most maxInertMarks) and NFKC leaves it
// as it is: none of its characters decomposes, the first composes with
// none of them, and the marks are in canonical order. Otherwise it
// returns 0.
func inertSegment(tab *[0x10000]uint32, segs *[0x10000]uint16, s string, i, w int) int {
	r, _ := decodeBMP(s, i)
	if tab[r]&bmpStarts == 0 || segs[r]&segInert == 0 {
		return 0
	}
	j := i + w
	prev := uint16(0) // combining class of the mark before
	for marks := 0; j < len(s) && s[j] >= utf8.RuneSelf; marks++ {
		m, mw := decodeBMP(s, j)
		if mw == 0 || tab[m]&bmpStarts != 0 {
			break
		}
		ccc := segs[m] & segCCC
		if segs[m]&segInert == 0 || ccc < prev && ccc > 0 || marks == maxInertMarks {
			return 0
		}
		prev = ccc
		j += mw
	}
	if j == i+w || !segmentEnds(tab, s, j) {
		return 0
	}
	return j
}

// maxInertMarks bounds the marks inertSegment takes, far below the 30
// non-starters after which NFKC starts a new segment.
const maxInertMarks = 16

// Entries of fastTables.seg.
const (
	segCCC   = 0xff   // the canonical combining class
	segInert = 1 << 8 // NFKC neither decomposes the character nor composes it with a mark after it
)

// fastTables are the tables of scan that bmpTable does not hold.
type fastTables struct {
	// seg holds, for every character of the BMP, what inertSegment
	// needs to know.
	seg [0x10000]uint16
	// emoji holds the emojiEntry of the characters from emojiFirst to
	// emojiEnd (emoji and other symbols).
	emoji [emojiEnd - emojiFirst]uint32
	// expand maps the BMP characters that start a normalisation
	// segment and that NFKC changes on their own to their NFKC form.
	expand map[rune]string
}

var fast struct {
	once sync.Once
	tab  *fastTables
}

// fastTab returns the fastTables, computed on first use.
func fastTab() *fastTables {
	fast.once.Do(func() {
		t := new(fastTables)
		// Characters a mark can compose with: every character NFC makes
		// of the start of a canonical decomposition.
		composes := map[rune]bool{}
		for c := rune(0xc0); c < 0x20000; c++ {
			d := norm.NFD.PropertiesString(string(c)).Decomposition()
			if !utf8.ValidRune(c) || d == nil {
				continue
			}
			rs := []rune(string(d))
			for k := 1; k < len(rs); k++ {
				for _, x := range norm.NFC.String(string(rs[:k])) {
					composes[x] = true
				}
			}
		}
		bmp := bmpTable()
		t.expand = map[rune]string{}
		for r := rune(utf8.RuneSelf); r < 0x10000; r++ {
			if !utf8.ValidRune(r) {
				continue
			}
			p := norm.NFKC.PropertiesString(string(r))
			e := uint16(p.CCC())
			hangul := r >= 0x1100 && r < 0x1200 || r >= 0xac00 && r <= 0xd7a3
			if p.Decomposition() == nil && !composes[r] && !hangul {
				e |= segInert
			}
			t.seg[r] = e
			if bmp[r]&bmpStarts != 0 {
				if x := norm.NFKC.String(string(r)); x != string(r) {
					t.expand[r] = x
				}
			}
		}
		for k := range t.emoji {
			t.emoji[k] = astralEntry(rune(emojiFirst + k))
		}
		fast.tab = t
	})
	return fast.tab
}

// undoEvasionIn undoes evasion in the part of n.out, as scan left it, that
// holds the span [lo, hi) and every character around it up to a boundary:
// a character undoEvasion neither changes nor looks past (see
// isEvasionBoundary). Evasion is undone there as on the whole text, the
// rest holding no evasion, and the result replaces that part in n.out and
// t's offset map.
func (n *Normalizer) undoEvasionIn(t *Text, lo, hi int) {
	out := n.out
	a, b := lo, hi
	for a > 0 {
		r, w := utf8.DecodeLastRune(out[:a])
		if isEvasionBoundary(r) {
			break
		}
		a -= w
	}
	for b < len(out) {
		r, w := utf8.DecodeRune(out[b:])
		if isEvasionBoundary(r) {
			break
		}
		b += w
	}
	n.units = n.units[:0]
	for k := a; k < b; {
		r, w := utf8.DecodeRune(out[k:])
		n.units = append(n.units, unit{r, t.start[k], t.end[k]})
		k += w
	}
	n.undoEvasion(t)
	// Assemble the units followed by the text after them, then put both
	// in place of the part.
	buf, start, end := assemble(n.buf[:0], n.start[:0], n.end[:0], n.units)
	buf = append(buf, out[b:]...)
	start = append(start, t.start[b:]...)
	end = append(end, t.end[b:]...)
	n.out = append(out[:a], buf...)
	t.start = append(t.start[:a], start...)
	t.end = append(t.end[:a], end...)
	n.buf, n.start, n.end = buf, start, end
}

// isEvasionBoundary reports whether undoEvasion neither changes a unit r
// nor looks past it: r is not part of a word, a separator of spaced
// letters or a symbol read as a letter.
func isEvasionBoundary(r rune) bool { return !isWordRune(r) && !isSep(r) && !isLeet(r) }

// assemble appends the units to out and their spans to the offset map
// start, end, collapsing runs of white space.
func assemble(out []byte, start, end []int32, units []unit) ([]byte, []int32, []int32) {
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
	return out, start, end
}
