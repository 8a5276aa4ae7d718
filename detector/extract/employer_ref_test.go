package extract

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// employerSuffixRERef is employerSuffixRE as it was written before the legal
// forms moved to legalForms.
var employerSuffixRERef = regexp.MustCompile(`(?:^|[^\p{L}\p{N}_@.])((?:\p{Lu}[\p{L}\p{N}&'’.\-]*[ \t]){0,5}\p{Lu}[\p{L}\p{N}&'’.\-]*)[ \t]?,?[ \t]` +
	`(Co\.?,?\s?Ltd\.?|Company Limited|Company Ltd\.?|Pte\.?\s?Ltd\.?|Private Limited|Pvt\.?\s?Ltd\.?|Sdn\.?\s?Bhd\.?|Bhd\.?|` +
	`Inc\.?|Incorporated|LLC|L\.L\.C\.?|Ltd\.?|Limited|Corp\.?|Corporation|GmbH|PLC|JSC)(?:[^\p{L}\p{N}]|$)`)

// employerRef is Employer as it was before its fast paths (colons found
// with IndexByte, legal forms checked before the window's regular
// expression runs), frozen with indexColonRef: the reference the tests hold
// Employer to.
func employerRef(text string) (name string, span Span, ok bool) {
	text = clip(text)
	bestRank := 99
	// Labels: at every colon, a label word just before it.
	for p, n := 0, 0; p < len(text) && n < 64; {
		k, size := indexColonRef(text[p:])
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
		c := text[i]
		if c < 'A' || c > 'Z' || i > 0 && isASCIIAlnum(rune(text[i-1])) {
			continue
		}
		if _, k := legalFormTab.at(text, i); k == 0 {
			continue
		}
		n++
		ws := i - 200
		if ws < 0 {
			ws = 0
		}
		for ws < i && !utf8.RuneStart(text[ws]) {
			ws++
		}
		we := i + 40
		if we > len(text) {
			we = len(text)
		}
		for we > i && we < len(text) && !utf8.RuneStart(text[we]) {
			we--
		}
		for _, m := range employerSuffixRERef.FindAllStringSubmatchIndex(text[ws:we], -1) {
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

// indexColonRef returns the position and length of the first colon in text,
// ASCII ':' or full-width '：' (EF BC 9A), or -1. It is what
// strings.IndexAny(text, ":：") finds, without the per-rune search that a
// non-ASCII set costs.
func indexColonRef(text string) (int, int) {
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case ':':
			return i, 1
		case 0xEF:
			if i+2 < len(text) && text[i+1] == 0xBC && text[i+2] == 0x9A {
				return i, 3
			}
		}
	}
	return -1, 0
}

func checkEmployerRef(t *testing.T, text string) {
	t.Helper()
	name, span, ok := Employer(text)
	wname, wspan, wok := employerRef(text)
	if name != wname || span != wspan || ok != wok {
		t.Errorf("Employer(%q) = %q %v %v, reference %q %v %v", text, name, span, ok, wname, wspan, wok)
	}
}

func TestEmployerMatchesReference(t *testing.T) {
	for _, text := range corpusTexts(t) {
		checkEmployerRef(t, text)
	}
	for _, c := range employerCases {
		checkEmployerRef(t, c.in)
	}
	for _, text := range hostileSeeds {
		checkEmployerRef(t, text)
	}
}

func FuzzEmployerMatchesReference(f *testing.F) {
	for _, text := range corpusTexts(f) {
		f.Add(text)
	}
	for _, c := range employerCases {
		f.Add(c.in)
	}
	for _, text := range hostileSeeds {
		f.Add(text)
	}
	f.Fuzz(checkEmployerRef)
}
