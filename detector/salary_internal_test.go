package detector

import "testing"

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
