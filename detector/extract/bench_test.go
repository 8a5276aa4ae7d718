package extract

import "testing"

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

func BenchmarkSalaries(b *testing.B) {
	rates := DefaultRates()
	benchCorpus(b, func(s string) { Salaries(s, rates) })
}

func BenchmarkPlaces(b *testing.B) { benchCorpus(b, func(s string) { Places(s) }) }

func BenchmarkContacts(b *testing.B) { benchCorpus(b, func(s string) { Contacts(s, "") }) }

func BenchmarkEmployer(b *testing.B) { benchCorpus(b, func(s string) { Employer(s) }) }

func BenchmarkLanguage(b *testing.B) { benchCorpus(b, func(s string) { Language(s) }) }
