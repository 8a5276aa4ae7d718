package extract

import (
	"strings"
	"unicode/utf8"
)

// salariesPrev and the *Prev helpers below are Salaries and its helpers as
// they were before the byte scans, the per-table byte sets and the ASCII
// fast paths, frozen: the tests hold Salaries to them as well as to
// salariesRef.

// salariesPrev returns the statements of pay in text, in order, converted to US
// dollars per month with rates (use DefaultRates, or a table from config).
//
// A number counts as pay only when something says so: a currency (symbol,
// code or word), a multiplier that implies one (万, triệu, juta), a rate
// period ("/month", "日薪"), or a pay word just before it ("Salary:",
// "lương", "gaji", "เงินเดือน"). Years, phone numbers, ages, dates,
// percentages, counts and durations ("3 months' accommodation") are not pay.
// Digits of any script are read ("១២០០ ដុល្លារ", "ＵＳＤ １，６００").
//
// salariesPrev uses no regular expressions: it visits each number once and
// reads the words around it from token tables.
func salariesPrev(text string, rates Rates) []Salary {
	text = clip(text)
	var out []Salary
	lower := ""
	for i := 0; i < len(text) && len(out) < MaxResults; {
		// Find the next digit: the only place a salary can be anchored.
		for i < len(text) && !digitStarts[text[i]] {
			i++
		}
		if i == len(text) {
			break
		}
		if c := text[i]; c >= utf8.RuneSelf {
			if !mayStartDigit(text, i) {
				i++ // a byte of a letter in another script
				continue
			}
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isDigit(r) {
				i += size
				continue
			}
		}
		floor := 0
		if len(out) > 0 {
			floor = out[len(out)-1].End
		}
		sal, end, ok := salaryAtPrev(text, i, floor, rates, &lower)
		if ok {
			out = append(out, sal)
			i = end
			continue
		}
		// Skip the rest of this number.
		_, j, _ := scanNumberPrev(text, i)
		if j <= i {
			j = i + 1
		}
		i = j
	}
	return out
}

// salaryAtPrev reads a salary whose first number starts at byte i of text and
// that does not start before floor (the end of the previous one). It returns
// the salary, the byte after it, and whether there is one.
func salaryAtPrev(text string, i, floor int, rates Rates, lower *string) (Salary, int, bool) {
	var none Salary
	s := i
	prefixTok := ""
	// A currency before the number ("$", "USD ", "Rp", "RM"), or else
	// nothing glued to the number.
	if k, n := prefixTab.before(text, i); n > 0 && i-n >= floor {
		prefixTok, s = k, i-n
	} else if b := skipBack(text, i); b < i {
		if k, n := prefixTab.before(text, b); n > 0 && b-n >= floor {
			prefixTok, s = k, b-n
		}
	}
	if r := runeBefore(text, s); r >= 0 && r < utf8.RuneSelf && (isASCIIAlnum(r) || strings.ContainsRune("+_.,@#/\\&=-", r)) {
		if prefixTok == "" || isASCIIAlnum(r) || r == '_' {
			return none, 0, false
		}
	}
	a1, ok := scanAmountPrev(text, i)
	if !ok {
		return none, 0, false
	}
	if r, n := utf8.DecodeRuneInString(text[i:]); digitValue(r) == 0 && i+n < len(text) && isDigitRune(runeAt(text, i+n)) {
		return none, 0, false // leading zero: a phone number or an id
	}
	e := a1.end
	var a2 amount
	var pc2 string
	hasRange := false
	if _, n := rangeTab.at(text, skipSpace(text, e, 1)); n > 0 {
		j := skipSpace(text, skipSpace(text, e, 1)+n, 1)
		if k2, n2 := prefixTab.at(text, j); n2 > 0 {
			pc2 = k2
			j = skipSpace(text, j+n2, 1)
		}
		if b, ok := scanAmountPrev(text, j); ok {
			a2, hasRange = b, true
			e = b.end
		}
	}
	// Not glued to a word or a longer number after it.
	if r := runeAt(text, e); isDigitRune(r) || isLatinWord(r) && isLatinWord(runeBefore(text, e)) {
		return none, 0, false
	}
	plus := false
	if k, n := plusTab.at(text, e); n > 0 && (k == "+" || k == "++" || k == "起") {
		if !(k == "+" && e+1 < len(text) && isDigitRune(runeAt(text, e+1))) {
			plus, e = true, e+n
		}
	} else if k, n := plusTab.at(text, skipSpace(text, e, 1)); n > 0 && k != "+" && k != "++" {
		plus, e = true, skipSpace(text, e, 1)+n
	}
	before := afterDigitsPrev(lineBeforePrev(text, s, 64))
	if _, ok := nearEndPrev(ageTab, before, 8); ok {
		return none, 0, false
	}
	if _, n := notPayTab.at(text, skipSpace(text, e, 1)); n > 0 {
		return none, 0, false
	}
	min, max := a1.v, a1.v
	implied := a1.implied
	if hasRange {
		max = a2.v * a2.mult
		if implied == "" {
			implied = a2.implied
		}
		if !a1.hasMult && a2.hasMult && a1.v < a2.v {
			a1.mult = a2.mult // "1.2-1.5w", "15-20 triệu"
		}
	}
	min *= a1.mult
	if max <= 0 || min > 1e12 || max > 1e12 {
		return none, 0, false // no one is paid that: an id or a run of digits
	}
	if !hasRange {
		max = min
	} else if max < min {
		return none, 0, false // "10-3": not a range of pay
	}
	cur := ""
	for _, c := range []string{lookupFoldPrev(curPrefix, prefixTok), a1.cur, lookupFoldPrev(curPrefix, pc2), a2.cur} {
		if c != "" && cur == "" {
			cur = c
		}
	}
	period, rate := "", false
	if p, n := periodAt(text, e); n > 0 {
		period, rate, e = p, true, e+n
	}
	if period == "" {
		if k, ok := nearEndPrev(periodBeforeTab, before, 30); ok {
			period = periodOf(k)
			rate = period != ""
		}
	}
	if cur == "" {
		cur = implied
	}
	if cur == "Rs" {
		if *lower == "" {
			*lower = strings.ToLower(text)
		}
		cur = rsCurrency(*lower)
	}
	// A pay word before the amount matters only to the two checks below
	// that read ctx: look for one only when they will.
	ctx := false
	if !rate && (cur == "" || cur == "CNY" && implied == "CNY" && prefixTok == "" && a1.cur == "" && a2.cur == "") {
		_, ctx = nearEndPrev(payTab, before, 24)
	}
	// Without a currency, a bare number needs a pay word or a rate, and
	// must be big enough to be pay.
	if cur == "" && !rate && !ctx {
		return none, 0, false
	}
	if cur == "" && implied == "" && max < 10 {
		return none, 0, false
	}
	if cur == "CNY" && implied == "CNY" && prefixTok == "" && a1.cur == "" && a2.cur == "" && !ctx && !rate {
		// "3万" with no pay word: only when not followed by a Han noun ("3万人").
		if r := runeAt(text, e); r > 0x2E80 && !strings.ContainsRune("元块起以+", r) {
			return none, 0, false
		}
	}
	sal := Salary{Span: Span{s, e}, Text: text[s:e], Min: min, Max: max, Currency: cur, Period: period, Plus: plus}
	if r, ok := rates[cur]; ok && cur != "" {
		f := 1.0
		if period != "" {
			f = periodPerMonth[period]
		}
		sal.USDPerMonth = round2((min + max) / 2 * r * f)
	}
	return sal, e, true
}

