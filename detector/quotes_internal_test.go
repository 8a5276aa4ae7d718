package detector

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// quotedSpansRef is quotedSpans as a walk over the characters of text.
func quotedSpansRef(text string) [][2]int {
	type char struct {
		r    rune
		i, w int
	}
	var cs []char
	for i, r := range text {
		_, w := utf8.DecodeRuneInString(text[i:])
		cs = append(cs, char{r, i, w})
	}
	// at returns the character k, or -1 outside text.
	at := func(k int) rune {
		if k < 0 || k >= len(cs) {
			return -1
		}
		return cs[k].r
	}
	alnum := func(r rune) bool { return r >= 0 && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	space := func(r rune) bool { return r >= 0 && unicode.IsSpace(r) }
	out := [][2]int{}
	open := -1
	var closer rune
	for k := 0; k < len(cs); k++ {
		i, r := cs[k].i, cs[k].r
		if open >= 0 {
			if r == closer {
				if i-open <= maxQuote {
					out = append(out, [2]int{open, i})
				}
				open = -1
			}
			continue
		}
		if (r == '\'' || r == '‘') && !alnum(at(k-1)) && k+1 < len(cs) && !space(at(k+1)) {
			// A single quote: closed on its line, or not a quotation.
			from := i + cs[k].w
			for j := k + 1; j < len(cs) && cs[j].r != '\n'; j++ {
				if (cs[j].r == '\'' || cs[j].r == '’') && j > k+1 && !space(at(j-1)) && !alnum(at(j+1)) {
					if cs[j].i-from <= maxQuote {
						out = append(out, [2]int{from, cs[j].i})
					}
					k = j
					break
				}
			}
			continue
		}
		switch r {
		case '"':
			open, closer = i+1, '"'
		case '“', '„':
			open, closer = i+len("“"), '”'
		case '”':
			open, closer = i+len("”"), '”'
		case '「':
			open, closer = i+len("「"), '」'
		case '『':
			open, closer = i+len("『"), '』'
		case '«':
			open, closer = i+len("«"), '»'
		}
	}
	return out
}

var quoteCases = []string{"", "plain", `say "free" and "more"`, "“free”", "„frei“ und „mehr”", "«libre»", "「免费」", "『免费』",
	"”x”", "– dash", "‘single’", "€100", "\xe2\x80", "\xe2\x80\x9c", "\xe2", "abc\xe2\x80\x9d", "\xf0\xe2\x80\x9cq\xe2\x80\x9d",
	`a "b`, "「a」」「b", "«a\xc2»", "\xe2\xe2\x80\x9ca\xe2\x80\x9d", `"` + string(make([]byte, 1600)) + `"`, "。「工作」。",
	"don't say 'free visa' here", "it’s ‘free’ now", "'open\nclose'", "rock 'n' roll", "'90s jobs \"free\"", "youths' offers 'x'",
	"' spaced'", "'a'b'", "‘’", "'", "x'y", "said 'no fee', 'no interview'.", strings.Repeat("'a ", 700)}

func TestQuotedSpans(t *testing.T) {
	for _, c := range append(quoteCases, testTexts(t)...) {
		if got, want := quotedSpans(c, nil), quotedSpansRef(c); !slices.Equal(got, want) {
			t.Errorf("quotedSpans(%.60q) = %v, want %v", c, got, want)
		}
	}
}

func FuzzQuotedSpans(f *testing.F) {
	for _, c := range quoteCases {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := quotedSpans(s, nil), quotedSpansRef(s); !slices.Equal(got, want) {
			t.Errorf("quotedSpans(%q) = %v, want %v", s, got, want)
		}
	})
}
