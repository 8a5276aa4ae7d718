package lazydfa

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// checkFirst compares FirstEnd with the end of the match regexp finds at
// each start position of text: the match of \A(?:pattern) in the rest of
// the text, which regexp sees as a whole text (so the context is the start
// of text, prev -1).
func checkFirst(t *testing.T, pattern string, p *Prog, c *FirstCache, text string) {
	t.Helper()
	re := regexp.MustCompile(`\A(?:` + pattern + `)`)
	for a := 0; a <= len(text); a++ {
		if a > 0 && a < len(text) && !isRuneStart(text[a]) {
			continue
		}
		want := -1
		if loc := re.FindStringIndex(text[a:]); loc != nil {
			want = loc[1]
		}
		if got := p.FirstEnd(c, text[a:], -1); got != want {
			t.Errorf("FirstEnd(%q, %q) = %d, regexp's match there ends at %d", pattern, text[a:], got, want)
		}
	}
}

func isRuneStart(b byte) bool { return b&0xc0 != 0x80 }

// firstPatterns add to patterns shapes where leftmost-first and
// leftmost-longest differ.
var firstPatterns = append([]string{`a|ab`, `ab|a`, `(?:a|ab)(?:c|bcd)`, `a*?b`, `a+?`, `(?:free|freedom)\b`,
	`x(?:ab|a)*`, `[0-9]{1,3}?k?`, `(?:月薪|月入)[^\n]{0,8}?[0-9]+(?:\.[0-9]+)? ?(?:w|万)`, `a(?:b|bc)?c?`}, patterns...)

var firstTexts = append([]string{"ab", "abcd", "abc", "aab", "aaab", "freedom", "free dom", "xababa", "12k", "1234k",
	"月薪1.5w万", "月入 3 万", "abcc"}, texts...)

func TestFirstEndMatchesRegexp(t *testing.T) {
	for _, pat := range firstPatterns {
		p, err := Compile(pat)
		if err != nil {
			t.Fatalf("%s: %v", pat, err)
		}
		var c FirstCache
		for _, text := range firstTexts {
			checkFirst(t, pat, p, &c, text)
		}
	}
}

// TestFirstEndFlush runs a pattern that needs more states than a cache
// keeps.
func TestFirstEndFlush(t *testing.T) {
	pat := `a[^\n]{0,40}?b[^\n]{0,40}c|a`
	p, err := Compile(pat)
	if err != nil {
		t.Fatal(err)
	}
	var c FirstCache
	var sb strings.Builder
	for i := range 3000 {
		sb.WriteByte("axyzbqc"[i*5%7])
	}
	text := "a" + sb.String()
	want := regexp.MustCompile(`\A(?:` + pat + `)`).FindStringIndex(text)
	if want == nil {
		t.Fatal("test text does not match")
	}
	if got := p.FirstEnd(&c, text, -1); got != want[1] {
		t.Fatalf("FirstEnd = %d, want %d", got, want[1])
	}
	if len(c.trans) > maxTransitions {
		t.Fatalf("%d transitions kept, bound is %d", len(c.trans), maxTransitions)
	}
}

func FuzzFirstEndMatchesRegexp(f *testing.F) {
	for i := range firstPatterns {
		for _, text := range firstTexts {
			f.Add(uint8(i), text)
		}
	}
	if data, err := os.ReadFile("../../testdata/ads.jsonl"); err == nil {
		for _, line := range strings.Split(string(data), "\n")[:20] {
			f.Add(uint8(len(line)), strings.ToLower(line))
		}
	}
	progs := make([]*Prog, len(firstPatterns))
	for i, pat := range firstPatterns {
		progs[i], _ = Compile(pat)
	}
	f.Fuzz(func(t *testing.T, i uint8, text string) {
		if len(text) > 200 {
			text = text[:200]
		}
		k := int(i) % len(firstPatterns)
		var c FirstCache
		checkFirst(t, firstPatterns[k], progs[k], &c, text)
		checkFirst(t, firstPatterns[k], progs[k], &c, text) // again, on the built DFA
	})
}
