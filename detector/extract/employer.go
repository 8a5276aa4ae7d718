package extract

import (
	"math/bits"
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
		i = nextLegalFormStart(text, i)
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
		ws = suffixSplit(text, ws, i)
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
	firsts := firstTriggers(text)
	for t := range prefixTriggers {
		k := firsts[t]
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
		if !prefixMayMatch(text[ws:we]) {
			continue
		}
		ws = prefixStart(text, ws, we)
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
	prefixTriggers = prefixTriggersArr[:]
)

// nextLegalFormStart returns the first position from i that holds a
// legalFormStarts byte, or len(text). Eight bytes are judged at a time:
// only capital ASCII letters are looked up.
func nextLegalFormStart(text string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(text); i += 8 {
		w := load64(text, i)
		x := w &^ highs
		upper := (x + (0x80-'A')*ones) &^ (x + (0x80-'Z'-1)*ones) & highs &^ (w & highs)
		for ; upper != 0; upper &= upper - 1 {
			if q := i + bits.TrailingZeros64(upper)>>3; legalFormStarts[text[q]] {
				return q
			}
		}
	}
	for i < len(text) && !legalFormStarts[text[i]] {
		i++
	}
	return i
}

// suffixSplit returns where in text[ws:i] employerSuffixRE can start
// reading, for a match whose legal form is at i, and find what it finds
// from ws: after the last position c (if any) where text[c] is a
// splitByte and text[c-1] is not an ASCII letter, '.' or ','. No match
// of employerSuffixRE holds such a c but as its first character: its names
// and separators hold no splitByte, and in or after a legal form only
// whitespace or its last character, which comes after a letter or a '.'
// (or ',' in "Co.,\nLtd"). So the matches that FindAll finds from ws and
// that end after c are the ones it finds from c; a match starting at c
// starts with text[c], which cannot start a name (for ^).
func suffixSplit(text string, ws, i int) int {
	for c := i - 1; c > ws; c-- {
		b, p := text[c], text[c-1]
		if splitByte[b] && !(isASCIILetter(p) || p == '.' || p == ',') {
			return c
		}
		if (p == ' ' || p == '\t') && b < utf8.RuneSelf && !(b >= 'A' && b <= 'Z' || b == ',' || b == ' ' || b == '\t') {
			return c
		}
	}
	return ws
}

// (A space or tab before an ASCII byte other than a capital, a comma, a
// space or a tab is such a place too: in a match, what follows a space or
// tab is a capital that starts a word of the name or the legal form, the
// comma or space before the form, or what comes after the match.)
//
// splitByte marks the ASCII bytes that suffixSplit may cut before: ones
// that are no part of a name, a separator or a legal form, except as the
// whitespace of "Co.\nLtd" or the character after the form.
var splitByte = func() (t [256]bool) {
	for _, c := range "\n\r:;!?()\"/|*#+=[]<>" {
		t[c] = true
	}
	return t
}()

// prefixStart returns where in text[ws:we] employerPrefixRE can start
// reading and find what it finds from ws. Its group starts at a
// prefixLiterals literal, or at most 80 bytes (20 characters) before a
// prefixSuffixes one: the regular expression is started up to one
// character before the first place that can be, which leaves its leftmost
// match as it was, and lets ^ match nowhere a group can start.
func prefixStart(text string, ws, we int) int {
	w := text[ws:we]
	g := len(w)
	for _, lit := range prefixLiterals {
		if k := strings.Index(w, lit); k >= 0 && k < g {
			g = k
		}
	}
	for _, lit := range prefixSuffixes {
		if k := strings.Index(w, lit); k >= 0 && k-80 < g {
			g = max(k-80, 0)
		}
	}
	x := ws + g - utf8.UTFMax
	if x <= ws {
		return ws
	}
	for !utf8.RuneStart(text[x]) {
		x--
	}
	return max(x, ws)
}

// prefixMayMatch reports whether employerPrefixRE may match in w: false
// only when w lacks what every match holds: "PT" with a space or tab after
// it (or after a '.'), one of the "Công ty" words, "บริษัท" with "จำกัด" after
// it, or one of prefixSuffixes. Thai ads name a บริษัท (company) far more
// often than a registered บริษัท ... จำกัด.
func prefixMayMatch(w string) bool {
	for _, lit := range [...]string{"PT ", "PT\t", "PT. ", "PT.\t", "Công ty", "CÔNG TY", "Cty", "CTY"} {
		if strings.Contains(w, lit) {
			return true
		}
	}
	if k := strings.Index(w, "บริษัท"); k >= 0 && strings.Contains(w[k:], "จำกัด") {
		return true
	}
	for _, lit := range prefixSuffixes {
		if strings.Contains(w, lit) {
			return true
		}
	}
	return false
}

// prefixLiterals and prefixSuffixes are the literals that a match of
// employerPrefixRE must hold (its group starting at one of the first, or
// with one of the second after 2 to 20 characters): "有限" for the two
// suffixes that start with it.
var (
	prefixLiterals = []string{"PT", "Công ty", "CÔNG TY", "Cty", "CTY", "บริษัท"}
	prefixSuffixes = []string{"有限", "股份公司", "集团"}
)

// firstTriggers returns the position of the first occurrence in text of
// each of prefixTriggers, or -1: strings.Index for each, with one search
// for the triggers that start alike ("PT " and "PT. ", the four that start
// with 'C', the two that start with "有限"), so that a text with many
// capital Cs is not searched four times.
func firstTriggers(text string) (ks [len(prefixTriggersArr)]int) {
	for t := range ks {
		ks[t] = -1
	}
	// Searches by shared prefix: each visits the occurrences of its prefix
	// until all its triggers are found.
	for _, g := range triggerGroups {
		left := len(g.triggers)
		for from := 0; left > 0; {
			k := strings.Index(text[from:], g.prefix)
			if k < 0 {
				break
			}
			k += from
			for _, t := range g.triggers {
				if ks[t] < 0 && strings.HasPrefix(text[k:], prefixTriggers[t]) {
					ks[t] = k
					left--
				}
			}
			from = k + 1
		}
	}
	return ks
}

// triggerGroups groups prefixTriggers by a prefix they share, for
// firstTriggers; every trigger is in one group.
var triggerGroups = func() []struct {
	prefix   string
	triggers []int
} {
	groups := []struct {
		prefix   string
		triggers []int
	}{{"PT", nil}, {"C", nil}, {"有限", nil}}
	for t, lit := range prefixTriggers {
		placed := false
		for g := range groups {
			if strings.HasPrefix(lit, groups[g].prefix) {
				groups[g].triggers = append(groups[g].triggers, t)
				placed = true
				break
			}
		}
		if !placed {
			groups = append(groups, struct {
				prefix   string
				triggers []int
			}{lit, []int{t}})
		}
	}
	return groups
}()

// prefixTriggersArr is prefixTriggers as an array, for its length.
var prefixTriggersArr = [...]string{"PT ", "PT. ", "Công ty", "CÔNG TY", "Cty", "CTY", "บริษัท",
	"有限责任公司", "有限公司", "股份公司", "集团"}

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
