package textnorm

import (
	"bytes"
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
	var m mapWriter
	m.start(t.offsets)
	lookalike := false // a character of the Greek, Cyrillic or Cherokee blocks, a possible homoglyph
	regional := false  // a regional indicator symbol (see regionalLetters)
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			// A run of ASCII. Each byte is a segment of its own, except
			// the last when a character that continues its segment
			// follows, which the general case below takes.
			if out, i = appendASCII(tab, ft, &m, out, s, i); i == len(s) || s[i] >= utf8.RuneSelf {
				continue
			}
		} else {
			var g bool
			out, i, g = appendBMP(tab, ft, &m, out, s, i)
			lookalike = lookalike || g
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
					out, lookalike = appendUnit(&m, out, lookalike, e, int32(i), int32(i+w))
					i += w
					continue
				} else if x, ok := ft.expand[r]; ok {
					// A character NFKC changes on its own (full-width
					// punctuation): its NFKC form, folded, stands for it.
					for _, c := range x {
						out, lookalike = appendPushed(&m, out, lookalike, unit{c, int32(i), int32(i + w)})
					}
					i += w
					continue
				}
			} else if w == 4 {
				if e := emojiEntry(r); e&emojiStarter != 0 && segmentEnds(tab, s, i+w) {
					// A character outside the BMP (an emoji) that is a
					// segment of its own, in NFKC.
					if f := rune(e & bmpRune); e&emojiDrop != 0 {
						// Removed.
					} else if f == r && !isMark(f) {
						// Copied, as most emoji are.
						m.copied(len(out), i)
						out = append(out, s[i:i+w]...)
						regional = regional || isRegional(r)
					} else {
						out, lookalike = appendRune(&m, out, lookalike, unit{f, int32(i), int32(i + w)})
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
			out, lookalike = appendRune(&m, out, lookalike, u)
			regional = regional || isRegional(u.r)
		}
	}
	n.out = out
	t.offsets.runs, t.offsets.xs, t.offsets.xe, t.offsets.blocks = m.runs, m.xs, m.xe, m.blocks
	return evasionRange(out, lookalike, regional)
}

// appendASCII appends to the normalised text out, and to its map m, the
// ASCII characters of s from i on, folded, each a segment of its own, and
// returns where it stopped: at the end of s or at a character that is not
// ASCII, or before the last ASCII character when the character after it
// continues its segment (a combining mark). Most ASCII text goes eight
// bytes at a time, mapped by one copy run.
func appendASCII(tab *[0x10000]uint32, ft *fastTables, m *mapWriter, out []byte, s string, i int) ([]byte, int) {
	k := len(out)
	// Eight bytes more, written and not kept.
	out = slices.Grow(out, len(s)-i+8)[:k+len(s)-i+8]
	var space uint8 // 1 when out ends with white space
	if k > 0 && (out[k-1] == ' ' || out[k-1] == '\n') {
		space = 1
	}
	for i < len(s) {
		stop := len(s) // where to go on byte by byte to
		if i+8 <= len(s) {
			// Eight printable ASCII characters, no two spaces in a row,
			// the last followed by ASCII or nothing: only upper-case
			// letters change. Most ASCII text is so.
			x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
				uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
			sp := x ^ 0x20*ones
			sp = ^((sp&lows + lows) | sp) & highs // the spaces' high bits
			// The high bits of the bytes that are not so: control
			// characters, DEL, not ASCII, spaces after spaces. (A
			// carry out of a byte 0xff makes the bits above it wrong,
			// but never the lowest.)
			bad := ^(x+0x60*ones)&highs | (x+ones)&highs | sp&(sp<<8|uint64(space)<<7)
			if bad == 0 && (i+8 == len(s) || s[i+8] < utf8.RuneSelf) {
				if int32(i-k) != m.cur {
					m.copied(k, i)
				}
				upper := (x + 0x3f*ones) &^ (x + 0x25*ones) & highs
				binary.LittleEndian.PutUint64(out[k:k+8], x+upper>>2)
				k += 8
				space = uint8(sp >> 63)
				i += 8
				continue
			}
			stop = i + 8
			if bad != 0 {
				stop = i + bits.TrailingZeros64(bad)/8 + 1
			}
		}
		for ; i < stop; i++ {
			if s[i] >= utf8.RuneSelf {
				return out[:k], i
			}
			if j := i + 1; j < len(s) && s[j] >= utf8.RuneSelf && !startsPlain(&ft.flags, s, j) && !segmentEnds(tab, s, j) {
				return out[:k], i
			}
			c := asciiFold[s[i]]
			kind := asciiKind[c]
			switch {
			case kind == 2:
				// Removed.
			case kind&space != 0:
				// White space after white space is merged with it:
				// '\n' when either is, standing for both.
				if c == '\n' {
					out[k-1] = '\n'
				}
				m.setEnd(k-1, int32(i+1))
			default:
				if int32(i-k) != m.cur {
					m.copied(k, i)
				}
				out[k] = c
				k++
				space = kind
			}
		}
	}
	return out[:k], i
}

