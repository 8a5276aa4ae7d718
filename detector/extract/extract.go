// Package extract pulls typed facts out of job-ad text: pay (Salaries),
// destination and transit places (Places), contact handles and numbers
// (Contacts), a named employer (Employer) and the ad's language (Language).
//
// Every function is pure: text in, results out, no I/O and no shared mutable
// state, so all are safe for concurrent use. Results carry a Span of byte
// offsets into the text exactly as given (not a normalised form), and each
// result's Text is text[Span.Start:Span.End]. Callers that want to see
// through obfuscation can run an extractor on normalised text too and map
// offsets back themselves.
//
// Work is bounded on hostile input: only the first MaxBytes of the text are
// examined (cut back to a rune boundary; Language reads 8 KiB), and each
// extractor keeps at most MaxResults results. Invalid UTF-8 never causes a
// panic; a span never starts or ends inside a UTF-8 sequence.
//
// Speed: no regular expression runs over the whole text. Each extractor
// makes one pass that stops only at trigger positions (a digit, '@', '.', a
// label or legal-form word, a colon, the first rune of a gazetteer name) and
// reads the words around them from token tables (tokenTable) or with a small
// regular expression anchored at that position on a short window. Phone
// numbers are validated with github.com/nyaruka/phonenumbers, which is most
// of the cost of Contacts.
package extract

import (
	"unicode"
	"unicode/utf8"
)

// Limits on the work done per call.
const (
	// MaxBytes is how much of the text an extractor examines; the rest is
	// ignored. 64 KiB is far longer than any real ad.
	MaxBytes = 64 << 10
	// MaxResults caps the results one extractor returns per call.
	MaxResults = 256
)

// Span is a half-open range [Start, End) of byte offsets into the text an
// extractor was given.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Len returns the length of the span in bytes.
func (s Span) Len() int { return s.End - s.Start }

// clip returns the prefix of text that extractors examine: at most MaxBytes,
// cut back to a rune boundary.
func clip(text string) string {
	if len(text) <= MaxBytes {
		return text
	}
	i := MaxBytes
	for i > 0 && !utf8.RuneStart(text[i]) {
		i--
	}
	return text[:i]
}

// runeBefore returns the rune that ends just before byte i, or -1 at the
// start of text.
func runeBefore(text string, i int) rune {
	if i <= 0 {
		return -1
	}
	if c := text[i-1]; c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

// runeAt returns the rune that starts at byte i, or -1 at the end of text.
func runeAt(text string, i int) rune {
	if i >= len(text) {
		return -1
	}
	if c := text[i]; c < utf8.RuneSelf {
		return rune(c)
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}

// isLatinWord reports whether r continues a word in a script written with
// spaces between words: ASCII letters and digits, Latin letters with
// diacritics, Cyrillic, Greek, and combining marks.
func isLatinWord(r rune) bool {
	switch {
	case r < 0:
		return false
	case r < utf8.RuneSelf:
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_'
	}
	if r < 0x10000 {
		return latinBMP[r>>6]&(1<<(r&63)) != 0
	}
	return slowIsLatinWord(r)
}

func slowIsLatinWord(r rune) bool {
	return unicode.In(r, unicode.Latin, unicode.Cyrillic, unicode.Greek, unicode.Mn)
}

// latinBMP is the set of non-ASCII characters of the Basic Multilingual
// Plane that isLatinWord holds, as bits: isLatinWord runs at most
// positions of a text, and unicode.In searches four range tables.
var latinBMP = func() (set [0x10000 / 64]uint64) {
	for r := rune(utf8.RuneSelf); r < 0x10000; r++ {
		if slowIsLatinWord(r) {
			set[r>>6] |= 1 << (r & 63)
		}
	}
	return set
}()

// isASCIIAlnum reports whether r is an ASCII letter or digit.
func isASCIIAlnum(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// lineBefore returns up to n bytes of text before byte i, not crossing a line
// break and starting on a rune boundary.
func lineBefore(text string, i, n int) string {
	s := i - n
	if s < 0 {
		s = 0
	}
	for s < i && !utf8.RuneStart(text[s]) {
		s++
	}
	w := text[s:i]
	for j := len(w) - 1; j >= 0; j-- {
		if w[j] == '\n' {
			return w[j+1:]
		}
	}
	return w
}

// lineAfter returns up to n bytes of text from byte i, not crossing a line
// break and ending on a rune boundary.
func lineAfter(text string, i, n int) string {
	e := i + n
	if e > len(text) {
		e = len(text)
	}
	for e > i && e < len(text) && !utf8.RuneStart(text[e]) {
		e--
	}
	w := text[i:e]
	for j := 0; j < len(w); j++ {
		if w[j] == '\n' {
			return w[:j]
		}
	}
	return w
}
