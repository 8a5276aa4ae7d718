package ahocorasick

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// matchAll returns every occurrence Match reports, in the order reported,
// stopping after limit of them when limit > 0 (fn returns false then).
func matchAll(match func(string, func(int, int, int) bool), text string, limit int) []hit {
	var out []hit
	match(text, func(p, s, e int) bool {
		out = append(out, hit{p, s, e})
		return limit <= 0 || len(out) < limit
	})
	return out
}

// checkAgainstReference compiles patterns with a dense table of maxCells
// cells and checks that Match reports exactly what the reference does, in
// the same order, on text, and stops where it does when fn returns false;
// with text walked whole, and in two halves.
func checkAgainstReference(t *testing.T, patterns []string, text string, maxCells int) {
	t.Helper()
	checkFoldedAgainstReference(t, patterns, text, maxCells, nil)
}

// checkFoldedAgainstReference is checkAgainstReference for a matcher built
// with fold: it must report what the reference does with fold applied to
// the patterns and the text beforehand.
func checkFoldedAgainstReference(t *testing.T, patterns []string, text string, maxCells int, fold map[byte]byte) {
	t.Helper()
	folded := func(s string) string {
		b := []byte(s)
		for i, c := range b {
			if to, ok := fold[c]; ok {
				b[i] = to
			}
		}
		return string(b)
	}
	refPatterns := make([]string, len(patterns))
	for i, p := range patterns {
		refPatterns[i] = folded(p)
	}
	m, ref := build(patterns, maxCells, fold), NewReference(refPatterns)
	if m.Len() != ref.Len() {
		t.Fatalf("Len() = %d, reference %d", m.Len(), ref.Len())
	}
	want := matchAll(ref.Match, folded(text), 0)
	for _, split := range []int{2, minSplit, math.MaxInt} {
		m.minSplit = split
		got := matchAll(m.Match, text, 0)
		if !slices.Equal(got, want) {
			t.Fatalf("patterns %q, text %q, %d dense cells, split from %d:\ngot  %v\nwant %v", patterns, text, maxCells, split, got, want)
		}
		if utf8.ValidString(text) {
			if got := matchAll(m.MatchValid, text, 0); !slices.Equal(got, want) {
				t.Fatalf("MatchValid: patterns %q, text %q, %d dense cells, split from %d:\ngot  %v\nwant %v", patterns, text, maxCells, split, got, want)
			}
		}
		if len(want) > 1 {
			limit := 1 + len(want)/2
			if got := matchAll(m.Match, text, limit); !slices.Equal(got, want[:limit]) {
				t.Fatalf("patterns %q, text %q, %d dense cells, split from %d, stopping after %d:\ngot  %v\nwant %v", patterns, text, maxCells, split, limit, got, want[:limit])
			}
		}
	}
}

// randomCase builds a random pattern set and text over alpha (pieces that
// are joined): patterns that are prefixes, suffixes and infixes of one
// another, repetitions, duplicates and empty patterns, and a text that
// quotes patterns often, so that deep states and long output lists are
// reached.
func randomCase(r *rand.Rand, alpha []string) (patterns []string, text string) {
	word := func(max int) string {
		var b strings.Builder
		for range 1 + r.IntN(max) {
			b.WriteString(alpha[r.IntN(len(alpha))])
		}
		return b.String()
	}
	for range 1 + r.IntN(40) {
		switch k := r.IntN(10); {
		case len(patterns) > 0 && k < 3:
			q := patterns[r.IntN(len(patterns))]
			if q == "" {
				continue
			}
			i := r.IntN(len(q))
			j := i + 1 + r.IntN(len(q)-i)
			patterns = append(patterns, q[i:j])
		case len(patterns) > 0 && k == 3:
			patterns = append(patterns, patterns[r.IntN(len(patterns))])
		case k == 4:
			p := word(4)
			patterns = append(patterns, strings.Repeat(p, 1+r.IntN(4)))
		case k == 5 && r.IntN(4) == 0:
			patterns = append(patterns, "")
		default:
			patterns = append(patterns, word(10))
		}
	}
	var b strings.Builder
	for b.Len() < 400 {
		if len(patterns) > 0 && r.IntN(3) == 0 {
			b.WriteString(patterns[r.IntN(len(patterns))])
		} else {
			b.WriteString(word(6))
		}
	}
	return patterns, b.String()
}