// asciiKind classifies the values of asciiFold for appendASCII: 1 white
// space, 2 removed (asciiDrop), 0 anything else.
var asciiKind = [256]uint8{' ': 1, '\n': 1, asciiDrop: 2}

// appendBMP appends to the normalised text out and its offset map the
// characters of s from i on that are in the BMP and, alone or with the
// combining marks after them, segments NFKC leaves alone and that end at
// a plain character, folded; it stops at ASCII and at any other character,
// and returns where it stopped and whether it appended a Greek, Cyrillic
// or Cherokee character.
func appendBMP(tab *[0x10000]uint32, ft *fastTables, m *mapWriter, out []byte, s string, i int) ([]byte, int, bool) {
	flags := &ft.flags
	lookalike := false
	latin := false // the last character of out is a Latin letter
	if k := len(out); k > 0 && out[k-1] < utf8.RuneSelf {
		latin = asciiLatin[out[k-1]]
	} else if k > 0 {
		r, _ := utf8.DecodeLastRune(out)
		latin = isLatinLetter(r)
	}
	r, w := decodeBMP(s, i)
	e := flags[r]
	for w != 0 {
		j := i + w
		// The character after: does it start a segment?
		r2, w2, e2 := rune(0), 0, uint8(0)
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
				if e2 = flags[r2]; e2&flagDrop != 0 {
					break
				}
				ends = e2&flagStarts != 0
			}
		}
		if ends && e&flagCopy != 0 && (e&flagFoldMark == 0 || !latin) {
			// Most characters: a segment of their own, copied.
			if int32(i-len(out)) != m.cur {
				m.copied(len(out), i)
			}
			if w == 3 {
				out = append(out, s[i], s[i+1], s[i+2])
			} else {
				out = append(out, s[i], s[i+1])
				lookalike = lookalike || r >= 0x370 && r < 0x530 // Greek or Cyrillic: the look-alikes of two bytes
			}
			latin = e&flagFoldLatin != 0
			i, r, w, e = j, r2, w2, e2
			continue
		}
		if !ends {
			var copied bool
			if j, copied = inertSegment(tab, &ft.seg, s, i, w); j == 0 {
				break
			}
			if copied && (e&flagFoldMark == 0 || !latin) {
				// A character and its marks, copied: every byte stands
				// for all of them, as in any segment run.
				m.copiedSegment(len(out), i)
				out = append(out, s[i:j]...)
				latin = false
				i, w = j, 0
				if i < len(s) && s[i] >= utf8.RuneSelf {
					r, w = decodeBMP(s, i)
					e = flags[r]
				}
				continue
			}
		} else if e&flagSimple == 0 {
			break
		}
		// The segment s[i:j]: every character of it stands for all of it.
		for k := i; k < j; {
			if k > i {
				r, w = decodeBMP(s, k)
			}
			e := tab[r]
			k += w
			f := rune(e & bmpRune)
			switch {
			case e&bmpDrop != 0 || e&bmpFoldMark != 0 && latin:
				// Removed, or a mark after a Latin letter: dropped.
			case e&bmpFoldSpace != 0:
				out = appendSpace(m, out, byte(f), int32(i), int32(j))
				latin = false
			default:
				o := len(out)
				out = utf8.AppendRune(out, f)
				m.explicitN(o, len(out)-o, int32(i), int32(j))
				latin = e&bmpFoldLatin != 0
				lookalike = lookalike || isLookalikeScript(f)
			}
		}
		i, w = j, 0
		if i < len(s) && s[i] >= utf8.RuneSelf {
			r, w = decodeBMP(s, i)
			e = flags[r]
		}
	}
	return out, i, lookalike
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

