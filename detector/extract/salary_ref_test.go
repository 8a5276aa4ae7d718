package extract

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// salariesRef and the *Ref helpers below are Salaries and the helpers it
// had before its fast paths, frozen: the reference the tests hold Salaries
// to. The token tables are shared: their at and before changed only by
// tests of the first or last bytes that skip positions where no key can
// match (which the comparisons with salariesRef hold to account), and TestDigitTables checks digitValue, which they use, against
// digitValueRef.

// salariesRef is Salaries as it was.
func salariesRef(text string, rates Rates) []Salary {
	text = clip(text)
	var out []Salary
	lower := ""
	for i := 0; i < len(text) && len(out) < MaxResults; {
		// Find the next digit: the only place a salary can be anchored.
		c := text[i]
		if c < utf8.RuneSelf {
			if c < '0' || c > '9' {
				i++
				continue
			}
		} else {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsDigit(r) {
				i += size
				continue
			}
		}
		floor := 0
		if len(out) > 0 {
			floor = out[len(out)-1].End
		}
		sal, end, ok := salaryAtRef(text, i, floor, rates, &lower)
		if ok {
			out = append(out, sal)
			i = end
			continue
		}
		// Skip the rest of this number.
		_, j, _ := scanNumberRef(text, i)
		if j <= i {
			j = i + 1
		}
		i = j
	}
	return out
}

