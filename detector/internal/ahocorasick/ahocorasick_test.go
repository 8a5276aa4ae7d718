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

// TestMatchRandomRelated checks the automaton against strings.Index on
// pattern sets built to stress failure links and output lists: patterns
// that are prefixes, suffixes and infixes of one another, repeated
// characters, duplicates, and multi-byte UTF-8 that shares lead and
// continuation bytes (é, ệ, 西, 港, ก, ข share bytes), with enough patterns
// that states at every depth, dense and sparse, are exercised.
func TestMatchRandomRelated(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	alphabets := [][]string{
		{"a", "b"},
		{"a", "b", "c", " "},
		{"é", "ệ", "e", "\u0301"},
		{"西", "港", "ก", "ข", "a"},
		{"a", "\xff", "\xe0", "\x80"}, // invalid UTF-8 is just bytes
	}
	for iter := range 3000 {
		alpha := alphabets[iter%len(alphabets)]
		word := func(max int) string {
			var b strings.Builder
			for range 1 + r.IntN(max) {
				b.WriteString(alpha[r.IntN(len(alpha))])
			}
			return b.String()
		}
		var patterns []string
		for range 1 + r.IntN(30) {
			switch p := word(8); {
			case len(patterns) > 0 && r.IntN(3) == 0:
				// A prefix, suffix or infix of an earlier pattern.
				q := patterns[r.IntN(len(patterns))]
				i := r.IntN(len(q))
				j := i + 1 + r.IntN(len(q)-i)
				patterns = append(patterns, q[i:j])
			case r.IntN(5) == 0:
				patterns = append(patterns, p+p)
			default:
				patterns = append(patterns, p)
			}
		}
		text := word(300)
		got := collect(New(patterns), text)
		want := bruteForce(patterns, text)
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Fatalf("patterns %q text %q:\ngot  %v\nwant %v", patterns, text, got, want)
		}
	}
}

// TestMatchOrder: occurrences come in order of end position, longest
// first at one end.
func TestMatchOrder(t *testing.T) {
	m := New([]string{"c", "abc", "bc", "x", "abcx"})
	var got []hit
	m.Match("abcx", func(p, s, e int) bool { got = append(got, hit{p, s, e}); return true })
	want := []hit{{1, 0, 3}, {2, 1, 3}, {0, 2, 3}, {4, 0, 4}, {3, 3, 4}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
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

// TestMatchAllBytes: patterns that use every byte value (so no byte class
// is left for "in no pattern").
func TestMatchAllBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	var patterns []string
	for b := range 256 {
		patterns = append(patterns, string([]byte{byte(b), byte(255 - b)}))
	}
	patterns = append(patterns, "\x00\xff\x00", "ab")
	text := make([]byte, 5000)
	for i := range text {
		text[i] = byte(r.IntN(256))
	}
	text = append(text, "\x00\xff\x00ab"...)
	got := collect(New(patterns), string(text))
	want := bruteForce(patterns, string(text))
	sortHits(got)
	sortHits(want)
	if !slices.Equal(got, want) {
		t.Fatalf("got %d hits, want %d", len(got), len(want))
	}
}
