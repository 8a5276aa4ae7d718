package extract

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// corpusTexts returns the title and text of every ad in the detector's test
// corpora, as seeds and benchmark input.
func corpusTexts(tb testing.TB) []string {
	tb.Helper()
	files, _ := filepath.Glob("../testdata/labelled/*.jsonl")
	files = append([]string{"../testdata/ads.jsonl"}, files...)
	var out []string
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatalf("open corpus: %v", err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			var ad struct{ Title, Text string }
			if err := json.Unmarshal(sc.Bytes(), &ad); err != nil {
				continue
			}
			out = append(out, ad.Title+"\n"+ad.Text)
		}
		f.Close()
	}
	if len(out) == 0 {
		tb.Fatal("no corpus ads")
	}
	return out
}

// hostileSeeds are inputs meant to trip offsets: invalid UTF-8, lone
// continuation bytes, combining marks, very long runs.
var hostileSeeds = []string{
	"", "\xff", "$\xff1500", "\xe2\x82", "1.5w\xc3", "@\x80abc_def", "t.me/\xff", "+855\xa010 000 007",
	"Ｓｉｈａｎｏｕｋｖｉｌｌｅ", "Lào\u0301", "西港\u200b西港", "٣٠٠٠ USD", "$1,000,000,000,000,000",
	"1.5.5.5.5w", "$-", "--$$$---", "RM", "Employer:", "公司：", "Công ty TNHH", "wa.me/", "line.me/ti/p/~",
}

func seedAll(f *testing.F, extra []string) {
	for _, s := range extra {
		f.Add(s)
	}
	for _, s := range hostileSeeds {
		f.Add(s)
	}
	for _, s := range corpusTexts(f) {
		f.Add(s)
	}
}

func FuzzSalaries(f *testing.F) {
	var seeds []string
	for _, c := range salaryCases {
		seeds = append(seeds, c.in)
	}
	seedAll(f, seeds)
	rates := DefaultRates()
	f.Fuzz(func(t *testing.T, s string) {
		prev := -1
		for _, x := range Salaries(s, rates) {
			checkSpan(t, s, x.Span, x.Text)
			if x.Start < prev {
				t.Fatalf("results out of order or overlapping: %+v", x)
			}
			prev = x.End
			if x.Min > x.Max || x.Min < 0 || math.IsNaN(x.USDPerMonth) || math.IsInf(x.USDPerMonth, 0) || x.USDPerMonth < 0 {
				t.Fatalf("bad amounts: %+v", x)
			}
			if x.Period != "" && periodPerMonth[x.Period] == 0 {
				t.Fatalf("bad period: %+v", x)
			}
		}
	})
}

func FuzzPlaces(f *testing.F) {
	var seeds []string
	for _, c := range placeCases {
		seeds = append(seeds, c.in)
	}
	seedAll(f, seeds)
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, p := range Places(s) {
			checkSpan(t, s, p.Span, p.Text)
			if p.Start < prev || p.Start == p.End {
				t.Fatalf("results out of order, overlapping or empty: %+v", p)
			}
			prev = p.End
			if p.ID == "" || p.Kind == "" || p.Country == "" {
				t.Fatalf("incomplete place: %+v", p)
			}
		}
	})
}

func FuzzContacts(f *testing.F) {
	var seeds []string
	for _, c := range contactCases {
		seeds = append(seeds, c.in)
	}
	seedAll(f, seeds)
	f.Fuzz(func(t *testing.T, s string) {
		for _, region := range []string{"", "VN"} {
			prev := 0
			for _, c := range Contacts(s, region) {
				checkSpan(t, s, c.Span, c.Text)
				if c.Start < prev || c.Start == c.End {
					t.Fatalf("results out of order, overlapping or empty: %+v", c)
				}
				prev = c.End
				if c.Kind == "" || c.Value == "" {
					t.Fatalf("incomplete contact: %+v", c)
				}
			}
		}
	})
}

func FuzzEmployer(f *testing.F) {
	var seeds []string
	for _, c := range employerCases {
		seeds = append(seeds, c.in)
	}
	seedAll(f, seeds)
	f.Fuzz(func(t *testing.T, s string) {
		name, span, ok := Employer(s)
		if !ok {
			if name != "" || span != (Span{}) {
				t.Fatalf("not ok but %q %v", name, span)
			}
			return
		}
		if name == "" {
			t.Fatal("ok with an empty name")
		}
		checkSpan(t, s, span, name)
	})
}

// languageCodes are the codes Language may return: the scripts', the
// stop-word languages', and those refineScript tells apart.
var languageCodes = func() map[string]bool {
	m := map[string]bool{"": true, "zh": true, "ja": true, "ko": true, "vi": true}
	for _, l := range scriptNames {
		m[l] = true
	}
	for _, l := range stopOrder {
		m[l] = true
	}
	for _, l := range []string{"ne", "mr", "ti", "fa", "ur", "ps", "uk", "be", "kk", "ky", "tg", "uz"} {
		m[l] = true
	}
	return m
}()

func FuzzLanguage(f *testing.F) {
	var seeds []string
	for _, c := range languageCases {
		seeds = append(seeds, c.in)
	}
	seedAll(f, seeds)
	f.Fuzz(func(t *testing.T, s string) {
		if got := Language(s); !languageCodes[got] {
			t.Fatalf("Language returned %q", got)
		}
	})
}

// TestHugeInput checks that extractors read only MaxBytes and stay quick on
// input built to produce many candidates.
func TestHugeInput(t *testing.T) {
	unit := "$1,500/month Sihanoukville @hr_fictional_07 WA +855 10 000 007 a@b.com Employer: X Co., Ltd\n"
	var b []byte
	for len(b) < 4*MaxBytes {
		b = append(b, unit...)
	}
	s := string(b)
	if n := len(Salaries(s, DefaultRates())); n == 0 || n > MaxResults {
		t.Errorf("Salaries: %d results", n)
	}
	for _, p := range Places(s) {
		if p.End > MaxBytes {
			t.Fatalf("place beyond MaxBytes: %+v", p)
		}
	}
	if n := len(Contacts(s, "")); n == 0 || n > MaxResults {
		t.Errorf("Contacts: %d results", n)
	}
	if _, sp, ok := Employer(s); !ok || sp.End > MaxBytes {
		t.Errorf("Employer: %v %v", sp, ok)
	}
	if got := Language(s); !languageCodes[got] {
		t.Errorf("Language: %q", got)
	}
}
