package detector

import (
	"bufio"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"

	"github.com/lurewatch/lurewatch/detector/textnorm"
)

func loadRules(t testing.TB) *Detector {
	t.Helper()
	data, err := os.ReadFile("../configs/rules/lures.yaml")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Load("lures.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// corpusTexts returns the titles and texts of the ads in path, or nil
// when path does not exist.
func corpusTexts(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var c struct{ Title, Text string }
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c.Title, c.Text)
	}
	return out
}

// testTexts returns the testdata ads and, when the workspace has it, the
// shared dev corpus.
func testTexts(t testing.TB) []string {
	texts := corpusTexts(t, "testdata/ads.jsonl")
	if dev := corpusTexts(t, "../../shared/corpus/dev.jsonl"); dev != nil {
		texts = append(texts, dev...)
	} else {
		t.Log("../../shared/corpus/dev.jsonl not found: testing on testdata only")
	}
	return texts
}

func sortHits(h []naiveHit) {
	slices.SortFunc(h, func(a, b naiveHit) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return a.end - b.end
		}
		return a.p - b.p
	})
}

// TestNaiveFindsSamePhrases: the automaton with its boundary checks finds
// exactly the phrase matches that one regexp per phrase finds.
func TestNaiveFindsSamePhrases(t *testing.T) {
	d := loadRules(t)
	nm := newNaive(d)
	// The baseline is slow (and slower under -race): a sample of the texts.
	texts := testTexts(t)
	n := 80
	if raceEnabled || testing.Short() {
		n = 12
	}
	if len(texts) > n {
		step := len(texts) / n
		var sample []string
		for i := 0; i < len(texts) && len(sample) < n; i += step {
			sample = append(sample, texts[i])
		}
		texts = sample
	}
	// Phrases wrapped across a line break.
	texts = append(texts, "we offer free\nflight tickets, no\nexperience needed")
	// Phrases written in Cantonese, as written and in their Mandarin form
	// (phraseForms), which both engines hold.
	texts = append(texts, "千祈唔好去，有冇人知？千祈不要去，有没人知？")
	for _, text := range texts {
		norm := textnorm.String(text)
		var got []naiveHit
		d.ac.Match(norm, func(p, s, e int) bool {
			if p < len(d.phrases) && d.bounded(p, norm, s, e) {
				got = append(got, naiveHit{p, s, e})
			}
			return true
		})
		var want []naiveHit
		for _, h := range nm.match(norm, nil) {
			if h.p < len(d.phrases) {
				want = append(want, h)
			}
		}
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Fatalf("%.60q: automaton found %v, naive %v", norm, got, want)
		}
	}
}

// lineMatches runs regexp i of rs on every line of text, as the detector
// did before windows.
func lineMatches(rs *regexSet, i int, text string) [][]int {
	var out [][]int
	l := splitLines(text, nil)
	for li := range l.starts {
		s, e := l.line(li)
		for _, m := range rs.res[i].FindAllStringSubmatchIndex(text[s:e], -1) {
			for k := range m {
				if m[k] >= 0 {
					m[k] += s
				}
			}
			out = append(out, m)
		}
	}
	return out
}

// windows returns, for each regexp of d's regexSet, the windows scanField
// runs it on in text.
func windows(d *Detector, text string) (lines, [][]window) {
	var hits []litHit
	d.ac.Match(text, func(p, s, e int) bool {
		if l := p - len(d.phrases); l >= 0 && d.litAt(l, text, s, e) {
			hits = append(hits, litHit{int32(l), int32(s), int32(e)})
		}
		return true
	})
	l := splitLines(text, nil)
	var c candidateSet
	d.res.candidates(l, hits, &c)
	return l, c.win
}

// TestWindowsFindWhatLinesFind: running each pattern only in windows
// around its literals, and only where its DFA says it matches (for a
// pattern whose span is all that is needed, finding that span with DFAs
// alone), finds exactly the matches running it on every line finds, on the corpora and on random texts built from the pieces the
// patterns look for.
func TestWindowsFindWhatLinesFind(t *testing.T) {
	d := loadRules(t)
	texts := testTexts(t)
	random := 3000
	if raceEnabled || testing.Short() {
		texts, random = corpusTexts(t, "testdata/ads.jsonl"), 300
	}
	r := rand.New(rand.NewPCG(5, 6))
	pieces := []string{"1", "2", "7", "9", "0", "15", "1,500", "$", "usd", " ", " ", "\n", "-", "age", "aged", "to", "18", "25",
		"tr", "trieu", "@", "hr_x", "line", "wechat", "id", ":", "t.me/", "wa.me/", "+855", "years", "visa", "free", "a", "x",
		"_", ".", "(", "西港", "อายุ", "ปี", "k", "++", "passport", "kept", "12", "hours", "php", "rs.", "jt", "per month"}
	for range random {
		var b strings.Builder
		for range r.IntN(40) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		texts = append(texts, b.String())
	}
	// The DFA caches live across texts, as in a pooled scan.
	caches := make([]reCaches, len(d.res.res))
	for _, text := range texts {
		checkWindows(t, d, caches, text)
	}
}

// checkWindows checks that d's regexSet finds in the windows of text what
// running every pattern on every line finds.
func checkWindows(t *testing.T, d *Detector, caches []reCaches, text string) {
	t.Helper()
	norm := textnorm.String(text)
	l, win := windows(d, norm)
	for i := range d.res.res {
		got, want := d.res.find(nil, i, l, win[i], 1<<30, &caches[i]), lineMatches(d.res, i, norm)
		if d.res.spanOnly[i] {
			// Only the span is asked for, and found by the DFAs.
			for j, m := range want {
				want[j] = m[:2]
			}
		}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("pattern %s on %q:\nwindows %v\nlines   %v", d.res.res[i], norm, got, want)
		}
	}
}

func FuzzWindowsFindWhatLinesFind(f *testing.F) {
	d := loadRules(f)
	for _, text := range corpusTexts(f, "testdata/ads.jsonl") {
		f.Add(text)
	}
	caches := make([]reCaches, len(d.res.res))
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 2000 {
			text = text[:2000]
		}
		checkWindows(t, d, caches, text)
	})
}

func TestMaxWidth(t *testing.T) {
	for _, tt := range []struct {
		re   string
		want int
	}{
		{`abc`, 3}, {`a|bcd`, 3}, {`a?b{2,5}`, 6}, {`x+`, -1}, {`[^\n]{0,3}`, 12}, {`西港`, 6}, {`\bab\b`, 2}, {`(?i)k`, 4},
	} {
		if got := maxWidth(mustParse(t, tt.re)); got != tt.want {
			t.Errorf("maxWidth(%s) = %d, want %d", tt.re, got, tt.want)
		}
	}
}

func mustParse(t *testing.T, re string) *syntax.Regexp {
	t.Helper()
	tree, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