// salaryAtRef reads a salary whose first number starts at byte i of text and
// that does not start before floor (the end of the previous one). It returns
// the salary, the byte after it, and whether there is one.
func salaryAtRef(text string, i, floor int, rates Rates, lower *string) (Salary, int, bool) {
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
	a1, ok := scanAmountRef(text, i)
	if !ok {
		return none, 0, false
	}
	if r, n := utf8.DecodeRuneInString(text[i:]); digitValueRef(r) == 0 && i+n < len(text) && isDigitRune(runeAt(text, i+n)) {
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
		if b, ok := scanAmountRef(text, j); ok {
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
	before := lineBefore(text, s, 64)
	if _, ok := nearRef(ageTab, before, 8); ok {
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
	for _, c := range []string{lookupFold(curPrefix, prefixTok), a1.cur, lookupFold(curPrefix, pc2), a2.cur} {
		if c != "" && cur == "" {
			cur = c
		}
	}
	period, rate := "", false
	if p, n := periodAt(text, e); n > 0 {
		period, rate, e = p, true, e+n
	}
	if period == "" {
		if k, ok := nearRef(periodBeforeTab, before, 30); ok {
			period = periodOf(k)
			rate = period != ""
		}
	}
	_, ctx := nearRef(payTab, before, 24)
	if cur == "" {
		cur = implied
	}
	if cur == "Rs" {
		if *lower == "" {
			*lower = strings.ToLower(text)
		}
		cur = rsCurrency(*lower)
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

// infixRef matches the shorthand of infixShort at the start of a text.
var infixRef = regexp.MustCompile(`^((?i:k|tr|w|jt)|万|萬)([0-9]{1,2})`)

// scanAmountRef reads a number, an optional multiplier and an optional currency
// after it.
func scanAmountRef(text string, i int) (amount, bool) {
	v, j, ok := scanNumberRef(text, i)
	if !ok {
		return amount{}, false
	}
	a := amount{v: v, end: j, mult: 1}
	if m := infixRef.FindStringSubmatch(text[j:]); m != nil && !(len(m[0]) < len(text[j:]) && isLatinWord(runeAt(text, j+len(m[0])))) {
		// "1k2", "1tr5", "1万5": a multiplier between the whole part and
		// one or two decimals.
		mv := multipliers[strings.ToLower(m[1])]
		f, _ := strconv.ParseFloat("0."+m[2], 64)
		a.v += f
		a.mult, a.implied, a.hasMult = mv.f, mv.cur, true
		j += len(m[0])
		a.end = j
	} else if k, n := multTab.at(text, skipSpace(text, j, 1)); n > 0 {
		mv := multipliers[k]
		a.mult, a.implied, a.hasMult = mv.f, mv.cur, true
		j = skipSpace(text, j, 1) + n
		a.end = j
	}
	if k, n := suffixTab.at(text, skipSpace(text, j, 1)); n > 0 {
		if k != "u" || j < len(text) && text[j] == 'U' { // "1000U", not "1000 u..."
			a.cur = lookupFold(curSuffix, k)
			a.end = skipSpace(text, j, 1) + n
		}
	}
	return a, true
}

// scanNumberRef reads an amount at text[i:]: digits of any script, with
// thousands grouped by , . ' or a space ("1,500", "12.000.000", "15 000")
// and a decimal part of one or two digits ("1.5", "1,5"). It returns the
// value and the byte after the number.
func scanNumberRef(text string, i int) (float64, int, bool) {
	var v float64
	j, nd := i, 0
	for j < len(text) {
		r, size := utf8.DecodeRuneInString(text[j:])
		d := digitValueRef(r)
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
			d := digitValueRef(r)
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

// digitValueRef returns the value of a decimal digit in any script (ASCII,
// Thai, Khmer, Lao, Myanmar, Devanagari, full-width, ...), or -1.
func digitValueRef(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r < 0x80 || !unicode.IsDigit(r) {
		return -1
	}
	// Decimal digits come in runs that start at a multiple of ten from the
	// run's first digit; find the run's start.
	base := r
	for k := 0; k < 64 && unicode.IsDigit(base-1); k++ {
		base--
	}
	return int(r-base) % 10
}

// nearRef is tokenTable.near as it was, before it was split into
// afterDigits and nearEnd.
func nearRef(t *tokenTable, w string, gap int) (string, bool) {
	// Only the part after the last digit counts.
	for j := len(w) - 1; j >= 0; j-- {
		if w[j] >= '0' && w[j] <= '9' {
			w = w[j+1:]
			break
		}
	}
	for j := len(w); j > 0 && len(w)-j <= gap; j-- {
		if k, n := t.before(w, j); n > 0 {
			return k, true
		}
	}
	return "", false
}

func checkSalariesRef(t *testing.T, text string) {
	t.Helper()
	rates := DefaultRates()
	got := Salaries(text, rates)
	if want := salariesRef(text, rates); !reflect.DeepEqual(got, want) {
		t.Errorf("Salaries(%q) = %+v, reference %+v", text, got, want)
	}
	buf := []Salary{{Text: "kept"}}
	if app := AppendSalaries(buf, text, rates); app[0].Text != "kept" || len(app) != 1+len(got) || len(got) > 0 && !reflect.DeepEqual(app[1:], got) {
		t.Errorf("AppendSalaries(%q) = %+v, want kept + %+v", text, app, got)
	}
}

func TestSalariesMatchesReference(t *testing.T) {
	for _, text := range corpusTexts(t) {
		checkSalariesRef(t, text)
	}
	for _, c := range salaryCases {
		checkSalariesRef(t, c.in)
	}
	for _, text := range hostileSeeds {
		checkSalariesRef(t, text)
	}
}

func FuzzSalariesMatchesReference(f *testing.F) {
	for _, text := range corpusTexts(f) {
		f.Add(text)
	}
	for _, c := range salaryCases {
		f.Add(c.in)
	}
	for _, text := range hostileSeeds {
		f.Add(text)
	}
	f.Fuzz(checkSalariesRef)
}

// TestDigitLeads checks what nextDigit assumes: every lead byte of a
// decimal digit is D9 to E1, EA, or EF and up.
func TestDigitLeads(t *testing.T) {
	for c := 0xC0; c < 0x100; c++ {
		if digitStarts[c] && !(c >= 0xD9 && c <= 0xE1 || c == 0xEA || c >= 0xEF) {
			t.Errorf("a digit starts with %#x", c)
		}
	}
}

// TestDigitTables checks isDigit against unicode.IsDigit and digitValue
// against digitValueRef, and that mayStartDigit admits every encoded digit,
// for every character.
func TestDigitTables(t *testing.T) {
	var buf [utf8.UTFMax]byte
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		want := unicode.IsDigit(r)
		if got := isDigit(r); got != want {
			t.Fatalf("isDigit(%U) = %v, want %v", r, got, want)
		}
		if got, want := digitValue(r), digitValueRef(r); got != want {
			t.Fatalf("digitValue(%U) = %d, reference %d", r, got, want)
		}
		if want {
			n := utf8.EncodeRune(buf[:], r)
			if !mayStartDigit(string(buf[:n]), 0) {
				t.Fatalf("mayStartDigit misses %U", r)
			}
		}
	}
}
