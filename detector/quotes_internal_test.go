package detector

import (
	"strings"
	"testing"
)

// hasQuoteMarkRef is the check hasQuoteMark replaced: a search for each
// mark in turn.
func hasQuoteMarkRef(text string) bool {
	return strings.IndexByte(text, '"') >= 0 || strings.IndexByte(text, 0xe3) >= 0 || strings.IndexByte(text, 0xc2) >= 0 ||
		strings.Contains(text, "“") || strings.Contains(text, "”") || strings.Contains(text, "„")
}

func TestHasQuoteMark(t *testing.T) {
	cases := []string{"", "plain", `say "free"`, "“free”", "„frei“", "«libre»", "「免费」", "『免费』",
		"– dash", "‘single’", "€100", "\xe2\x80", "\xe2\x80\x9c", "\xe2", "abc\xe2\x80\x9d"}
	cases = append(cases, testTexts(t)...)
	for _, c := range cases {
		if got, want := hasQuoteMark(c), hasQuoteMarkRef(c); got != want {
			t.Errorf("hasQuoteMark(%.40q) = %v, want %v", c, got, want)
		}
	}
}

func FuzzHasQuoteMark(f *testing.F) {
	for _, c := range []string{`"`, "“", "”", "„", "«", "「", "‘", "€"} {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hasQuoteMark(s), hasQuoteMarkRef(s); got != want {
			t.Errorf("hasQuoteMark(%q) = %v, want %v", s, got, want)
		}
	})
}
