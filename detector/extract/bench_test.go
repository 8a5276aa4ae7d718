package extract

import (
	"strings"
	"testing"
)

// benchCorpus runs fn over every ad of the test corpora per iteration and
// reports throughput in bytes of ad text.
func benchCorpus(b *testing.B, fn func(string)) {
	texts := corpusTexts(b)
	n := 0
	for _, s := range texts {
		n += len(s)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, s := range texts {
			fn(s)
		}
	}
}

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

// Each extractor that was rewritten for speed has a benchmark of its frozen
// reference (the *Ref functions of the *_ref tests) beside its own, over the
// same input, so that one run shows the ratio.

func BenchmarkSalaries(b *testing.B) {
	rates := DefaultRates()
	benchCorpus(b, func(s string) { Salaries(s, rates) })
}

func BenchmarkSalariesRef(b *testing.B) {
	rates := DefaultRates()
	benchCorpus(b, func(s string) { salariesRef(s, rates) })
}

func BenchmarkPlaces(b *testing.B) { benchCorpus(b, func(s string) { Places(s) }) }

func BenchmarkPlacesRef(b *testing.B) { benchCorpus(b, func(s string) { placesRef(s) }) }

func BenchmarkEmployer(b *testing.B) { benchCorpus(b, func(s string) { Employer(s) }) }

func BenchmarkEmployerRef(b *testing.B) { benchCorpus(b, func(s string) { employerRef(s) }) }

func BenchmarkLanguage(b *testing.B) {
	benchAdParts(b, func(title, text string) { LanguageOf(title, text) })
}

func BenchmarkLanguageRef(b *testing.B) {
	benchAdParts(b, func(title, text string) { languageRef(title, text) })
}

func BenchmarkContacts(b *testing.B) { benchCorpus(b, func(s string) { Contacts(s, "") }) }