// TestMatchMatchesReference compares Match with the reference matcher on
// random pattern sets, with dense tables from the root's row alone to
// every state's.
func TestMatchMatchesReference(t *testing.T) {
	var all []string
	for b := range 256 {
		all = append(all, string(rune(b))[:1])
	}
	alphabets := [][]string{
		{"a", "b"},
		{"a", "b", "c", " "},
		{"é", "ệ", "e", "\u0301"},
		{"西", "港", "ก", "ข", "a"},
		{"a", "\xff", "\xe0", "\x80", "\x00"},
		all,
	}
	r := rand.New(rand.NewPCG(21, 22))
	for iter := range 4000 {
		alpha := alphabets[iter%len(alphabets)]
		patterns, text := randomCase(r, alpha)
		for _, cells := range []int{0, 1 + r.IntN(64), 1 + r.IntN(4096), maxDenseCells} {
			checkAgainstReference(t, patterns, text, cells)
		}
	}
}

// TestFoldedMatchesReference compares a matcher built with folded bytes
// with the reference run on patterns and text folded beforehand: the
// detector's fold of line breaks to spaces, and a fold of the byte that
// would otherwise be the pad (so the pad must be another), over texts with
// broken UTF-8 and patterns that hold folded bytes themselves.
func TestFoldedMatchesReference(t *testing.T) {
	folds := []map[byte]byte{
		{'\n': ' '},
		{'\x00': ' ', '\n': ' ', 'A': 'a'},
	}
	alphabets := [][]string{
		{"a", "b", " ", "\n"},
		{"a", "A", " ", "\n", "\x00", "é", "西", "\xff", "\xe8"},
	}
	r := rand.New(rand.NewPCG(51, 52))
	for iter := range 2000 {
		alpha := alphabets[iter%len(alphabets)]
		patterns, text := randomCase(r, alpha)
		for _, cells := range []int{0, 1 + r.IntN(4096), maxDenseCells} {
			checkFoldedAgainstReference(t, patterns, text, cells, folds[iter/2%len(folds)])
		}
	}
	m := NewFolded([]string{"free flight"}, map[byte]byte{'\n': ' '})
	if got := matchAll(m.Match, "free\nflight", 0); !slices.Equal(got, []hit{{0, 0, 11}}) {
		t.Errorf("free flight in free\\nflight: got %v", got)
	}
	if m := build([]string{"a b"}, maxDenseCells, map[byte]byte{0: ' '}); m.pad == 0 || !m.utf8 {
		t.Errorf("pad %#x (utf8 %v): the folded byte 0 stands in for invalid bytes", m.pad, m.utf8)
	}
}

// TestMatchMatchesReferenceAllBytes uses patterns over every byte value,
// so that each byte is its own class.
func TestMatchMatchesReferenceAllBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	for range 50 {
		patterns := []string{"\x00\xff"}
		for b := range 256 {
			patterns = append(patterns, string([]byte{byte(b), byte(r.IntN(256))}))
		}
		text := make([]byte, 3000)
		for i := range text {
			text[i] = byte(r.IntN(256))
		}
		for _, cells := range []int{0, 257, 257 * 40, maxDenseCells} {
			checkAgainstReference(t, patterns, string(text), cells)
		}
	}
}

// FuzzMatchMatchesReference checks that Match reports exactly what the
// reference matcher does. patterns holds the patterns, each after a byte
// giving its length; cells bounds the dense table.
func FuzzMatchMatchesReference(f *testing.F) {
	f.Add([]byte("\x02he\x03she\x03his\x04hers"), "ushers", uint16(0))
	f.Add([]byte("\x01a\x02aa\x03aaa\x00\x02aa"), "aaaaaaa", uint16(3))
	f.Add([]byte("\x06西港\x03港\x02\xe8\xa5"), "去西港工作西", uint16(7))
	f.Add([]byte("\x03abc\x02bc\x01c\x04abcx\x01x"), "abcxabcabx", uint16(2000))
	f.Add([]byte("\x06西港\x03港\x02é"), "去西\xe8港\xa5工é作\xff西", uint16(40))
	f.Fuzz(func(t *testing.T, enc []byte, text string, cells uint16) {
		var patterns []string
		for len(enc) > 0 {
			n := min(int(enc[0]), len(enc)-1)
			patterns = append(patterns, string(enc[1:1+n]))
			enc = enc[1+n:]
		}
		checkAgainstReference(t, patterns, text, int(cells))
	})
}

