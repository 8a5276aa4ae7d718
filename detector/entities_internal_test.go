package detector

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// phoneRE is the regexp phoneSpans stands for.
var phoneRE = regexp.MustCompile(`\+?[0-9][0-9 \-.()]{5,22}[0-9]`)

func checkPhoneSpans(t *testing.T, text string) {
	t.Helper()
	want := phoneRE.FindAllStringIndex(text, maxEntities)
	got := phoneSpans(text, nil, maxEntities)
	if len(want) == 0 && len(got) == 0 {
		return
	}
	if !slices.EqualFunc(got, want, func(g [2]int, w []int) bool { return slices.Equal(g[:], w) }) {
		t.Errorf("phoneSpans(%q) = %v, the regexp finds %v", text, got, want)
	}
}

func TestPhoneSpansMatchRegexp(t *testing.T) {
	for _, text := range []string{
		"", "+", "123456", "1234567", "+1234567", "++1234567", "+ 1234567",
		"call +855 12 345 678 now", "0812-345-678", "(081) 234 5678.", "1.2.3.4.5.6.7",
		"1234567890123456789012345678901234567890", "12345 ", "1     2", "1      2",
		"tel 012 345 6789\n+66 81 234 5678", "a1234567b", "$1,500 or 15000000", "1-2-3-4",
		"+1 (555) 010-0199 or +1 (555) 010-0123", "9(((((((((((((((((((((((((9",
	} {
		checkPhoneSpans(t, text)
	}
	for _, text := range corpusTexts(t, "testdata/ads.jsonl") {
		checkPhoneSpans(t, text)
	}
}

func FuzzPhoneSpans(f *testing.F) {
	for i, s := range []string{"+855 12 345 678", "0812-345-678", "(081) 234 5678.", "1.2.3.4.5.6.7", "a1234567b"} {
		f.Add(fmt.Sprint(i) + s)
	}
	f.Fuzz(checkPhoneSpans)
}

// shorten is what appendShort appends: it cuts s to at most n bytes at a character boundary, on one line,
// without invisible format characters.
func shorten(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return capBytes(s, n) + "…"
}

func checkAppendShort(t *testing.T, s string, n int) {
	t.Helper()
	if n < 0 || n > 200 {
		return
	}
	want := shorten(s, n)
	if got := string(appendShort([]byte("x"), s, n)); got != "x"+want {
		t.Errorf("appendShort(%q, %d) = %q, want %q", s, n, got[1:], want)
	}
}

func TestAppendShort(t *testing.T) {
	for _, s := range []string{"", " ", "a", "  a  b\n\tc  ", "\u200bzero\u200bwidth", "\xff\xfe bad", "ไทย ไทย ไทย ไทย ไทย ไทย ไทย ไทย ไทย ไทย ไทย ไทย ไทย ไทย",
		strings.Repeat("word ", 30), "ends with space     "} {
		for n := 0; n < 60; n++ {
			checkAppendShort(t, s, n)
		}
	}
}

func FuzzAppendShort(f *testing.F) {
	f.Add("  a  b\n\tc  ", 5)
	f.Add("ไทย ไทย ไทย", 7)
	f.Add("\u200bzero\u200b width \xff", 9)
	f.Fuzz(checkAppendShort)
}

// TestRuneClassShortcuts checks isFormat and isSpaceHigh against package
// unicode for every character.
func TestRuneClassShortcuts(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if got, want := isFormat(r), unicode.Is(unicode.Cf, r); got != want {
			t.Fatalf("isFormat(%U) = %v, want %v", r, got, want)
		}
		if got, want := isSpaceHigh(r), unicode.IsSpace(r); got != want {
			t.Fatalf("isSpaceHigh(%U) = %v, want %v", r, got, want)
		}
	}
}
