package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// legalForms are the legal forms employerSuffixRE finds after a name, as a
// regular expression.
const legalForms = `Co\.?,?\s?Ltd\.?|Company Limited|Company Ltd\.?|Pte\.?\s?Ltd\.?|Private Limited|Pvt\.?\s?Ltd\.?|Sdn\.?\s?Bhd\.?|Bhd\.?|` +
	`Inc\.?|Incorporated|LLC|L\.L\.C\.?|Ltd\.?|Limited|Corp\.?|Corporation|GmbH|PLC|JSC`

var (
	// employerSuffixRE finds names ending in a legal form: "X Co., Ltd.",
	// "X Pte Ltd", "X Sdn Bhd", "X Inc".
	employerSuffixRE = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_@.])((?:\p{Lu}[\p{L}\p{N}&'’.\-]*[ \t]){0,5}\p{Lu}[\p{L}\p{N}&'’.\-]*)[ \t]?,?[ \t]` +
		`(` + legalForms + `)(?:[^\p{L}\p{N}]|$)`)
	// legalFormRE is the end of employerSuffixRE anchored at the start: a
	// window where it fails cannot hold a match of employerSuffixRE whose
	// legal form starts there.
	legalFormRE = regexp.MustCompile(`^(?:` + legalForms + `)(?:[^\p{L}\p{N}]|$)`)
	// employerPrefixRE finds a legal form written before the name: "PT X",
	// "CV X", "Công ty TNHH X", "บริษัท X จำกัด", "X有限公司".
	employerPrefixRE = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_])(PT\.?[ \t]|(?:Công ty|CÔNG TY|Cty|CTY)(?:\s(?:TNHH|CP|Cổ phần|CỔ PHẦN|MTV|TM|DV|XNK))*\s|` +
		`บริษัท\s?[^\s]{1,40}?\s?จำกัด(?:\s?\(มหาชน\))?|[\p{Han}A-Za-z0-9]{2,20}(?:有限责任公司|有限公司|股份公司|集团))`)
)

// labelRank orders employer labels: the employer itself before an agency.
func labelRank(label string) int {
	switch strings.ToLower(label) {
	case "recruiter", "recruitment agency", "agency", "principal":
		return 1
	}
	return 0
}

