package textnorm

import (
	"testing"
)

// Test inputs: the shared dev corpus (only in the lurewatch workspace) and
// the detector's test ads.
const (
	devCorpus = "../../../shared/corpus/dev.jsonl"
	testAds   = "../testdata/ads.jsonl"
)

// corpusTexts returns the titles and texts of the ads of the shared dev
// corpus or, when the workspace does not have it, of the detector's test
// ads.
func corpusTexts(b *testing.B) []string {
	b.Helper()
	texts := seedTexts(b, devCorpus)
	if texts == nil {
		b.Logf("%s not found: using %s", devCorpus, testAds)
		texts = seedTexts(b, testAds)
	}
	if len(texts) == 0 {
		b.Fatal("no ad texts to benchmark")
	}
	return texts
}

// benchmarkCorpus normalises every corpus text per iteration, as
// detector.Assess does: one Normalizer and one Text, reused.
func benchmarkCorpus(b *testing.B, normalizeInto func(*Normalizer, *Text, string)) {
	texts := corpusTexts(b)
	size := 0
	for _, s := range texts {
		size += len(s)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	var n Normalizer
	var t Text
	normalizeInto(&n, &t, texts[0]) // build the tables before timing
	for b.Loop() {
		for _, s := range texts {
			normalizeInto(&n, &t, s)
		}
	}
}

func BenchmarkNormalizeCorpus(b *testing.B) {
	benchmarkCorpus(b, (*Normalizer).NormalizeInto)
}

// BenchmarkNormalizeCorpusReference measures the reference normaliser on
// the same texts, to compare with BenchmarkNormalizeCorpus in one run.
func BenchmarkNormalizeCorpusReference(b *testing.B) {
	var ref refNormalizer
	benchmarkCorpus(b, func(_ *Normalizer, t *Text, s string) { ref.refNormalizeInto(t, s) })
}

// BenchmarkSpanCorpus maps spans of the normalised corpus texts back to
// the originals, about one span every 8 bytes, as the detector does for
// each match (of many fewer).
func BenchmarkSpanCorpus(b *testing.B) {
	texts := corpusTexts(b)
	var n Normalizer
	norm := make([]*Text, len(texts))
	spans := 0
	for i, s := range texts {
		norm[i] = n.Normalize(s)
		spans += (len(norm[i].Norm) + 7) / 8
	}
	b.ReportAllocs()
	sum := 0
	for b.Loop() {
		for _, t := range norm {
			for ns := 0; ns < len(t.Norm); ns += 8 {
				s, e := t.Span(ns, ns+5)
				sum += s + e
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*spans), "ns/span")
	if sum == 0 {
		b.Fatal("no spans")
	}
}
