package extract

import "strings"

// tokenTable finds any of a fixed set of tokens at a position in one step,
// without regular expressions: keys are bucketed by their first and last
// byte, compared longest first, and ASCII letters compare case-insensitively.
// A key that ends (or starts) with an ASCII letter matches only at a word
// boundary, so "k" is not found in "kg" and "rs" not in "hours".
type tokenTable struct {
	byFirst [256][]string
	byLast  [256][]string
}

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
	if i >= len(text) {
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
	if j <= 0 {
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
		if k, n := t.before(w, j); n > 0 {
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