// Employer returns the employer an ad names, and the span of the name in
// text, or ok == false when it names none. A labelled name ("Employer: X",
// "Company: X", "公司：X"; an agency only when no employer is labelled) wins;
// otherwise the first name with a legal form ("X Co., Ltd", "X Pte Ltd",
// "PT X", "X Sdn Bhd", "Công ty TNHH X", "บริษัท X จำกัด", "X有限公司"). The
// name is returned as written, trimmed of surrounding spaces and punctuation
// and of a trailing remark in brackets, so name == text[span.Start:span.End].
// "Company: confidential" names no one.
//
// Regular expressions run only on short windows around trigger positions (a
// colon, a legal-form word), never over the whole text.
func Employer(text string) (name string, span Span, ok bool) {
	text = clip(text)
	bestRank := 99
	// Labels: at every colon, a label word just before it.
	for p, n := 0, 0; p < len(text) && n < 64; {
		k, size := indexColon(text[p:])
		if k < 0 {
			break
		}
		c := p + k
		p = c + size
		n++
		label, ln := employerLabelTab.before(text, skipBack(text, c))
		if ln == 0 {
			continue
		}
		rank := labelRank(label)
		if rank >= bestRank {
			continue
		}
		s := skipSpace(text, c+size, 3)
		v := lineAfter(text, s, 120)
		if j := strings.Index(v, " ("); j > 0 {
			v = v[:j]
		}
		if j := strings.IndexAny(v, "（;|，。；!?"); j > 0 {
			v = v[:j]
		}
		for j := 0; j < len(v); j++ {
			if (v[j] == '.' || v[j] == ',') && !legalPunct(v, j) && (j+1 == len(v) || v[j+1] == ' ') {
				v = v[:j]
				break
			}
		}
		s, e := trimSpan(text, s, s+len(v))
		if e-s >= 2 && !vagueEmployer(text[s:e]) && !description(text[s:e]) {
			name, span, ok, bestRank = text[s:e], Span{s, e}, true, rank
		}
	}
	if ok {
		return name, span, ok
	}
	best := []int(nil)
	// Legal forms after the name: at each capitalised legal-form word.
	for i, n := 0, 0; i < len(text) && n < 32; i++ {
		for i < len(text) && !legalFormStarts[text[i]] {
			i++
		}
		if i == len(text) || i > 0 && isASCIIAlnum(rune(text[i-1])) {
			continue
		}
		if _, k := legalFormTab.at(text, i); k == 0 {
			continue
		}
		n++
		if i == 0 || text[i-1] != ' ' && text[i-1] != '\t' {
			continue // employerSuffixRE wants a space or tab before the form
		}
		we := i + 40
		if we > len(text) {
			we = len(text)
		}
		for we > i && we < len(text) && !utf8.RuneStart(text[we]) {
			we--
		}
		if !legalFormRE.MatchString(text[i:we]) {
			continue
		}
		ws := i - 200
		if ws < 0 {
			ws = 0
		}
		for ws < i && !utf8.RuneStart(text[ws]) {
			ws++
		}
		for _, m := range employerSuffixRE.FindAllStringSubmatchIndex(text[ws:we], -1) {
			if ws+m[4] == i {
				best = []int{skipLeadWords(text, ws+m[2], ws+m[4]), ws + m[5]}
				break
			}
		}
		if best != nil {
			break
		}
	}
	// Legal forms before the name, and Chinese company names.
	for _, lit := range prefixTriggers {
		k := strings.Index(text, lit)
		if k < 0 || best != nil && k > best[0]+200 {
			continue
		}
		ws := k - 60
		if ws < 0 {
			ws = 0
		}
		for ws < k && !utf8.RuneStart(text[ws]) {
			ws++
		}
		we := k + 200
		if we > len(text) {
			we = len(text)
		}
		for we > k && we < len(text) && !utf8.RuneStart(text[we]) {
			we--
		}
		m := employerPrefixRE.FindStringSubmatchIndex(text[ws:we])
		if m == nil {
			continue
		}
		s, e := ws+m[2], ws+m[3]
		if best != nil && s >= best[0] {
			continue
		}
		if f := strings.ToLower(text[s:e]); strings.HasPrefix(f, "pt") || strings.HasPrefix(f, "công ty") || strings.HasPrefix(f, "cty") {
			if strings.HasPrefix(f, "pt") && notAfterPT[strings.ToLower(firstWord(text[e:]))] {
				continue // "PT job", "PT staff": part-time, not a company
			}
			if r, _ := utf8.DecodeRuneInString(text[skipSpace(text, e, 1):]); !unicode.IsUpper(r) {
				continue // "công ty bên Poipet": a common noun, not a name
			}
			e = nameWordsEnd(text, e)
			if e == ws+m[3] {
				continue // a legal form with no name after it
			}
		}
		best = []int{s, e}
	}
	if best != nil {
		s, e := trimSpan(text, best[0], best[1])
		if e-s >= 3 {
			return text[s:e], Span{s, e}, true
		}
	}
	return "", Span{}, false
}

// Triggers and label words for Employer.
var (
	employerLabelTab = newTokenTable("employer", "company name", "company", "hiring company", "recruiter",
		"recruitment agency", "agency", "principal", "tên công ty", "công ty", "nhà tuyển dụng", "perusahaan", "syarikat",
		"majikan", "kumpanya", "公司名称", "公司名稱", "公司", "招聘单位", "用人单位", "企业名称", "ชื่อบริษัท", "บริษัท", "นายจ้าง")
	legalFormTab = newTokenTable("co", "company", "pte", "private", "pvt", "sdn", "bhd", "inc", "incorporated", "llc",
		"l.l.c", "ltd", "limited", "corp", "corporation", "gmbh", "plc", "jsc")
	// legalFormStarts marks the capital letters legalFormTab keys start
	// with: where Employer looks for a legal form after a name.
	legalFormStarts = func() (starts [256]bool) {
		for c := 'A'; c <= 'Z'; c++ {
			starts[c] = len(legalFormTab.byFirst[lowerByte(byte(c))]) > 0
		}
		return starts
	}()
	prefixTriggers = []string{"PT ", "PT. ", "Công ty", "CÔNG TY", "Cty", "CTY", "บริษัท",
		"有限责任公司", "有限公司", "股份公司", "集团"}
)

// leadWords are capitalised words that start a sentence before a company
// name without being part of it: "Join X Pte Ltd", "Contact X Inc".
var leadWords = map[string]bool{
	"join": true, "at": true, "for": true, "with": true, "by": true, "from": true, "contact": true, "apply": true,
	"work": true, "via": true, "to": true, "our": true, "client": true, "in": true, "hiring": true, "employer": true,
	"company": true, "about": true, "welcome": true, "is": true,
}

// indexColon returns the position and length of the first colon in text,
// ASCII ':' or full-width '：' (EF BC 9A), or -1. It is what
// strings.IndexAny(text, ":：") finds, without the per-rune search that a
// non-ASCII set costs: the full-width colon is looked for only before the
// first ASCII one.
func indexColon(text string) (int, int) {
	a := strings.IndexByte(text, ':')
	head := text
	if a >= 0 {
		head = text[:a]
	}
	if f := strings.Index(head, "："); f >= 0 {
		return f, len("：")
	}
	if a >= 0 {
		return a, 1
	}
	return -1, 0
}

