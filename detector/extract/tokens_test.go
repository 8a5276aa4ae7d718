package extract

import (
	"testing"
)

// allTokenTables are the package's token tables, for the tests of the
// byte and pair filters in front of tokenTable.at and before.
func allTokenTables() map[string]*tokenTable {
	return map[string]*tokenTable{
		"labelSuffixTab": labelSuffixTab, "labelSepTab": labelSepTab, "labelTab": labelTab, "phoneCtxTab": phoneCtxTab,
		"currencyBeforeTab": currencyBeforeTab, "lineCtxTab": lineCtxTab, "wechatCtxTab": wechatCtxTab,
		"employerLabelTab": employerLabelTab, "legalFormTab": legalFormTab,
		"prefixTab": prefixTab, "suffixTab": suffixTab, "multTab": multTab, "rangeTab": rangeTab, "plusTab": plusTab,
		"periodConnTab": periodConnTab, "periodWordTab": periodWordTab, "periodAdvTab": periodAdvTab,
		"notPayTab": notPayTab, "periodBeforeTab": periodBeforeTab, "payTab": payTab, "ageTab": ageTab,
	}
}

// atPrev and beforePrev are tokenTable.at and before as they were before
// the byte and pair filters, frozen.
func atPrev(t *tokenTable, text string, i int) (string, int) {
	if i >= len(text) {
		return "", 0
	}
	for _, k := range t.byFirst[lowerByte(text[i])] {
		e := i + len(k)
		if e > len(text) || !equalFoldASCII(text[i:e], k) {
			continue
		}
		if isASCIILetter(k[len(k)-1]) && isLatinWord(runeAt(text, e)) {
			continue
		}
		if r := runeBefore(text, i); isASCIILetter(k[0]) && isLatinWord(r) && !isDigitRune(r) {
			continue
		}
		return k, len(k)
	}
	return "", 0
}

func beforePrev(t *tokenTable, text string, j int) (string, int) {
	if j <= 0 {
		return "", 0
	}
	for _, k := range t.byLast[lowerByte(text[j-1])] {
		s := j - len(k)
		if s < 0 || !equalFoldASCII(text[s:j], k) {
			continue
		}
		if isASCIILetter(k[0]) && isLatinWord(runeBefore(text, s)) {
			continue
		}
		if isASCIILetter(k[len(k)-1]) && isLatinWord(runeAt(text, j)) && !isDigitRune(runeAt(text, j)) {
			continue
		}
		return k, len(k)
	}
	return "", 0
}

// checkTokenTables holds at, before, nearEnd and nearEndIn to the frozen
// versions at every position of text.
func checkTokenTables(t *testing.T, text string) {
	t.Helper()
	for name, tab := range allTokenTables() {
		for i := 0; i <= len(text); i++ {
			gk, gn := tab.at(text, i)
			if wk, wn := atPrev(tab, text, i); gk != wk || gn != wn {
				t.Fatalf("%s.at(%q, %d) = %q %d, previous %q %d", name, text, i, gk, gn, wk, wn)
			}
			gk, gn = tab.before(text, i)
			if wk, wn := beforePrev(tab, text, i); gk != wk || gn != wn {
				t.Fatalf("%s.before(%q, %d) = %q %d, previous %q %d", name, text, i, gk, gn, wk, wn)
			}
		}
		for _, gap := range []int{0, 1, 8, 24, 30} {
			gk, gok := tab.nearEnd(text, gap)
			if wk, wok := nearEndPrev(tab, text, gap); gk != wk || gok != wok {
				t.Fatalf("%s.nearEnd(%q, %d) = %q %v, previous %q %v", name, text, gap, gk, gok, wk, wok)
			}
		}
	}
	for _, tab := range []*tokenTable{ageTab, periodBeforeTab, payTab} {
		ends := beforeEnds.mask(text, 0, 8) | beforeEnds.mask(text, 9, 30)
		for _, gap := range []int{0, 8, 24, 30} {
			gk, gok := tab.nearEndIn(text, gap, ends)
			if wk, wok := nearEndPrev(tab, text, gap); gk != wk || gok != wok {
				t.Fatalf("nearEndIn(%q, %d) = %q %v, previous %q %v", text, gap, gk, gok, wk, wok)
			}
		}
	}
}

// tokenTexts write keys of the tables in other cases and next to other
// scripts, cut short and at the ends of the text.
var tokenTexts = []string{
	"", "a", "K", "Ks.", "USD1500", "1500USD", "RM 3,000/month", "Rp. 5 juta per bulan", "월급 3,000,000원",
	"lương tháng 15 triệu", "เงินเดือน 30,000 บาท", "月薪1.5w", "SALARY: $1,500", "Gaji Pokok", "ÂGE 18", "age",
	"\xff\xfeUSD", "usd\xe0", "x\u212Aks", "ſalary", "Co., Ltd", "Employer: X", "wechat: x", "WA: +855",
}

func TestTokenTableFilters(t *testing.T) {
	for _, text := range tokenTexts {
		checkTokenTables(t, text)
	}
	for _, text := range corpusTexts(t)[:40] {
		checkTokenTables(t, text)
	}
}

func FuzzTokenTables(f *testing.F) {
	for _, text := range tokenTexts {
		f.Add(text)
	}
	for _, text := range corpusTexts(f) {
		if len(text) > 400 {
			text = text[:400]
		}
		f.Add(text)
	}
	f.Fuzz(checkTokenTables)
}

// TestLineBeforeDigits holds lineBeforeDigits to the two functions it
// stands for, at every position.
func TestLineBeforeDigits(t *testing.T) {
	texts := append([]string{"", "\n", "abc\n12def", "1\xe0\xb8\x81x", "ab\u0e51cd 12345678901234567890 x"}, corpusTexts(t)[:60]...)
	for _, text := range texts {
		for i := 0; i <= len(text); i++ {
			for _, n := range []int{0, 1, 7, 8, 9, 64} {
				if got, want := lineBeforeDigits(text, i, n), afterDigitsPrev(lineBefore(text, i, n)); got != want {
					t.Fatalf("lineBeforeDigits(%q, %d, %d) = %q, want %q", text, i, n, got, want)
				}
			}
		}
	}
}

// nearEndPrev and afterDigitsPrev are tokenTable.nearEnd and the helper
// salaryAt used, as they were before the byte filters,
// frozen: the tests hold their replacements to them.
//
// nearEndPrev is near for a w that afterDigitsPrev has already cut.
func nearEndPrev(t *tokenTable, w string, gap int) (string, bool) {
	for j := len(w); j > 0 && len(w)-j <= gap; j-- {
		if k, n := t.before(w, j); n > 0 {
			return k, true
		}
	}
	return "", false
}

// afterDigitsPrev returns the part of w after its last ASCII digit: the only
// part near looks in.
func afterDigitsPrev(w string) string {
	for j := len(w) - 1; j >= 0; j-- {
		if w[j] >= '0' && w[j] <= '9' {
			return w[j+1:]
		}
	}
	return w
}
