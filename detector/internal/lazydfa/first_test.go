package lazydfa

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkFirst compares Leftmost with the match regexp finds in text from
// each start position a, seeing text[a:] as a whole text (so the context
// is the start of text, prev -1), and with the character before a as
// context against regexp's match in text that starts at or after a.
func checkFirst(t *testing.T, pattern string, p *Prog, c *FirstCache, text string) {
	t.Helper()
	re := regexp.MustCompile(pattern)
	for a := 0; a <= len(text); a++ {
		if a > 0 && a < len(text) && !isRuneStart(text[a]) {
			continue
		}
		wantAt, wantEnd := -1, -1
		if loc := re.FindStringIndex(text[a:]); loc != nil {
			wantAt, wantEnd = loc[0], loc[1]
		}
		if at, end, ok := p.Leftmost(c, text[a:], -1, true); ok && (at != wantAt || at >= 0 && end != wantEnd) {
			t.Errorf("Leftmost(%q, %q) = %d, %d; regexp's match is [%d, %d)", pattern, text[a:], at, end, wantAt, wantEnd)
		}
		if a == 0 || re.MatchString("") {
			continue // FindAll drops empty matches next to others: no model here
		}
		// With context: regexp's matches in the whole text, from a on,
		// are what Leftmost finds after the character before a — unless
		// a match that starts before a and reaches past it hides them,
		// which a caller rules out.
		prev, _ := utf8.DecodeLastRuneInString(text[:a])
		for _, loc := range re.FindAllStringIndex(text, -1) {
			if loc[0] < a && loc[1] > a {
				break
			}
			if loc[0] >= a {
				at, end, ok := p.Leftmost(c, text[a:], prev, true)
				if ok && (at+a != loc[0] || end+a != loc[1]) {
					t.Errorf("Leftmost(%q, %q, prev %q) = %d, %d; regexp's next match is [%d, %d)", pattern, text[a:], prev, at+a, end+a, loc[0], loc[1])
				}
				break
			}
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

func TestLeftmostMatchesRegexp(t *testing.T) {
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

// TestLeftmostFlush runs a pattern that needs more states than a cache
// keeps.
func TestLeftmostFlush(t *testing.T) {
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
	want := regexp.MustCompile(pat).FindStringIndex(text)
	if want == nil {
		t.Fatal("test text does not match")
	}
	if at, end, ok := p.Leftmost(&c, text, -1, true); !ok || at != want[0] || end != want[1] {
		t.Fatalf("Leftmost = %d, %d, %v; want %v", at, end, ok, want)
	}
	if len(c.trans) > maxTransitions {
		t.Fatalf("%d transitions kept, bound is %d", len(c.trans), maxTransitions)
	}
}

func FuzzLeftmostMatchesRegexp(f *testing.F) {
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