// appendSpace appends to the normalised text out and its map m the white
// space c ('\n' or ' ') standing for original [s, e), merged into the
// white space out ends with, if any: a run of white space is one newline
// when it holds a line break, else one space, standing for the whole run.
func appendSpace(m *mapWriter, out []byte, c byte, s, e int32) []byte {
	if k := len(out) - 1; k >= 0 && (out[k] == ' ' || out[k] == '\n') {
		if c == '\n' {
			out[k] = '\n'
		}
		m.setEnd(k, e)
		return out
	}
	m.explicit(len(out), s, e)
	return append(out, c)
}

// appendRune appends the folded unit u to the normalised text out and its
// map m: white space merged with white space before it, a mark after a
// Latin letter dropped. It reports whether out now holds a Greek,
// Cyrillic or Cherokee character, given that lookalike says whether it did.
func appendRune(m *mapWriter, out []byte, lookalike bool, u unit) ([]byte, bool) {
	switch {
	case u.r == ' ' || u.r == '\n':
		return appendSpace(m, out, byte(u.r), u.s, u.e), lookalike
	case u.r >= 0x300 && isMark(u.r):
		if last, _ := utf8.DecodeLastRune(out); len(out) > 0 && isLatinLetter(last) {
			return out, lookalike
		}
	}
	k := len(out)
	out = utf8.AppendRune(out, u.r)
	m.explicitN(k, len(out)-k, u.s, u.e)
	return out, lookalike || isLookalikeScript(u.r)
}

// appendPushed is appendRune for a rune of an NFKC form, folded, as push
// folds it, unless folding removes it.
func appendPushed(m *mapWriter, out []byte, lookalike bool, u unit) ([]byte, bool) {
	if u.r < utf8.RuneSelf {
		c := asciiFold[u.r]
		if c == asciiDrop {
			return out, lookalike
		}
		u.r = rune(c)
	} else if f, ok := fold(u.r); ok {
		u.r = f
	} else {
		return out, lookalike
	}
	return appendRune(m, out, lookalike, u)
}

// appendUnit is appendRune for the BMP character with bmpTable entry e,
// unless it is removed, standing for original [from, to).
func appendUnit(m *mapWriter, out []byte, lookalike bool, e uint32, from, to int32) ([]byte, bool) {
	if e&bmpDrop != 0 {
		return out, lookalike
	}
	return appendRune(m, out, lookalike, unit{rune(e & bmpRune), from, to})
}

// isLookalikeScript reports whether r is in the Greek, Cyrillic or Cherokee
// blocks, where undoHomoglyphs looks for look-alikes of Latin letters.
func isLookalikeScript(r rune) bool {
	return r >= 0x370 && r < 0x530 || r >= 0x13a0 && r < 0x1400 || r >= 0xab70 && r < 0xabc0
}

// Classes of the bytes of the normalised text at which evasionRange looks.
const (
	sepByte  = 1 // a separator of spaced-out letters
	leetByte = 2 // a digit or symbol read as a letter inside a Latin word
)

// evasionByte classifies the bytes of the normalised text for evasionRange.
var evasionByte = func() (t [256]uint8) {
	for _, c := range " .-*" {
		t[c] = sepByte
	}
	for c, l := range leet {
		if l != 0 {
			t[c] = leetByte
		}
	}
	return t
}()

