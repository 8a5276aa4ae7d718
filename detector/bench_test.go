package detector_test

import (
	"errors"
	"os"
	"runtime"
	"testing"

	"github.com/lurewatch/lurewatch"
)

// devCorpus is the shared development corpus, relative to this package. A
// clone outside the lurewatch workspace does not have it; benchmarks then
// fall back to fallbackCorpus.
const (
	devCorpus      = "../../shared/corpus/dev.jsonl"
	fallbackCorpus = "testdata/ads.jsonl"
)

// benchAds returns the ads to benchmark on and their total size in bytes
// (title plus text), reading the dev corpus when present.
func benchAds(b *testing.B) ([]*lurewatch.Ad, int64) {
	b.Helper()
	path := devCorpus
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		b.Logf("%s not found (it is only in the lurewatch workspace): benchmarking on %s", devCorpus, fallbackCorpus)
		path = fallbackCorpus
	}
	var ads []*lurewatch.Ad
	var total int64
	for _, c := range readAds(b, path) {
		ads = append(ads, &lurewatch.Ad{ID: c.ID, Title: c.Title, Text: c.Text})
		total += int64(len(c.Title) + len(c.Text))
	}
	if len(ads) == 0 {
		b.Fatalf("%s: no ads", path)
	}
	return ads, total
}

// allocsPerAd measures the heap allocations of assessing every ad once,
// divided by the number of ads.
func allocsPerAd(ads []*lurewatch.Ad, assess func(*lurewatch.Ad)) float64 {
	for _, ad := range ads { // warm pools and lazily built state
		assess(ad)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for _, ad := range ads {
		assess(ad)
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / float64(len(ads))
}

// BenchmarkAssess measures the whole path (normalise, extract, match,
// score) over the dev corpus: MB/s of title and text, and allocations per
// ad.
func BenchmarkAssess(b *testing.B) {
	d := loadShipped(b)
	ads, total := benchAds(b)
	perAd := allocsPerAd(ads, func(ad *lurewatch.Ad) { d.Assess(ad) })
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, ad := range ads {
			d.Assess(ad)
		}
	}
	b.ReportMetric(perAd, "allocs/ad")
}

// BenchmarkAssessWarm assesses each ad of the dev corpus four times in a
// row. Against BenchmarkAssess, which assesses each once per pass over
// the corpus, it shows how much of the time goes to cache misses: the
// tables an ad needs are still in the caches for its second assessment.
func BenchmarkAssessWarm(b *testing.B) {
	d := loadShipped(b)
	ads, total := benchAds(b)
	const repeats = 4
	b.SetBytes(repeats * total)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, ad := range ads {
			for range repeats {
				d.Assess(ad)
			}
		}
	}
}

// BenchmarkAssessParallel assesses the dev corpus from GOMAXPROCS
// goroutines at once, as the detector workers of a deployment do: MB/s
// for all cores together. Against BenchmarkAssess (one goroutine) it shows
// how the work scales across cores, which share the last-level cache.
func BenchmarkAssessParallel(b *testing.B) {
	d := loadShipped(b)
	ads, total := benchAds(b)
	for _, ad := range ads { // warm pools and lazily built state
		d.Assess(ad)
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			for _, ad := range ads {
				d.Assess(ad)
			}
		}
	})
}
