package detector

import (
	"slices"
	"testing"
)

// quotedSpansRef is quotedSpans as first written: a walk over the
// characters of text.
func quotedSpansRef(text string) [][2]int {
	out := [][2]int{}
	open := -1
	var closer rune
	for i, r := range text {
		if open >= 0 {
			if r == closer {
				if i-open <= maxQuote {
					out = append(out, [2]int{open, i})
				}
				open = -1
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
	`a "b`, "「a」」「b", "«a\xc2»", "\xe2\xe2\x80\x9ca\xe2\x80\x9d", `"` + string(make([]byte, 1600)) + `"`, "。「工作」。"}

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
