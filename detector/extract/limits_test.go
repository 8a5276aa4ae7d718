package extract

import (
	"strings"
	"testing"
)

// pathologicalUnits repeat into inputs built to make a naive extractor slow
// (many triggers, long runs).
var pathologicalUnits = []string{"a.", "@a", "1 ", "111 ", "1.5w", "telegram ", "Co ", "Ltd ", ": ", "$", "西港", "a@b.cc ", "+8",
	"WA ", "Employer: ", "PT ", "有限公司", "https://", "x.com/", "１", "0", "-", "Laos"}

func pathologicalInputs() []string {
	out := make([]string, len(pathologicalUnits))
	for i, u := range pathologicalUnits {
		out[i] = strings.Repeat(u, 2*MaxBytes/len(u))
	}
	return out
}

// TestPathological runs every extractor on the pathological inputs: the
// work is bounded by MaxBytes (nothing past it is reported) and by
// MaxResults. How long it takes is BenchmarkPathological's business.
func TestPathological(t *testing.T) {
	for _, s := range pathologicalInputs() {
		name := s[:min(len(s), 12)]
		if got := Salaries(s, DefaultRates()); len(got) > MaxResults || (len(got) > 0 && got[len(got)-1].End > MaxBytes) {
			t.Errorf("Salaries on %q…: %d results, beyond the limits", name, len(got))
		}
		if got := Places(s); len(got) > MaxResults || (len(got) > 0 && got[len(got)-1].End > MaxBytes) {
			t.Errorf("Places on %q…: %d results, beyond the limits", name, len(got))
		}
		if got := Contacts(s, ""); len(got) > MaxResults || (len(got) > 0 && got[len(got)-1].End > MaxBytes) {
			t.Errorf("Contacts on %q…: %d results, beyond the limits", name, len(got))
		}
		if _, sp, ok := Employer(s); ok && sp.End > MaxBytes {
			t.Errorf("Employer on %q…: span %v beyond MaxBytes", name, sp)
		}
		_ = Language(s)
	}
}

// BenchmarkPathological measures the worst inputs for all extractors
// together; compare its MB/s with the per-extractor corpus benchmarks.
func BenchmarkPathological(b *testing.B) {
	in := pathologicalInputs()
	var n int64
	for _, s := range in {
		n += int64(min(len(s), MaxBytes))
	}
	b.SetBytes(n)
	for b.Loop() {
		for _, s := range in {
			Salaries(s, DefaultRates())
			Places(s)
			Contacts(s, "")
			Employer(s)
			Language(s)
		}
	}
}
