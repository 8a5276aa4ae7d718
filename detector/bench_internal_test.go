package detector

import (
	"errors"
	"os"
	"testing"

	"github.com/lurewatch/lurewatch/detector/textnorm"
)

// BenchmarkAssessNaive is the baseline for BenchmarkAssess (package
// detector_test), over the same ads and with the same MB/s accounting:
// normalise each field, then run every rule phrase as a regexp of its own
// and every rule pattern over the whole text (see naiveMatcher). It does
// no scoring, so the ratio of the two understates the engine's gain.
func BenchmarkAssessNaive(b *testing.B) {
	d := loadRules(b)
	nm := newNaive(d)
	path := "../../shared/corpus/dev.jsonl"
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		b.Logf("%s not found (it is only in the lurewatch workspace): benchmarking on testdata/ads.jsonl", path)
		path = "testdata/ads.jsonl"
	}
	texts := corpusTexts(b, path)
	var total int64
	for _, s := range texts {
		total += int64(len(s))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	var n textnorm.Normalizer
	var t textnorm.Text
	var hits []naiveHit
	for b.Loop() {
		for _, s := range texts {
			n.NormalizeInto(&t, s)
			hits = nm.match(t.Norm, hits[:0])
		}
	}
}
