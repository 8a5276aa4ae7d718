package ahocorasick_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch/detector/internal/ahocorasick"
	"github.com/lurewatch/lurewatch/detector/rulefmt"
	"github.com/lurewatch/lurewatch/detector/textnorm"
)

// Paths of the shipped rules and of the corpora, relative to this package.
const (
	rulesPath  = "../../../configs/rules/lures.yaml"
	corpusPath = "../../../../shared/corpus/dev.jsonl"
	fallback   = "../../testdata/*.jsonl"
)

// realData is what the realistic benchmarks and tests run on: the phrases of
// the shipped rules, normalised as the detector compiles them, and the
// normalised title and text of every ad of the corpus.
type realData struct {
	patterns []string
	texts    []string
	// bytes is the total length of texts.
	bytes int64
	// source is the corpus the texts come from: corpusPath or fallback.
	source string
}

// shipped is the realData, loaded once per test binary by loadReal.
var (
	shippedOnce sync.Once
	shipped     realData
	shippedErr  error
)

// loadReal loads the shipped rules and the corpus once per test binary. The
// corpus is dev.jsonl when present, else the ads under detector/testdata.
func loadReal(tb testing.TB) *realData {
	tb.Helper()
	shippedOnce.Do(func() { shippedErr = readReal(&shipped) })
	if shippedErr != nil {
		tb.Fatal(shippedErr)
	}
	if shipped.source != corpusPath {
		tb.Logf("%s is absent; using %s", corpusPath, shipped.source)
	}
	return &shipped
}

// readReal reads the shipped rules and the corpus into d.
func readReal(d *realData) error {
	data, err := os.ReadFile(rulesPath)
	if err != nil {
		return err
	}
	rules, err := rulefmt.Parse(rulesPath, data)
	if err != nil {
		return err
	}
	for _, ind := range rules.Indicators {
		for _, p := range ind.NormPhrases {
			d.patterns = append(d.patterns, p.Text)
		}
	}
	files := []string{corpusPath}
	d.source = corpusPath
	if _, err := os.Stat(corpusPath); err != nil {
		if files, err = filepath.Glob(fallback); err != nil {
			return err
		}
		d.source = fallback
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		for line := range bytes.Lines(data) {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			var ad struct{ Title, Text string }
			if err := json.Unmarshal(line, &ad); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			for _, s := range []string{ad.Title, ad.Text} {
				if n := textnorm.String(s); n != "" {
					d.texts = append(d.texts, n)
					d.bytes += int64(len(n))
				}
			}
		}
	}
	if len(d.texts) == 0 {
		return fmt.Errorf("no ads in %s", d.source)
	}
	return nil
}

// TestMatchRealMatchesReference checks that Match reports exactly what the
// reference matcher does, in the same order, for the shipped rules over
// the corpus.
func TestMatchRealMatchesReference(t *testing.T) {
	d := loadReal(t)
	m, ref := ahocorasick.New(d.patterns), ahocorasick.NewReference(d.patterns)
	if m.Len() != ref.Len() {
		t.Fatalf("Len() = %d, reference %d", m.Len(), ref.Len())
	}
	type hit struct{ p, s, e int }
	all := func(match func(string, func(int, int, int) bool), text string) []hit {
		var out []hit
		match(text, func(p, s, e int) bool { out = append(out, hit{p, s, e}); return true })
		return out
	}
	n := 0
	for _, text := range d.texts {
		got, want := all(m.Match, text), all(ref.Match, text)
		if !slices.Equal(got, want) {
			t.Fatalf("text %q:\ngot  %v\nwant %v", text, got, want)
		}
		n += len(got)
	}
	if n == 0 {
		t.Fatal("no phrase matched the corpus")
	}
}

// matcher is what the benchmarks compare: the automaton and its reference.
type matcher interface {
	Match(text string, fn func(pattern, start, end int) bool)
}

// benchMatch matches every text of d with m, counting the occurrences.
func benchMatch(b *testing.B, m matcher, d *realData) {
	hits := 0
	count := func(pattern, start, end int) bool { hits++; return true }
	b.SetBytes(d.bytes)
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range d.texts {
			m.Match(t, count)
		}
	}
	b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
}

// BenchmarkMatch matches the shipped rules' phrases over the corpus, as
// the detector does for every field of every ad.
func BenchmarkMatch(b *testing.B) {
	d := loadReal(b)
	benchMatch(b, ahocorasick.New(d.patterns), d)
}

// BenchmarkMatchReference is BenchmarkMatch with the reference matcher, to
// compare in one run on a shared machine.
func BenchmarkMatchReference(b *testing.B) {
	d := loadReal(b)
	benchMatch(b, ahocorasick.NewReference(d.patterns), d)
}

// BenchmarkNew builds the automaton of the shipped rules' phrases.
func BenchmarkNew(b *testing.B) {
	d := loadReal(b)
	b.ReportAllocs()
	for b.Loop() {
		ahocorasick.New(d.patterns)
	}
}

// BenchmarkNewReference builds the reference automaton of the same phrases.
func BenchmarkNewReference(b *testing.B) {
	d := loadReal(b)
	b.ReportAllocs()
	for b.Loop() {
		ahocorasick.NewReference(d.patterns)
	}
}

// evictSink keeps the reads of evict from being optimised away.
var evictSink byte

// evict reads buf, one byte every stride bytes, pushing the automaton's
// tables out of the caches (a cache line at a time) or its pages out of the
// TLBs (a page at a time).
func evict(buf []byte, stride int) {
	var x byte
	for i := 0; i < len(buf); i += stride {
		x += buf[i]
	}
	evictSink += x
}

// BenchmarkMatchEvicted is BenchmarkMatch with the caches or the TLBs
// flushed between texts, as they are inside the detector, where the other
// passes run between two Match calls: reading 256 KiB or 1 MiB a line at a
// time evicts part or all of one core's L2 cache, reading one line of each
// page of 16 MiB evicts the TLBs but few lines. It reports the time and
// throughput of the Match calls alone (match-ns/op, match-MB/s); ns/op
// includes the flushing.
func BenchmarkMatchEvicted(b *testing.B) {
	for _, ev := range []struct {
		name          string
		bytes, stride int
	}{
		{"lines=256KiB", 256 << 10, 64},
		{"lines=1MiB", 1 << 20, 64},
		{"pages=16MiB", 16 << 20, 4096},
	} {
		b.Run(ev.name, func(b *testing.B) {
			d := loadReal(b)
			m := ahocorasick.New(d.patterns)
			buf := make([]byte, ev.bytes)
			for i := range buf {
				buf[i] = byte(i)
			}
			hits := 0
			count := func(pattern, start, end int) bool { hits++; return true }
			var in time.Duration
			n := 0
			for b.Loop() {
				for _, t := range d.texts {
					evict(buf, ev.stride)
					start := time.Now()
					m.Match(t, count)
					in += time.Since(start)
				}
				n++
			}
			b.ReportMetric(float64(in.Nanoseconds())/float64(n), "match-ns/op")
			b.ReportMetric(float64(d.bytes)*float64(n)/in.Seconds()/1e6, "match-MB/s")
			b.ReportMetric(float64(hits)/float64(n), "hits/op")
		})
	}
}
