package lazydfa

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// patterns are regexps of the shapes the detector's rules use.
var patterns = []string{
	`abc`, `^abc$`, `\babc\b`, `\Babc`, `a[^\n]{0,5}b`, `(?:^|[^0-9\-])(?:1[5-9]|[2-9][0-9]) ?(?:- ?[0-9]{1,3} ?)?(?:trieu|tr)\b`,
	`(?:age|aged|อายุ|年龄)[^\n0-9]{0,10}(?:1[6-9]|2[0-9]) ?(?:ปี|years|岁)`, `\+?[0-9][0-9 \-.()]{5,22}[0-9]`,
	`[a-z0-9._%+\-]{1,64}@[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63})*\.[a-z]{2,24}`, `(?:^|[^a-z0-9_.@/])(?P<m>@ ?[a-z][a-z0-9_]{3,31})\b`,
	`(?:[✈🆓🍚-🍜🍱🍲🏠🏡🛂] ?\+? ?){2,}[ :=]*(?:free|ฟ(?:รี| รี)|gratis)`, `x*`, `$`, `^`, `(?m)^a$`, `.`, `(?s).b`, `[^a]`,
	`\bwa\b`, `a\z`, `\Aa`, `[\x{10000}-\x{10FFFF}]`, `[^\x00-\x{10FFFF}]`, `ไลน์|微信`,
}

// check compares Match with regexp's MatchString for pattern and text,
// and Leftmost with the span of regexp's first match, with and without
// the end.
func check(t *testing.T, pattern string, p *Prog, c *Cache, fc *FirstCache, text string) {
	t.Helper()
	re := regexp.MustCompile(pattern)
	want := re.MatchString(text)
	if got := p.Match(c, text); got != want {
		t.Errorf("Match(%q, %q) = %v, regexp says %v", pattern, text, got, want)
	}
	wantAt, wantEnd := -1, -1
	if loc := re.FindStringIndex(text); loc != nil {
		wantAt, wantEnd = loc[0], loc[1]
	}
	if at, end, ok := p.Leftmost(fc, text, -1, true); ok && (at != wantAt || at >= 0 && end != wantEnd) {
		t.Errorf("Leftmost(%q, %q) = %d, %d; regexp's first match is [%d, %d)", pattern, text, at, end, wantAt, wantEnd)
	}
	if at, _, ok := p.Leftmost(fc, text, -1, false); ok && at != wantAt {
		t.Errorf("Leftmost(%q, %q) without end = %d; regexp's first match starts at %d", pattern, text, at, wantAt)
	}
}

var texts = []string{
	"", "a", "abc", "xabc", "abcx", "x abc y", "a\nb", "aXXXXXb", "a\n\nb", "lương 15 triệu", "15tr", "215 tr",
	"15-20 trieu", "age: 18 years", "อายุ 18 ปี", "年龄18岁", "call +855 12 345 678", "mail hr.x@example.test now",
	"tg @hr_test99 ok", "x@y", "✈🏠 free", "✈ + 🍚 : gratis", "\xff\xfeabc", "ab\xffc", "😀", "\n", "wa", "a wa b", "awab",
}

func TestMatchesRegexp(t *testing.T) {
	for _, pat := range patterns {
		p, err := Compile(pat)
		if err != nil {
			t.Fatalf("%s: %v", pat, err)
		}
		var c Cache
		var fc FirstCache
		for _, text := range texts {
			check(t, pat, p, &c, &fc, text)
		}
	}
}

func TestFoldCaseUnsupported(t *testing.T) {
	if _, err := Compile(`(?i)abc`); err != ErrUnsupported {
		t.Fatalf("Compile((?i)abc) = %v, want ErrUnsupported", err)
	}
}

// TestFlush runs a pattern that needs more states than a cache keeps.
func TestFlush(t *testing.T) {
	pat := `a[^\n]{0,40}b[^\n]{0,40}c`
	p, err := Compile(pat)
	if err != nil {
		t.Fatal(err)
	}
	var c Cache
	var fc FirstCache
	var sb strings.Builder
	for i := range 3000 {
		sb.WriteByte("axyzbq"[i*7%6])
	}
	check(t, pat, p, &c, &fc, sb.String())
	check(t, pat, p, &c, &fc, sb.String()+"c")
	if len(c.trans) > maxTransitions {
		t.Fatalf("%d transitions kept, bound is %d", len(c.trans), maxTransitions)
	}
}

func FuzzMatchMatchesRegexp(f *testing.F) {
	for i := range patterns {
		for _, text := range texts {
			f.Add(uint8(i), text)
		}
	}
	if data, err := os.ReadFile("../../testdata/ads.jsonl"); err == nil {
		for _, line := range strings.Split(string(data), "\n")[:20] {
			f.Add(uint8(len(line)), strings.ToLower(line))
		}
	}
	progs := make([]*Prog, len(patterns))
	for i, pat := range patterns {
		progs[i], _ = Compile(pat)
	}
	f.Fuzz(func(t *testing.T, i uint8, text string) {
		k := int(i) % len(patterns)
		var c Cache
		var fc FirstCache
		check(t, patterns[k], progs[k], &c, &fc, text)
		check(t, patterns[k], progs[k], &c, &fc, text) // again, on the built DFAs
	})
}

// TestLeftmostBudget: on a long run of characters that each start a match
// that dies late, Leftmost gives up rather than take quadratic time, and
// answers when the match is near.
func TestLeftmostBudget(t *testing.T) {
	p, err := Compile(`[a-z]+@[a-z]+\.[a-z]{2,}`)
	if err != nil {
		t.Fatal(err)
	}
	var c FirstCache
	long := strings.Repeat("a", 1<<16) + " x@y.zz"
	if at, _, ok := p.Leftmost(&c, long, -1, true); ok {
		t.Fatalf("Leftmost on a long text = %d, want it to give up", at)
	}
	if at, end, ok := p.Leftmost(&c, "mail x@y.zz", -1, true); !ok || at != 5 || end != 11 {
		t.Fatalf("Leftmost = %d, %d, %v; want 5, 11, true", at, end, ok)
	}
}
