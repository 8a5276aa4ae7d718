package ahocorasick

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

type hit struct{ p, s, e int }

func bruteForce(patterns []string, text string) []hit {
	var out []hit
	for p, pat := range patterns {
		if pat == "" {
			continue
		}
		for i := 0; i+len(pat) <= len(text); i++ {
			if j := strings.Index(text[i:], pat); j < 0 {
				break
			} else {
				i += j
				out = append(out, hit{p, i, i + len(pat)})
			}
		}
	}
	return out
}

func collect(m *Matcher, text string) []hit {
	var out []hit
	m.Match(text, func(p, s, e int) bool {
		out = append(out, hit{p, s, e})
		return true
	})
	return out
}

func sortHits(h []hit) {
	slices.SortFunc(h, func(a, b hit) int {
		if a.s != b.s {
			return a.s - b.s
		}
		if a.e != b.e {
			return a.e - b.e
		}
		return a.p - b.p
	})
}

func TestMatchFixed(t *testing.T) {
	tests := []struct {
		name     string
		patterns []string
		text     string
		want     []hit
	}{
		{"classic", []string{"he", "she", "his", "hers"}, "ushers", []hit{{1, 1, 4}, {0, 2, 4}, {3, 2, 6}}},
		{"overlap", []string{"aa"}, "aaaa", []hit{{0, 0, 2}, {0, 1, 3}, {0, 2, 4}}},
		{"utf8", []string{"西港", "港"}, "去西港工作", []hit{{0, 3, 9}, {1, 6, 9}}},
		{"empty pattern", []string{"", "a"}, "a", []hit{{1, 0, 1}}},
		{"no patterns", nil, "abc", nil},
		{"duplicates", []string{"ab", "ab"}, "ab", []hit{{0, 0, 2}, {1, 0, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collect(New(tt.patterns), tt.text)
			sortHits(got)
			sortHits(tt.want)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestMatchRandom compares the automaton with strings.Index on random
// patterns and texts over small alphabets, where overlaps are frequent.
func TestMatchRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	alphabets := []string{"ab", "abc", "abcdefgh", "a西港ก"}
	for iter := 0; iter < 2000; iter++ {
		alpha := []rune(alphabets[iter%len(alphabets)])
		word := func(max int) string {
			n := 1 + r.IntN(max)
			var b strings.Builder
			for range n {
				b.WriteRune(alpha[r.IntN(len(alpha))])
			}
			return b.String()
		}
		patterns := make([]string, 1+r.IntN(12))
		for i := range patterns {
			patterns[i] = word(6)
		}
		text := word(200)
		got := collect(New(patterns), text)
		want := bruteForce(patterns, text)
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Fatalf("patterns %q text %q:\ngot  %v\nwant %v", patterns, text, got, want)
		}
	}
}

func TestMatchStops(t *testing.T) {
	m := New([]string{"a"})
	n := 0
	m.Match("aaaa", func(_, _, _ int) bool { n++; return n < 2 })
	if n != 2 {
		t.Errorf("fn called %d times after returning false, want 2", n)
	}
}