// asciiLatin marks the ASCII letters.
var asciiLatin = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
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
// read homoglyphs or leetspeak as letters, and (the whole text then)
// letters spelled with regional indicators or text turned upside down;
// lo < 0 when there is none. It
// errs only towards finding places. lookalike says whether norm holds a
// Greek, Cyrillic or Cherokee character, regional whether it holds a
// regional indicator symbol.
func evasionRange(norm []byte, lookalike, regional bool) (lo, hi int) {
	if lo, hi = styledRange(norm, regional); lo >= 0 {
		return lo, hi // the whole text
	}
	if lookalike {
		lo, hi = homoglyphRange(norm)
	}
	if l, h := symbolRange(norm); l >= 0 {
		if lo < 0 || l < lo {
			lo = l
		}
		hi = max(hi, h)
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
		y := x &^ highs
		mask := ^x & highs & ^(y + 0x3f*ones) & (y + 0x60*ones)
		if mask != 0 && base > 0 && base+10 <= len(norm) {
			// Leave out most of them, by the tests below on their
			// neighbours: separators followed by two ASCII bytes,
			// the second not the same separator; digits and symbols
			// after or before ASCII other than a letter, but a '$'.
			// Each of these keeps a superset of what its test keeps.
			w := norm[base-1 : base+10]
			prev := binary.LittleEndian.Uint64(w)
			next := binary.LittleEndian.Uint64(w[2:])
			next2 := binary.LittleEndian.Uint64(w[3:])
			sep := (next|next2)&highs | zeroBytes(x^next2)
			sym := letterOrHigh(prev)&letterOrHigh(next) | zeroBytes(x^'$'*ones)
			mask &= sep | sym
		}
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

// Constants of the SWAR code, which works on eight bytes in a uint64.
const ones, highs, lows = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f

// zeroBytes returns the high bit of each of the eight bytes of v that is
// zero.
func zeroBytes(v uint64) uint64 { return ^((v&lows + lows) | v) & highs }

// letterOrHigh returns the high bit of each of the eight bytes of v that
// is an ASCII letter or not ASCII.
func letterOrHigh(v uint64) uint64 {
	y := (v | 0x20*ones) & lows
	return ((y+0x1f*ones)&^(y+0x05*ones) | v) & highs
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
	// The token after, with its marks, then the same separator and a
	// token (first: most separators fail there).
	k = p + 1
	r, w := utf8.DecodeRune(norm[k:])
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
	if r, _ = utf8.DecodeRune(norm[k+1:]); !isToken(r) {
		return false
	}
	// The token before, with its marks.
	q := p
	r, w = utf8.DecodeLastRune(norm[:q])
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
	return true
}

// symbolRange returns the span of norm from the first to the last symbol
// at which symbolSpacedAt holds; lo < 0 when there is none. It looks only
// at the symbols' lead bytes, 0xe2 (U+2000 to U+2FFF) and 0xf0 (emoji),
// found by bytes.IndexByte, many bytes at a time.
func symbolRange(norm []byte) (lo, hi int) {
	lo, hi = -1, -1
	for _, lead := range [...]byte{0xe2, 0xf0} {
		for p := 0; ; p++ {
			k := bytes.IndexByte(norm[p:], lead)
			if k < 0 {
				break
			}
			p += k
			if p > 0 && norm[p-1] < utf8.RuneSelf && symbolSpacedAt(norm, p) {
				if lo < 0 || p < lo {
					lo = p
				}
				_, w := utf8.DecodeRune(norm[p:])
				hi = max(hi, p+w) // the whole symbol: undoEvasionIn goes on from hi
			}
		}
	}
	return lo, hi
}

// symbolSpacedAt reports whether the character at norm[p] may be a symbol
// between spaced-out letters that undoEvasion joins: a symbol separator
// (isSymbolSep) after an ASCII letter or digit that does not continue a
// word, followed by another, then by the same symbol; or the same with a
// space on each side of each symbol.
func symbolSpacedAt(norm []byte, p int) bool {
	// A symbol between spaces ("C 🔥 a 🔥 m") is looked at from its
	// first space.
	spaced := p >= 1 && norm[p-1] == ' '
	t := p - 1 // the token before
	if spaced {
		t--
	}
	if t < 0 || !asciiAlnum(norm[t]) {
		return false
	}
	if t >= 1 {
		if r, _ := utf8.DecodeLastRune(norm[:t]); isWordRune(r) {
			return false
		}
	}
	r, w := utf8.DecodeRune(norm[p:])
	if !isSymbolSep(r) {
		return false
	}
	sym := string(norm[p : p+w])
	if spaced {
		// " 🔥 a 🔥"
		k := p + w
		return k+3+w < len(norm) && norm[k] == ' ' && asciiAlnum(norm[k+1]) && norm[k+2] == ' ' && string(norm[k+3:k+3+w]) == sym
	}
	k := p + w
	return k+w < len(norm) && asciiAlnum(norm[k]) && string(norm[k+1:k+1+w]) == sym
}

// asciiAlnum reports whether c is an ASCII letter or digit.
func asciiAlnum(c byte) bool { return c < utf8.RuneSelf && asciiWord[c] && c != '_' }

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
		case isLookalikeScript(r):
			if _, ok := homoglyph[r]; ok {
				mixed = true
			} else {
				other = true
			}
		default:
			latin = latin || isLatinLetter(r) // as undoHomoglyphs
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
		if c&0xf0 == 0xe0 && j+2 < len(s) && s[j+1]&0xc0 == 0x80 && s[j+2]&0xc0 == 0x80 {
			// Most often: a three-byte character that starts a segment
			// and is not removed.
			r := rune(c&0x0f)<<12 | rune(s[j+1]&0x3f)<<6 | rune(s[j+2]&0x3f)
			if r >= 0x800 && (r < 0xd800 || r > 0xdfff) && tab[r]&(bmpStarts|bmpDrop) == bmpStarts {
				return true
			}
		}
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

// startsPlain reports whether s[j] is a three-byte character that starts
// a normalisation segment and is not removed, the most common case in
// which segmentEnds(tab, s, j) is true, by flags, a smaller table.
func startsPlain(flags *[0x10000]uint8, s string, j int) bool {
	if j+2 >= len(s) || s[j]&0xf0 != 0xe0 || s[j+1]&0xc0 != 0x80 || s[j+2]&0xc0 != 0x80 {
		return false
	}
	r := rune(s[j]&0x0f)<<12 | rune(s[j+1]&0x3f)<<6 | rune(s[j+2]&0x3f)
	return r >= 0x800 && (r < 0xd800 || r > 0xdfff) && flags[r]&(flagStarts|flagDrop) == flagStarts
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
// returns 0. It reports too whether folding leaves every character of the
// segment as it is, none of them a Latin letter or a Greek or Cyrillic
// character (segCopy), so that the segment can be copied as it is.
func inertSegment(tab *[0x10000]uint32, segs *[0x10000]uint16, s string, i, w int) (int, bool) {
	r, _ := decodeBMP(s, i)
	if tab[r]&bmpStarts == 0 || segs[r]&segInert == 0 {
		return 0, false
	}
	copied := segs[r]&segCopy != 0
	j := i + w
	prev := uint16(0) // combining class of the mark before
	for marks := 0; j < len(s) && s[j] >= utf8.RuneSelf; marks++ {
		m, mw := decodeBMP(s, j)
		if mw == 0 || tab[m]&bmpStarts != 0 {
			break
		}
		ccc := segs[m] & segCCC
		if segs[m]&segInert == 0 || ccc < prev && ccc > 0 || marks == maxInertMarks {
			return 0, false
		}
		copied = copied && segs[m]&segCopy != 0
		prev = ccc
		j += mw
	}
	if j == i+w || !startsPlain(&fastTab().flags, s, j) && !segmentEnds(tab, s, j) {
		return 0, false
	}
	return j, copied
}

// Bits of fastTables.flags.
const (
	flagCopy      = 1 << iota // on its own, in NFKC and left as it is by folding, not removed or white space
	flagSimple                // bmpSimple
	flagStarts                // bmpStarts
	flagDrop                  // bmpDrop
	flagFoldMark              // bmpFoldMark
	flagFoldLatin             // bmpFoldLatin
)

// bmpFlags returns the fastTables.flags entry for the bmpTable entry e.
func bmpFlags(e uint32) uint8 {
	var f uint8
	if e&(bmpSimple|bmpSame|bmpDrop|bmpFoldSpace) == bmpSimple|bmpSame {
		f |= flagCopy
	}
	for _, b := range [...]struct {
		bmp  uint32
		flag uint8
	}{{bmpSimple, flagSimple}, {bmpStarts, flagStarts}, {bmpDrop, flagDrop}, {bmpFoldMark, flagFoldMark}, {bmpFoldLatin, flagFoldLatin}} {
		if e&b.bmp != 0 {
			f |= b.flag
		}
	}
	return f
}

// maxInertMarks bounds the marks inertSegment takes, far below the 30
// non-starters after which NFKC starts a new segment.
const maxInertMarks = 16

// Entries of fastTables.seg.
const (
	segCCC   = 0xff   // the canonical combining class
	segInert = 1 << 8 // NFKC neither decomposes the character nor composes it with a mark after it
	// segCopy: folding leaves the character as it is and it is not
	// removed, white space, a Latin letter, or Greek or Cyrillic.
	segCopy = 1 << 9
)

// fastTables are the tables of scan that bmpTable does not hold.
type fastTables struct {
	// seg holds, for every character of the BMP, what inertSegment
	// needs to know.
	seg [0x10000]uint16
	// flags holds, for every character of the BMP, what appendBMP needs
	// to know of its bmpTable entry, in a quarter of the space.
	flags [0x10000]uint8
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
			t.flags[r] = bmpFlags(bmp[r])
			if r >= 0xab70 && r < 0xabc0 {
				// Lower-case Cherokee, which folding leaves as it is:
				// not copied, so that appendBMP sees a possible
				// homoglyph (upper-case Cherokee folds to it).
				t.flags[r] &^= flagCopy
			}
			if t.flags[r]&(flagCopy|flagFoldLatin) == flagCopy && !isLookalikeScript(r) {
				e |= segCopy
			}
			t.seg[r] = e
			if bmp[r]&bmpStarts != 0 {
				if x, ok := nfkcOverride(r); ok {
					t.expand[r] = x
				} else if x := norm.NFKC.String(string(r)); x != string(r) {
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
	// A part that starts inside a segment (combining marks after a
	// boundary) starts with the segment: every normalisation segment of
	// the text is in the part or out of it, as the offset map's runs need
	// (see splice).
	for a > 0 && !startsSegment(&fastTab().flags, out, a) {
		_, w := utf8.DecodeLastRune(out[:a])
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
	m := &t.offsets
	q := m.index(a) // the run of byte k
	for k := a; k < b; {
		for q+1 < len(m.runs) && int(m.runs[q+1].at) <= k {
			q++
		}
		r, w := utf8.DecodeRune(out[k:])
		s, e := spanIn(m, out, k, q)
		n.units = append(n.units, unit{r, s, e})
		k += w
	}
	n.undoEvasion(t)
	buf, start, end := assemble(n.buf[:0], n.start[:0], n.end[:0], n.units)
	n.runs = t.offsets.splice(n.runs[:0], a, b, len(out), start, end)
	// The units followed by the text after them, in place of the part.
	buf = append(buf, out[b:]...)
	n.out = append(out[:a], buf...)
	n.buf, n.start, n.end = buf, start, end
}

// splice replaces, in m, the map of the bytes [a, b) of a text n bytes
// long by the explicit map start, end (of as many bytes), moving the map
// of the bytes after b. a and b must be boundaries of normalisation
// segments, which copy runs cannot be cut inside of. It returns tail, a
// buffer it used.
func (m *offsetMap) splice(tail []mapRun, a, b, n int, start, end []int32) []mapRun {
	m.blocks = m.blocks[:0]
	delta := int32(len(start) - (b - a))
	if b < n {
		k := m.index(b)
		r := m.runs[k]
		if r.x >= 0 {
			r.x += int32(b) - r.at
		}
		r.at = int32(b)
		tail = append(append(tail, r), m.runs[k+1:]...)
		for q := range tail {
			tail[q].at += delta
			if tail[q].x < 0 {
				tail[q].off -= delta
			}
		}
	}
	if a > 0 {
		m.runs = m.runs[:m.index(a-1)+1]
	} else {
		m.runs = m.runs[:0]
	}
	if len(start) > 0 {
		m.runs = append(m.runs, mapRun{at: int32(a), x: int32(len(m.xs))})
		m.xs = append(m.xs, start...)
		m.xe = append(m.xe, end...)
	}
	m.runs = append(m.runs, tail...)
	return tail
}

// isEvasionBoundary reports whether undoEvasion neither changes a unit r
// nor looks past it: r is not part of a word, a separator of spaced
// letters, a symbol read as a letter or a regional indicator (whether a
// run of them spells letters depends on the whole run).
func isEvasionBoundary(r rune) bool {
	return !isWordRune(r) && !isSep(r) && !isLeet(r) && !isRegional(r)
}

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
