package detector

import (
	"testing"

	"github.com/lurewatch/lurewatch"
)

func TestFoldWidth(t *testing.T) {
	text := "月薪＄１，５００　USD"
	folded, orig := foldWidth(text)
	if folded != "月薪$1,500 USD" {
		t.Fatalf("folded = %q", folded)
	}
	if len(orig) != len(folded)+1 || orig[len(folded)] != len(text) {
		t.Fatalf("map has %d entries for %d bytes", len(orig), len(folded))
	}
	// "$1,500" in the folded text is "＄１，５００" in the text as posted.
	s, e := len("月薪"), len("月薪$1,500")
	if got := text[orig[s]:orig[e]]; got != "＄１，５００" {
		t.Errorf("span maps back to %q", got)
	}
	if f, m := foldWidth("plain $1,500"); f != "plain $1,500" || m != nil {
		t.Errorf("plain text folded to %q with a map", f)
	}
}

// hasFullWidthRef is hasFullWidth as first written: a loop over the bytes.
func hasFullWidthRef(text string) bool {
	for i := 0; i+2 < len(text); i++ {
		switch {
		case text[i] == 0xEF && (text[i+1] == 0xBC || text[i+1] == 0xBD):
			return true
		case text[i] == 0xE3 && text[i+1] == 0x80 && text[i+2] == 0x80:
			return true
		}
	}
	return false
}

func TestHasFullWidth(t *testing.T) {
	cases := []string{"", "$1500", "＄１，５００", "月薪\u3000一万", "\xef\xbc", "a\xef\xbc", "\xef\xbd\x81", "\xe3\x80", "\xe3\x80\x80", "。"}
	for _, c := range append(cases, testTexts(t)...) {
		if got, want := hasFullWidth(c), hasFullWidthRef(c); got != want {
			t.Errorf("hasFullWidth(%.40q) = %v, want %v", c, got, want)
		}
	}
}

// TestPooledScanKeepsNoAd: a scan back in the pool holds no string of the
// ad it scored (its texts, entities, pay, places), so that the pool does
// not keep ads alive.
func TestPooledScanKeepsNoAd(t *testing.T) {
	d := loadRules(t)
	ad := &lurewatch.Ad{Title: "Customer service in Sihanoukville", Text: "Salary $1,500/month, free visa and flight. Contact @hr_fictional_01 on Telegram, mail hr@example.test"}
	a := d.Assess(ad)
	if len(a.Entities) == 0 {
		t.Fatal("test ad has no entities: it no longer tests the buffers")
	}
	s := d.scans.get()
	for _, f := range s.fields {
		if f.orig != "" || f.text.Orig != "" || f.text.Norm != "" {
			t.Errorf("pooled scan keeps a field's text: %q %q %q", f.orig, f.text.Orig, f.text.Norm)
		}
	}
	for _, e := range s.entities[:cap(s.entities)] {
		if e.Value != "" {
			t.Errorf("pooled scan keeps entity %q", e.Value)
		}
	}
	for _, e := range s.entEv[:cap(s.entEv)] {
		if e.Snippet != "" {
			t.Errorf("pooled scan keeps evidence %q", e.Snippet)
		}
	}
	for _, sal := range s.salaries {
		for _, x := range sal[:cap(sal)] {
			if x.Text != "" {
				t.Errorf("pooled scan keeps pay %q", x.Text)
			}
		}
	}
	for _, p := range s.places[:cap(s.places)] {
		if p.ID != "" {
			t.Errorf("pooled scan keeps place %q", p.ID)
		}
	}
}