// skipLeadWords returns the start of the name in text[s:limit] after any
// leading leadWords, keeping at least one word.
func skipLeadWords(text string, s, limit int) int {
	for {
		sp := strings.IndexByte(text[s:limit], ' ')
		if sp <= 0 || !leadWords[strings.ToLower(text[s:s+sp])] {
			return s
		}
		s += sp + 1
	}
}

// legalDot reports whether the punctuation at v[i] belongs to a legal form
// ("Co., Ltd.", "Pte. Ltd", "Sdn. Bhd.") rather than ending a sentence.
func legalDot(v string, i int) bool {
	before := strings.ToLower(v[:i])
	for _, f := range []string{"co", "co.", "pte", "sdn", "ltd", "inc", "corp", "pvt", "bhd", "l.l.c", "pt", "cv", "jsc"} {
		if strings.HasSuffix(before, f) && (len(before) == len(f) || !isASCIIAlnum(rune(before[len(before)-len(f)-1]))) {
			return true
		}
	}
	return false
}

// legalPunct reports whether the '.' or ',' at v[i] is inside a legal form
// ("Co., Ltd.", "Pte. Ltd") rather than ending the name: a comma only
// after "Co." ("Co., Ltd"), so "X Ltd, 00 Example Quay" ends at "Ltd".
func legalPunct(v string, i int) bool {
	if v[i] == ',' {
		b := strings.ToLower(v[:i])
		return strings.HasSuffix(b, " co.") || strings.HasSuffix(b, " co")
	}
	return legalDot(v, i)
}

// description reports whether a labelled value describes the employer
// instead of naming it: "Employer: a licensed security company in Dubai".
func description(v string) bool {
	l := strings.ToLower(v)
	for _, p := range []string{"a ", "an ", "the ", "our ", "one of ", "leading ", "reputable ", "large ", "big "} {
		if strings.HasPrefix(l, p) && v[0] >= 'a' && v[0] <= 'z' {
			return true
		}
	}
	return false
}

// vagueEmployer reports whether a labelled value names no one: "Company:
// confidential", "Employer: private".
func vagueEmployer(v string) bool {
	switch strings.ToLower(v) {
	case "confidential", "private", "n/a", "na", "none", "undisclosed", "secret", "not disclosed", "tba",
		"保密", "不公开", "bí mật", "rahasia", "sulit", "ลับ":
		return true
	}
	return false
}

// trimSpan trims spaces, quotes and punctuation from both ends of
// text[s:e], keeping a closing "." that ends "Ltd." or "Inc." and a closing
// bracket that has its opening one.
func trimSpan(text string, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if !(unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)) || r == '(' {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if r == '.' && legalDot(text[s:e], e-n-s) {
			break
		}
		if r == ')' && strings.Contains(text[s:e], "(") {
			break
		}
		if !(unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)) {
			break
		}
		e -= n
	}
	return s, e
}

// notAfterPT are words after "PT" that make it "part-time".
var notAfterPT = map[string]bool{"job": true, "jobs": true, "staff": true, "work": true, "position": true, "kerja": true,
	"part": true, "time": true, "worker": true, "workers": true, "hiring": true, "only": true}

// firstWord returns the first run of ASCII letters in s.
func firstWord(s string) string {
	i := 0
	for i < len(s) && isASCIILetter(s[i]) {
		i++
	}
	return s[:i]
}

// nameWordsEnd returns the end of the name that starts at byte i: up to eight
// words on the same line, each capitalised, or lower case but followed by a
// capitalised word ("Phần mềm Sông Hồng").
func nameWordsEnd(text string, i int) int {
	end := i
	pos := i
	var words [][2]int
	for len(words) < 10 && pos < len(text) {
		for pos < len(text) && text[pos] == ' ' {
			pos++
		}
		s := pos
		for pos < len(text) {
			r, n := utf8.DecodeRuneInString(text[pos:])
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '&' || r == '-' ||
				r == '.' && pos+n < len(text) && text[pos+n] != ' ') {
				break
			}
			pos += n
		}
		if pos == s {
			break
		}
		words = append(words, [2]int{s, pos})
		if pos < len(text) && text[pos] != ' ' {
			break
		}
	}
	upper := func(k int) bool {
		r, _ := utf8.DecodeRuneInString(text[words[k][0]:])
		return unicode.IsUpper(r) || unicode.IsDigit(r)
	}
	for k := 0; k < len(words) && k < 8; k++ {
		if !upper(k) && !(k+1 < len(words) && upper(k+1)) {
			break
		}
		end = words[k][1]
	}
	return end
}
