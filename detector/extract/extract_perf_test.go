package extract

import "testing"

// The benchmarks below run Salaries and Employer and their references in
// one binary over the same corpus, so a change can be judged by comparing
// the pairs' ns/op.

func BenchmarkSalariesCorpus(b *testing.B) {
	rates := DefaultRates()
	benchCorpus(b, func(s string) { Salaries(s, rates) })
}

func BenchmarkSalariesRef(b *testing.B) {
	rates := DefaultRates()
	benchCorpus(b, func(s string) { salariesRef(s, rates) })
}

func BenchmarkEmployerCorpus(b *testing.B) { benchCorpus(b, func(s string) { Employer(s) }) }

func BenchmarkEmployerRef(b *testing.B) { benchCorpus(b, func(s string) { employerRef(s) }) }