// scanAmountPrev reads a number, an optional multiplier and an optional currency
// after it.
func scanAmountPrev(text string, i int) (amount, bool) {
	v, j, ok := scanNumberPrev(text, i)
	if !ok {
		return amount{}, false
	}
	a := amount{v: v, end: j, mult: 1}
	if k, n := multTab.at(text, skipSpace(text, j, 1)); n > 0 {
		mv := multipliers[k]
		a.mult, a.implied, a.hasMult = mv.f, mv.cur, true
		j = skipSpace(text, j, 1) + n
		a.end = j
	}
	if k, n := suffixTab.at(text, skipSpace(text, j, 1)); n > 0 {
		if k != "u" || j < len(text) && text[j] == 'U' { // "1000U", not "1000 u..."
			a.cur = lookupFoldPrev(curSuffix, k)
			a.end = skipSpace(text, j, 1) + n
		}
	}
	return a, true
}

// scanNumberPrev reads an amount at text[i:]: digits of any script, with
// thousands grouped by , . ' or a space ("1,500", "12.000.000", "15 000")
// and a decimal part of one or two digits ("1.5", "1,5"). It returns the
// value and the byte after the number.
func scanNumberPrev(text string, i int) (float64, int, bool) {
	var v float64
	j, nd := i, 0
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		d := digitValue(r)
		if d < 0 {
			break
		}
		v = v*10 + float64(d)
		nd++
		j += size
	}
	if nd == 0 || nd > 15 {
		return 0, j, false
	}
	grouped := nd <= 3
	for groups := 0; j < len(text) && groups < 5; groups++ {
		sep, size := utf8.DecodeRuneInString(text[j:])
		if !strings.ContainsRune(",.' ，．", sep) {
			break
		}
		k, n, dv := j+size, 0, 0.0
		for k < len(text) && n < 4 {
			r, sz := utf8.DecodeRuneInString(text[k:])
			d := digitValue(r)
			if d < 0 {
				break
			}
			dv = dv*10 + float64(d)
			n++
			k += sz
		}
		if n == 3 && grouped {
			v = v*1000 + dv
			j = k
			continue
		}
		// Indian grouping: "1,20,000" (1.2 lakh), "12,50,000".
		if n == 2 && sep == ',' && k+1 < len(text) && text[k] == ',' && text[k+1] >= '0' && text[k+1] <= '9' {
			v = v*100 + dv
			j = k
			grouped = true
			continue
		}
		if (n == 1 || n == 2) && strings.ContainsRune(",.．", sep) {
			if n == 1 {
				dv /= 10
			} else {
				dv /= 100
			}
			v += dv
			j = k
		}
		break
	}
	return v, j, true
}

// lookupFoldPrev looks k up in m as given, then lower-cased.
func lookupFoldPrev(m map[string]string, k string) string {
	if c, ok := m[k]; ok {
		return c
	}
	return m[strings.ToLower(k)]
}

// nearEndPrev is near for a w that afterDigitsPrev has already cut, so that callers
// looking for several tables' keys in one window cut it once.
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

// lineBeforePrev returns up to n bytes of text before byte i, not crossing a line
// break and starting on a rune boundary.
func lineBeforePrev(text string, i, n int) string {
	s := i - n
	if s < 0 {
		s = 0
	}
	for s < i && !utf8.RuneStart(text[s]) {
		s++
	}
	w := text[s:i]
	for j := len(w) - 1; j >= 0; j-- {
		if w[j] == '\n' {
			return w[j+1:]
		}
	}
	return w
}
