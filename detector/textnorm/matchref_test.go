package textnorm

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// trickySeeds are inputs on the edges of the fast path: evasion tricks
// next to text that needs none, invalid UTF-8, combining marks on and
// after every kind of character, emoji with variation selectors,
// full-width forms and mixed scripts.
var trickySeeds = []string{
	"W h a t s A p p", "a b c", "a b c d", "a.b.c", "a-b-c-d", "a_b_c_d", "a  b c d e", "x a b c", "ab c d e",
	"a b\nc d", "a b \n c d", "1 2 3 4", "1.2.3", "ก ข ค ง", "ง า น ต่ า ง", "a\u0301 b c d", "é b c d", "a b c dé",
	"T3l3gr@m", "hr@example.com", "a@b", "a@b-c", "a@b.c", "x@y z", "a@b@c.com", "a1b", "a!b", "$ihanoukville",
	"x$abcd", " $abcd", "$abc", "$$abcd", "!$abcd", "1$abcd", "$a0aa", "$A0AA", "a0", "0a", "a00b", "é0b", "ß3ß",
	"Теlеgrаm", "Telegrдм", "ТЕ", "аb", "Работа work", "ΤΕLΕGRΑΜ", "ν", "Νν", "aΝ", "a\u0301Ν",
	"\xff", "a\xff\u0301", "\xff\u0301b", "\xe0\xa4", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf", "a\xc3",
	"\u0301", "\u0301a", "e\u0301", "e\u0301\u0301\u0301", "e\u200b\u0301", "e\ufe0f\u0301", "ก\u200b\u0e48",
	"ต่", "ต่\u0301", "a\u0e48", "ก่\u0300", "ค\u0327\u0301", "Ω\u0301", "\u1100\u1161\u11a8", "\u1100\u1161",
	"\u1025\u102e", "\u0ccb\u0cd5", "\u0915\u093c", "\u0928\u093c", "q\u0307\u0323", "e\u0323\u0302",
	"✈️", "✈\ufe0e", "🛫️", "☎️📞", "a🛫b", "👍🏽", "🇰🇭", "\U000e0100", "a\U000e0100\u0301",
	"ｖｉｓａ", "Ｔ ｅ ｌ ｅ", "１２３", "ﬁ", "㍿", "ﷺ", "\u3000\u3000", "a\u2028b", "a\u0085\u2029b", "a \t\r\n b",
	"Lương", "Đi", "ǅ", "İstanbul", "ẞ", "Ⱥ", "ſ", "K", "Å", "ᾼ", "\u0345", "\u0130\u0307",
	"西港 包吃包住", "អាយុ ១៨", "၀၉ ၀၀၀", "อายุ ๑๘", "ကြီး", "សួស្តី", "Xin chào", "مرحبا", "שָׁלוֹם",
	"\x00\u0301", "a\x7f\u0301", "\u00ad\u0301", "\u2060a", "\u200d\u0301",
	"0000000000000000000000000000000000000000\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301" +
		"\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301" +
		"\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
	"ก" + strings.Repeat("\u0e48", 40), "a" + strings.Repeat("\u0e31", 33) + "b",
}

// referenceInputs returns every input the differential test checks: the
// shared dev corpus (when the workspace has it), every JSON-lines file
// under ../testdata, the package's test cases, fuzz seeds and fuzz corpus.
func referenceInputs(t testing.TB) []string {
	t.Helper()
	in := seedTexts(t, devCorpus)
	err := filepath.WalkDir("../testdata", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".jsonl") {
			in = append(in, seedTexts(t, path)...)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range normalizeTests {
		in = append(in, tt.in, tt.want)
	}
	for _, tt := range spanTests {
		in = append(in, tt.in)
	}
	in = append(in, fuzzSeeds...)
	in = append(in, trickySeeds...)
	return append(in, fuzzCorpus(t)...)
}

// fuzzCorpus returns the string inputs of the package's fuzz corpus files.
func fuzzCorpus(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/fuzz/*/*")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if q, ok := strings.CutPrefix(line, "string("); ok {
				s, err := strconv.Unquote(strings.TrimSuffix(q, ")"))
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				out = append(out, s)
			}
		}
	}
	return out
}

// checkMatchesReference fails unless n normalises in exactly as the
// reference normaliser does: the same Norm, Signals and offset map.
func checkMatchesReference(t *testing.T, n *Normalizer, got *Text, ref *refNormalizer, want *Text, in string) {
	t.Helper()
	n.NormalizeInto(got, in)
	ref.refNormalizeInto(want, in)
	if got.Norm != want.Norm {
		t.Fatalf("%q: Norm = %q, reference %q", in, got.Norm, want.Norm)
	}
	if !slices.Equal(got.Signals, want.Signals) {
		t.Fatalf("%q: Signals = %v, reference %v", in, got.Signals, want.Signals)
	}
	if !slices.Equal(got.start, want.start) || !slices.Equal(got.end, want.end) {
		for i := range want.Norm {
			if i >= len(got.start) || i >= len(got.end) || got.start[i] != want.start[i] || got.end[i] != want.end[i] {
				t.Fatalf("%q: byte %d of %q maps to %v, reference [%d,%d)", in, i, want.Norm, spanAt(got, i), want.start[i], want.end[i])
			}
		}
		t.Fatalf("%q: map has %d,%d entries, reference %d", in, len(got.start), len(got.end), len(want.start))
	}
}

// spanAt describes the map entry of byte i of t, or its absence.
func spanAt(t *Text, i int) string {
	if i >= len(t.start) || i >= len(t.end) {
		return "nothing"
	}
	return "[" + strconv.Itoa(int(t.start[i])) + "," + strconv.Itoa(int(t.end[i])) + ")"
}

// TestMatchesReference compares the normaliser with the reference on every
// test input, reusing one Normalizer and one Text as detector.Assess does,
// and on each input alone.
func TestMatchesReference(t *testing.T) {
	var n Normalizer
	var ref refNormalizer
	var got, want Text
	for _, in := range referenceInputs(t) {
		checkMatchesReference(t, &n, &got, &ref, &want, in)
		var n1 Normalizer
		var ref1 refNormalizer
		checkMatchesReference(t, &n1, new(Text), &ref1, new(Text), in)
	}
}

// TestMatchesReferenceRandom compares the normaliser with the reference on
// random mixtures of the pieces that trip up normalisation and evasion
// undoing.
func TestMatchesReferenceRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	pieces := []string{"visa", "Ｖｉｓａ", "FREE", "\u200b", "\u200d", "\ufe0f", " ", "  ", "\n", ".", "-", "_", "ง", "่", "西港",
		"é", "e\u0301", "ﬁ", "１２", "១២", "@", "0", "1", "3", "4", "$", "!", "\xff", "\xe0", "✈", "🛫", "Lương", "a", "b", "T",
		"ß", "İ", "\u0300", "\u0327", "k", "е", "а", "Т", "Ν", "ν", "д", ".com", "\t", "\u3000", "\u2028", "ก", "ต่", "\x00"}
	var n Normalizer
	var ref refNormalizer
	var got, want Text
	for range 20000 {
		var b strings.Builder
		for range r.IntN(24) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		checkMatchesReference(t, &n, &got, &ref, &want, b.String())
	}
}

// FuzzNormalizeMatchesReference checks that the normaliser and the
// reference agree on every input.
func FuzzNormalizeMatchesReference(f *testing.F) {
	for _, s := range referenceInputs(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		var n Normalizer
		var ref refNormalizer
		checkMatchesReference(t, &n, new(Text), &ref, new(Text), in)
	})
}