// FuzzFoldedMatchesReference is FuzzMatchMatchesReference for a matcher
// that reads a line break as a space (as the detector's does) and, when
// foldNUL is set, also the byte 0, which is otherwise the pad.
func FuzzFoldedMatchesReference(f *testing.F) {
	f.Add([]byte("\x0bfree flight\x02no"), "free\nflight no\n", uint16(0), false)
	f.Add([]byte("\x03a\nb\x03a b"), "a b a\nb\x00\xff", uint16(5), true)
	f.Fuzz(func(t *testing.T, enc []byte, text string, cells uint16, foldNUL bool) {
		var patterns []string
		for len(enc) > 0 {
			n := min(int(enc[0]), len(enc)-1)
			patterns = append(patterns, string(enc[1:1+n]))
			enc = enc[1+n:]
		}
		fold := map[byte]byte{'\n': ' '}
		if foldNUL {
			fold[0] = ' '
		}
		checkFoldedAgainstReference(t, patterns, text, int(cells), fold)
	})
}

// TestMatchUTF8Rows compares Match with the reference on patterns that are
// all valid UTF-8 (so that rows are kept per kind of byte) over texts of
// characters of one to four bytes, some of them broken: cut short, stray
// continuation bytes, bytes that are never UTF-8, and the pad byte itself.
func TestMatchUTF8Rows(t *testing.T) {
	alpha := []string{"a", "b", " ", "é", "ệ", "é", "西", "港", "ก", "ข", "😀", "𝒜", "ш"}
	broken := []string{"\xe8", "\xe8\xa5", "\xa5", "\x80", "\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf0\x9f\x98", "\x00"}
	r := rand.New(rand.NewPCG(41, 42))
	for iter := range 3000 {
		var patterns []string
		for range 1 + r.IntN(30) {
			var b strings.Builder
			for range 1 + r.IntN(5) {
				b.WriteString(alpha[r.IntN(len(alpha))])
			}
			patterns = append(patterns, b.String())
		}
		var b strings.Builder
		for b.Len() < 300 {
			switch k := r.IntN(10); {
			case k < 3:
				b.WriteString(patterns[r.IntN(len(patterns))])
			case k == 3 && iter%2 == 1:
				b.WriteString(broken[r.IntN(len(broken))])
			default:
				b.WriteString(alpha[r.IntN(len(alpha))])
			}
		}
		m := build(patterns, maxDenseCells, nil)
		if !m.utf8 {
			t.Fatalf("patterns %q: rows not kept per kind of byte", patterns)
		}
		for _, cells := range []int{0, 1 + r.IntN(200), 1 + r.IntN(4096), maxDenseCells} {
			checkAgainstReference(t, patterns, b.String(), cells)
		}
	}
	if build([]string{"a\xff"}, maxDenseCells, nil).utf8 {
		t.Error("a pattern that is not UTF-8 did not turn off rows per kind of byte")
	}
}

// TestBuildBudget checks that the dense budget is honoured, so that the
// tests above exercise sparse states.
func TestBuildBudget(t *testing.T) {
	patterns := []string{"abcdef", "bcd", "cdefgh", "xyz"}
	for _, cells := range []int{0, 10, 100} {
		m := build(patterns, cells, nil)
		// At least the root's row and its three stand-ins inside a
		// character, each with its two header cells.
		if len(m.dense) > max(cells, 2+int(m.width[0])+3*(2+int(m.width[1]))) {
			t.Errorf("%d cells: dense table has %d", cells, len(m.dense))
		}
		if len(m.sparse) == 0 {
			t.Errorf("%d cells: no sparse states", cells)
		}
	}
	if m := build(patterns, maxDenseCells, nil); len(m.sparse) != 0 {
		t.Errorf("%d sparse words with an ample budget", len(m.sparse))
	}
}
