package extract

import (
	"strings"
	"testing"
	"time"
)

// TestPathological runs every extractor on inputs built to make a naive
// implementation slow (many triggers, long runs) and checks each call stays
// fast. The bound is generous so a loaded CI machine does not flake.
func TestPathological(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	unit := []string{"a.", "@a", "1 ", "111 ", "1.5w", "telegram ", "Co ", "Ltd ", ": ", "$", "西港", "a@b.cc ", "+8", "WA ", "Employer: ",
		"PT ", "有限公司", "https://", "x.com/", "１", "0", "-", "Laos"}
	for _, u := range unit {
		s := strings.Repeat(u, 2*MaxBytes/len(u))
		for name, fn := range map[string]func(string){
			"Salaries": func(s string) { Salaries(s, DefaultRates()) },
			"Places":   func(s string) { Places(s) },
			"Contacts": func(s string) { Contacts(s, "") },
			"Employer": func(s string) { Employer(s) },
			"Language": func(s string) { Language(s) },
		} {
			start := time.Now()
			fn(s)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("%s on %q×%d took %v", name, u, len(s)/len(u), d)
			}
		}
	}
}
