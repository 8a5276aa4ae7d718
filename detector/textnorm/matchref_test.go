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
	"unicode/utf8"
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
	// Copied segments (a character with its marks) next to evasion that
	// is undone, and to what is not copied.
	"★\u0e48a b c d", "x ★\u0e48 a b c d e", "ต่ a.b.c", "ក្ម a b c d", "ต่T3l3gr@m", "★\u0e48\u0e48$abcd", "ต่\u200bต่",
	"ต่ต่ต่ ต่\xffต่ ต่\u0301", "ต่ ΤΕLΕGRΑΜ ต่", "กา\u0e48\u0e31 a b c d ก\u0e48\u0e48\u0e48",
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
	// The map of every byte, which is what Span returns for every span.
	for i := range want.Norm {
		gs, ge := got.Span(i, i+1)
		ws, we := spanAt(&want.offsets, want.Norm, i)
		if gs != int(ws) || ge != int(we) {
			t.Fatalf("%q: byte %d of %q maps to [%d,%d), reference [%d,%d)", in, i, want.Norm, gs, ge, ws, we)
		}
		if s, e := spanAt(&got.offsets, got.Norm, i); int(s) != gs || int(e) != ge {
			t.Fatalf("%q: byte %d of %q maps to [%d,%d) by Span, [%d,%d) by spanAt", in, i, want.Norm, gs, ge, s, e)
		}
	}
	if len(want.offsets.xs) != len(want.Norm) || len(want.offsets.xe) != len(want.Norm) {
		t.Fatalf("%q: reference map has %d,%d entries for %d bytes", in, len(want.offsets.xs), len(want.offsets.xe), len(want.Norm))
	}
	checkRuns(t, got)
}

// checkRuns fails unless the runs of t's offset map are well formed: the
// first at byte 0, in order, explicit runs within their entries, copy runs
// starting at a character boundary.
func checkRuns(t *testing.T, txt *Text) {
	t.Helper()
	m := &txt.offsets
	if len(txt.Norm) == 0 {
		return
	}
	if len(m.runs) == 0 || m.runs[0].at != 0 {
		t.Fatalf("%q: map runs %v do not start at 0", txt.Orig, m.runs)
	}
	for k, r := range m.runs {
		next := int32(len(txt.Norm))
		if k+1 < len(m.runs) {
			next = m.runs[k+1].at
		}
		switch {
		case r.at > next || int(r.at) >= len(txt.Norm):
			t.Fatalf("%q: map run %d %v out of order (%v)", txt.Orig, k, r, m.runs)
		case r.x >= 0 && (int(r.x+next-r.at) > len(m.xs) || int(r.x+next-r.at) > len(m.xe)):
			t.Fatalf("%q: explicit map run %d %v past its %d entries", txt.Orig, k, r, len(m.xs))
		case r.x < 0 && !utf8.RuneStart(txt.Norm[r.at]):
			t.Fatalf("%q: copy map run %d %v inside a character", txt.Orig, k, r)
		}
	}
	// The block index finds the run that a binary search finds.
	if want := (len(txt.Norm) + mapBlock - 1) / mapBlock; len(m.blocks) != want {
		t.Fatalf("%q: %d map blocks for %d bytes, want %d", txt.Orig, len(m.blocks), len(txt.Norm), want)
	}
	for k := range len(txt.Norm) {
		if got, want := m.index(k), m.search(k); got != want {
			t.Fatalf("%q: byte %d is in map run %d by the block index, %d by search", txt.Orig, k, got, want)
		}
	}
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
		"ß", "İ", "\u0300", "\u0327", "k", "е", "а", "Т", "Ν", "ν", "д", ".com", "\t", "\u3000", "\u2028", "ก", "ต่", "\x00",
		// Letters of flags, upside-down and parenthesized letters.
		"🇹", "🇪", "🇰🇭", "🇦", "ɐ", "ɯ", "ǝ", "ʇ", "q", "uı", "¡", "˙", "⒯", "⑴", "ɔ"}
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

// TestNonStartersAreWordRunes checks what undoEvasionIn relies on to cut
// the offset map only between normalisation segments: every character of
// the BMP that continues a segment is a word character, so never a
// boundary of the part of the text where evasion is undone.
func TestNonStartersAreWordRunes(t *testing.T) {
	tab := bmpTable()
	for r := rune(utf8.RuneSelf); r < 0x10000; r++ {
		if utf8.ValidRune(r) && tab[r]&bmpStarts == 0 && !isWordRune(r) {
			t.Errorf("%U continues a segment and is not a word character", r)
		}
	}
}

// TestNormKeptAfterReuse checks that the normalised texts a reused
// Normalizer returns stay as they were while it normalises other texts
// into the same buffers.
func TestNormKeptAfterReuse(t *testing.T) {
	in := referenceInputs(t)
	var n Normalizer
	var txt Text
	kept := make([]string, len(in))
	for i, s := range in {
		n.NormalizeInto(&txt, s)
		kept[i] = txt.Norm
	}
	for i, s := range in {
		if want := String(s); kept[i] != want {
			t.Fatalf("%q: Norm became %q after reuse, want %q", s, kept[i], want)
		}
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
