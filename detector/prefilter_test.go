package detector

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lurewatch/lurewatch/detector/textnorm"
)

func TestPrefilter(t *testing.T) {
	tests := []struct {
		re   string
		want []string // nil: always run
	}{
		{`abc`, []string{"abc"}},
		{`(?:^|\s)foo\b`, []string{"foo"}},
		{`x*`, nil},
		{`a|bc`, []string{"a", "bc"}},
		{`[0-9]+ ?(?:juta|jt)\b`, []string{"juta", "jt"}},
		{`\bt\.me/[a-z]+`, []string{"t.me/"}},
		{`(?:age|usia)[^\n]{0,10}[0-9]`, []string{"age", "usia"}},
		{`[^\n]+`, nil},
		{`(?i)ABC`, []string{"abc"}},
	}
	for _, tt := range tests {
		got := newPrefilter(regexp.MustCompile(tt.re))
		if !slices.Equal([]string(got), tt.want) {
			t.Errorf("%s: prefilter %q, want %q", tt.re, got, tt.want)
		}
	}
}

// TestPrefilterNeverSkipsAMatch: on random texts, whenever a pattern
// matches, its prefilter passes.
func TestPrefilterNeverSkipsAMatch(t *testing.T) {
	pats := []string{`[0-9]+ ?(?:juta|jt)\b`, `(?:\$|usd ?)(?:[7-9][0-9]{2}|[1-4][,.]?[0-9]{3})\b`,
		`(?:^|[^a-z0-9_.@/])(?P<m>@ ?[a-z][a-z0-9_]{3,31})\b`, `\b12[ -]?(?:hours?|hrs?)\b`, `a(?:b|c)d`}
	alpha := []string{"1", "2", "7", "0", ",", " ", "$", "usd", "@", "a", "b", "c", "d", "hrs", "jt", "juta", "-", "_", "x"}
	r := rand.New(rand.NewPCG(3, 4))
	for _, p := range pats {
		re := regexp.MustCompile(p)
		pre := newPrefilter(re)
		for range 3000 {
			var b strings.Builder
			for range r.IntN(20) {
				b.WriteString(alpha[r.IntN(len(alpha))])
			}
			s := b.String()
			if re.MatchString(s) && !pre.pass(s) {
				t.Fatalf("%s matches %q but prefilter %q fails", p, s, pre)
			}
		}
	}
}

// holdsRef is alsoSet.holds as first written: a byte loop for a byte set,
// a search for each literal for a string set.
func holdsRef(a alsoSet, text string) bool {
	if a.lits == nil {
		for i := 0; i < len(text); i++ {
			if a.bytes[text[i]] {
				return true
			}
		}
		return false
	}
	for _, l := range a.lits {
		if strings.Contains(text, l) {
			return true
		}
	}
	return false
}

// TestAlsoSetHolds checks every literal set of the shipped rules on the
// corpora against a search for each literal.
func TestAlsoSetHolds(t *testing.T) {
	d := loadRules(t)
	texts := testTexts(t)
	for _, sets := range d.res.also {
		for _, a := range sets {
			for _, text := range texts {
				norm := textnorm.String(text)
				for _, w := range []string{norm, norm[:len(norm)/2], norm[len(norm)/3:]} {
					if got, want := a.holds(w), holdsRef(a, w); got != want {
						t.Fatalf("holds(%q, %.60q) = %v, want %v", a.lits, w, got, want)
					}
				}
			}
		}
	}
}

func FuzzAlsoSetHolds(f *testing.F) {
	d := loadRules(f)
	var sets []alsoSet
	for _, s := range d.res.also {
		sets = append(sets, s...)
	}
	f.Add(uint8(0), "age 18 to 25")
	f.Fuzz(func(t *testing.T, k uint8, text string) {
		a := sets[int(k)%len(sets)]
		if got, want := a.holds(text), holdsRef(a, text); got != want {
			t.Fatalf("holds(%q, %q) = %v, want %v", a.lits, text, got, want)
		}
	})
}
