package extract

import (
	"math/bits"
	"strings"
)

// tokenTable finds any of a fixed set of tokens at a position in one step,
// without regular expressions: keys are bucketed by their first and last
// byte, compared longest first, and ASCII letters compare case-insensitively.
// A key that ends (or starts) with an ASCII letter matches only at a word
// boundary, so "k" is not found in "kg" and "rs" not in "hours".
type tokenTable struct {
	// firsts and lasts are the bytes that byFirst and byLast have keys
	// for, as bits: most positions start or end no key, and these answer
	// that from 64 bytes instead of 12 KiB of slice headers.
	firsts, lasts [4]uint64
	// heads and tails are the first and last two bytes of the keys of two
	// bytes or more, and short tells whether there is a key of one byte:
	// where there is none, a position whose two bytes are in neither
	// starts or ends no key.
	heads, tails pairSet
	short        bool
	byFirst      [256][]string
	byLast       [256][]string
}

// pairSet is a set of byte pairs, hashed into bits: has may report a pair
// that was never added, never misses one that was.
type pairSet [1 << 11 / 64]uint64

func pairHash(a, b byte) uint32 { return (uint32(a) | uint32(b)<<8) * 0x9E3779B1 >> (32 - 11) }

func (p *pairSet) add(a, b byte) { h := pairHash(a, b); p[h>>6] |= 1 << (h & 63) }

func (p *pairSet) has(a, b byte) bool { h := pairHash(a, b); return p[h>>6]&(1<<(h&63)) != 0 }

// headAt reports whether a key may start at text[i] by its first two
// bytes (any when t has a key of one byte).
func (t *tokenTable) headAt(text string, i int) bool {
	return t.short || i+1 < len(text) && t.heads.has(lowerByte(text[i]), lowerByte(text[i+1]))
}

// tailBefore reports whether a key may end at text[:j] by its last two
// bytes (any when t has a key of one byte).
func (t *tokenTable) tailBefore(text string, j int) bool {
	return t.short || j >= 2 && t.tails.has(lowerByte(text[j-2]), lowerByte(text[j-1]))
}

// hasByte reports whether byte c is in the set of bits.
func hasByte(set *[4]uint64, c byte) bool { return set[c>>6]&(1<<(c&63)) != 0 }

func newTokenTable(keys ...string) *tokenTable {
	t := &tokenTable{}
	seen := map[string]bool{}
	for _, k := range keys {
		for _, v := range []string{asciiLower(k), asciiLower(strings.ToUpper(k)), asciiLower(strings.ToLower(k))} {
			if v == "" || seen[v] {
				continue
			}
			seen[v] = true
			t.byFirst[v[0]] = append(t.byFirst[v[0]], v)
			t.byLast[v[len(v)-1]] = append(t.byLast[v[len(v)-1]], v)
			if len(v) == 1 {
				t.short = true
			} else {
				t.heads.add(v[0], v[1])
				t.tails.add(v[len(v)-2], v[len(v)-1])
			}
			// Keys are looked up by lowerByte of the text's byte, and
			// only a key whose byte is already lower case can match.
			for _, c := range []byte{v[0], v[len(v)-1]} {
				for b := range 256 {
					if lowerByte(byte(b)) == c {
						if c == v[0] {
							t.firsts[b>>6] |= 1 << (b & 63)
						}
						if c == v[len(v)-1] {
							t.lasts[b>>6] |= 1 << (b & 63)
						}
					}
				}
			}
		}
	}
	for i := range t.byFirst {
		sortLongestFirst(t.byFirst[i])
		sortLongestFirst(t.byLast[i])
	}
	return t
}

