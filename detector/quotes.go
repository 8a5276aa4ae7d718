package detector

import (
	"encoding/binary"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxQuote is the longest span treated as a quotation.
const maxQuote = 1500

// quotedSpans returns the spans of text inside quotation marks: straight or
// curly double quotes, corner brackets, guillemets, and single quotes
// (straight or curly) that open before a word and close after one within
// the line, so that the apostrophes of "don't" and "it’s" open nothing.
// It serves both the normalised text (where curly quotes are already
// straight) and text as posted.
//
// It reads bytes, not characters: every mark begins with a straight
// quote or a UTF-8 lead byte, never with a byte inside another character,
// so comparing the bytes at each position finds the marks a walk over the
// characters finds (FuzzQuotedSpans holds it to that walk). Plain ASCII
// is skipped eight bytes at a time.
func quotedSpans(text string, out [][2]int) [][2]int {
	out = out[:0]
	open := -1
	var closer string
	// Single quotes open nothing before noCloser: the search for a closer
	// from an earlier one found none up to the end of its line, so the
	// search from a later one would find none either (which keeps the
	// walk linear in a line of many apostrophes).
	noCloser := 0
	for i := 0; i < len(text); {
		c := text[i]
		if !quoteLead[c] {
			if c < utf8.RuneSelf {
				i = max(skipPlain(text, i), i+1)
			} else {
				i = max(skipToLead(text, i), i+1)
			}
			continue
		}
		if open >= 0 {
			if strings.HasPrefix(text[i:], closer) {
				if i-open <= maxQuote {
					out = append(out, [2]int{open, i})
				}
				open = -1
				i += len(closer)
				continue
			}
			i++
			continue
		}
		if n := singleOpenerAt(text, i); n > 0 {
			// A single quote closes within its line, or it was an
			// apostrophe or a stray mark: then the walk goes on after it.
			if i+n >= noCloser {
				e, w, end := singleCloser(text, i+n)
				if e >= 0 {
					if e-(i+n) <= maxQuote {
						out = append(out, [2]int{i + n, e})
					}
					i = e + w
					continue
				}
				noCloser = end
			}
			i += n
			continue
		}
		if n, c := openerAt(text, i); n > 0 {
			open, closer = i+n, c
			i += n
			continue
		}
		i++
	}
	return out
}

// openerAt returns the length of the opening double quotation mark at
// text[i:] and the mark that closes it, or 0 when there is none.
func openerAt(text string, i int) (int, string) {
	rest := text[i:]
	switch {
	case rest[0] == '"':
		return 1, `"`
	case strings.HasPrefix(rest, "“"), strings.HasPrefix(rest, "„"):
		return len("“"), "”"
	case strings.HasPrefix(rest, "”"): // some languages open with the right mark
		return len("”"), "”"
	case strings.HasPrefix(rest, "「"):
		return len("「"), "」"
	case strings.HasPrefix(rest, "『"):
		return len("『"), "』"
	case strings.HasPrefix(rest, "«"):
		return len("«"), "»"
	}
	return 0, ""
}

// singleOpenerAt returns the length of the single quote at text[i:] if it
// can open a quotation: ' or ‘ after no letter or digit and before a
// character that is not white space. It returns 0 otherwise.
func singleOpenerAt(text string, i int) int {
	n := 0
	switch {
	case text[i] == '\'':
		n = 1
	case strings.HasPrefix(text[i:], "‘"):
		n = len("‘")
	default:
		return 0
	}
	if i > 0 {
		if r, _ := utf8.DecodeLastRuneInString(text[:i]); isAlnum(r) {
			return 0
		}
	}
	if r, _ := utf8.DecodeRuneInString(text[i+n:]); i+n == len(text) || unicode.IsSpace(r) {
		return 0
	}
	return n
}

// singleCloser returns where the single quote that closes a quotation
// opened at from is, and its length: the first ' or ’ of the line after
// a character that is not white space and before no letter or digit. It
// returns -1 when the line has none, and where the line ends.
func singleCloser(text string, from int) (at, n, end int) {
	end = len(text)
	if nl := strings.IndexByte(text[from:], '\n'); nl >= 0 {
		end = from + nl
	}
	for j := from; j < end; j++ {
		c := text[j]
		if c != '\'' && c != 0xe2 {
			continue
		}
		w := 1
		if c == 0xe2 {
			if !strings.HasPrefix(text[j:], "’") {
				continue
			}
			w = len("’")
		}
		if j == from {
			continue
		}
		if r, _ := utf8.DecodeLastRuneInString(text[:j]); unicode.IsSpace(r) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(text[j+w:]); j+w < len(text) && isAlnum(r) {
			continue
		}
		return j, w, end
	}
	return -1, 0, end
}

// isAlnum reports whether r is a letter or a digit: a character that
// makes a single quote next to it an apostrophe.
func isAlnum(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r] && r != '_'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// quoteLead marks the bytes that begin a quotation mark quotedSpans knows:
// the straight double and single quotes, and the lead bytes of « » (C2),
// “ ” „ ‘ ’ (E2) and 「 」 『 』 (E3).
var quoteLead = [256]bool{'"': true, '\'': true, 0xc2: true, 0xe2: true, 0xe3: true}

// skipPlain returns the first position from i, in steps of eight bytes,
// whose eight bytes are not all ASCII other than straight quotes (high
// bits clear; no byte equal to 0x22 or 0x27, by the has-zero-byte trick).
func skipPlain(text string, i int) int {
	for ; i+8 <= len(text); i += 8 {
		x := binary.LittleEndian.Uint64([]byte(text[i : i+8]))
		q := x ^ 0x2222222222222222
		a := x ^ 0x2727272727272727
		if (x|(q-0x0101010101010101)&^q|(a-0x0101010101010101)&^a)&0x8080808080808080 != 0 {
			break
		}
	}
	return i
}

// skipToLead returns the first position from i, in steps of eight bytes,
// whose eight bytes hold a byte quoteLead marks, or may: text in scripts
// other than Latin, three bytes a character, goes by a word at a time
// instead of a byte. (The has-zero-byte test can report a byte that is
// not there, after one that is, never miss one.)
func skipToLead(text string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	has := func(x, b uint64) uint64 { y := x ^ b*ones; return (y - ones) &^ y }
	for ; i+8 <= len(text); i += 8 {
		x := binary.LittleEndian.Uint64([]byte(text[i : i+8]))
		if (has(x, '"')|has(x, '\'')|has(x, 0xc2)|has(x, 0xe2)|has(x, 0xe3))&highs != 0 {
			break
		}
	}
	return i
}
