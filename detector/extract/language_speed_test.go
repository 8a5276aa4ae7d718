package extract

import (
	"strings"
	"testing"
)

// benchAdParts runs fn over the title and text of every ad of the test
// corpora per iteration, as detector.Assess calls LanguageOf.
func benchAdParts(b *testing.B, fn func(title, text string)) {
	type ad struct{ title, text string }
	var ads []ad
	n := 0
	for _, s := range corpusTexts(b) {
		title, text, _ := strings.Cut(s, "\n")
		ads = append(ads, ad{title, text})
		n += len(title) + len(text)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, a := range ads {
			fn(a.title, a.text)
		}
	}
}

// BenchmarkLanguageCorpus and BenchmarkLanguageRef compare LanguageOf with
// its reference in one binary.
func BenchmarkLanguageCorpus(b *testing.B) {
	benchAdParts(b, func(title, text string) { LanguageOf(title, text) })
}

func BenchmarkLanguageRef(b *testing.B) {
	benchAdParts(b, func(title, text string) { languageRef(title, text) })
}