// asciiLower lower-cases ASCII letters only, so lengths never change.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func lowerByte(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// equalFoldASCII reports whether s equals the lower-case key k, ignoring the
// case of ASCII letters in s.
func equalFoldASCII(s, k string) bool {
	if len(s) != len(k) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if lowerByte(s[i]) != k[i] {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// at returns the longest key found at text[i:] and its length in bytes, or
// "" and 0.
func (t *tokenTable) at(text string, i int) (string, int) {
	if i >= len(text) || !hasByte(&t.firsts, text[i]) {
		return "", 0
	}
	return t.atSlow(text, i)
}

// atSlow is at past its first test, which is small enough to be inlined.
func (t *tokenTable) atSlow(text string, i int) (string, int) {
	if !t.headAt(text, i) {
		return "", 0
	}
	for _, k := range t.byFirst[lowerByte(text[i])] {
		e := i + len(k)
		if e > len(text) || !equalFoldASCII(text[i:e], k) {
			continue
		}
		if isASCIILetter(k[len(k)-1]) && isLatinWord(runeAt(text, e)) {
			continue
		}
		if r := runeBefore(text, i); isASCIILetter(k[0]) && isLatinWord(r) && !isDigitRune(r) {
			continue
		}
		return k, len(k)
	}
	return "", 0
}

// before returns the longest key that ends at text[:j] and its length.
func (t *tokenTable) before(text string, j int) (string, int) {
	if j <= 0 || !hasByte(&t.lasts, text[j-1]) {
		return "", 0
	}
	return t.beforeSlow(text, j)
}

// beforeSlow is before past its first test, which is small enough to be
// inlined.
func (t *tokenTable) beforeSlow(text string, j int) (string, int) {
	if !t.tailBefore(text, j) {
		return "", 0
	}
	for _, k := range t.byLast[lowerByte(text[j-1])] {
		s := j - len(k)
		if s < 0 || !equalFoldASCII(text[s:j], k) {
			continue
		}
		if isASCIILetter(k[0]) && isLatinWord(runeBefore(text, s)) {
			continue
		}
		if isASCIILetter(k[len(k)-1]) && isLatinWord(runeAt(text, j)) && !isDigitRune(runeAt(text, j)) {
			continue
		}
		return k, len(k)
	}
	return "", 0
}

// near reports whether one of the table's keys ends at most gap bytes
// before the end of w, with no digit after it, and returns the key.
func (t *tokenTable) near(w string, gap int) (string, bool) {
	return t.nearEnd(afterDigits(w), gap)
}

// afterDigits returns the part of w after its last ASCII digit: the only
// part near looks in.
func afterDigits(w string) string {
	for j := len(w) - 1; j >= 0; j-- {
		if w[j] >= '0' && w[j] <= '9' {
			return w[j+1:]
		}
	}
	return w
}

// nearEnd is near for a w that afterDigits has already cut, so that callers
// looking for several tables' keys in one window cut it once.
func (t *tokenTable) nearEnd(w string, gap int) (string, bool) {
	for j := len(w); j > 0 && len(w)-j <= gap; j-- {
		if t.short {
			if !hasByte(&t.lasts, w[j-1]) {
				continue
			}
		} else if j < 2 || !t.tails.has(lowerByte(w[j-2]), lowerByte(w[j-1])) {
			continue
		}
		if k, n := t.beforeSlow(w, j); n > 0 {
			return k, true
		}
	}
	return "", false
}

// tailUnion tells where a key of any of several tables may end, so that
// several nearEnd searches over one window test each position once.
type tailUnion struct {
	tails pairSet   // the tables' tails
	lasts [4]uint64 // the lasts of the tables with a key of one byte
}

func newTailUnion(tabs ...*tokenTable) *tailUnion {
	u := new(tailUnion)
	for _, t := range tabs {
		for k := range u.tails {
			u.tails[k] |= t.tails[k]
		}
		if t.short {
			for k := range u.lasts {
				u.lasts[k] |= t.lasts[k]
			}
		}
	}
	return u
}

// mask returns the set of d in from..to (bit d) such that a key of one of
// u's tables may end at w[:len(w)-d]: every d where one does is in it.
func (u *tailUnion) mask(w string, from, to int) uint64 {
	var m uint64
	for d := from; d <= to && d < len(w); d++ {
		j := len(w) - d
		if hasByte(&u.lasts, w[j-1]) || j >= 2 && u.tails.has(lowerByte(w[j-2]), lowerByte(w[j-1])) {
			m |= 1 << d
		}
	}
	return m
}

// nearEndIn is nearEnd(w, gap) for a table of u, given ends =
// u.mask(w, 0, g) with g >= gap: it tests only the positions in ends.
func (t *tokenTable) nearEndIn(w string, gap int, ends uint64) (string, bool) {
	if gap < 63 {
		ends &= 1<<(gap+1) - 1
	}
	for ; ends != 0; ends &= ends - 1 {
		if k, n := t.before(w, len(w)-bits.TrailingZeros64(ends)); n > 0 {
			return k, true
		}
	}
	return "", false
}

// hasIn reports whether one of the table's keys occurs anywhere in w.
func (t *tokenTable) hasIn(w string) bool {
	for j := len(w); j > 0; j-- {
		if _, n := t.before(w, j); n > 0 {
			return true
		}
	}
	return false
}

func isDigitRune(r rune) bool { return digitValue(r) >= 0 }

// skipSpace skips up to n spaces or tabs from byte i.
func skipSpace(text string, i, n int) int {
	for k := 0; k < n && i < len(text) && (text[i] == ' ' || text[i] == '\t'); k++ {
		i++
	}
	return i
}
