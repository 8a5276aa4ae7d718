package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// employerPrev is Employer as it was before its byte scans and the
// narrowed windows of its regular expressions, frozen: the tests hold
// Employer to it as well as to employerRef.
func employerPrev(text string) (name string, span Span, ok bool) {
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
