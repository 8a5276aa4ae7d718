package extract

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// placesRef is Places as it was before its fast paths (folding ASCII names
// by bytes, the previous character judged once per position, tables in
// front of gazIndex): the reference the tests hold it to.
func placesRef(text string) []Place {
	text = clip(text)
	var out []Place
	prev := rune(-1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if len(out) >= MaxResults {
			break
		}
		matched := 0
		// Names in Latin script start a word: skip letters inside one.
		if r < utf8.RuneSelf && (isLatinWord(prev) || !isASCIIAlnum(r) && r != '\'') {
			prev = r
			i += size
			continue
		}
		cands := gazIndex[r]
		for _, c := range cands {
			if c.boundL && isLatinWord(prev) {
				continue
			}
			end := i + len(c.name)
			if end > len(text) {
				continue
			}
			seg := text[i:end]
			if c.exact && seg != c.name || !c.exact && !strings.EqualFold(seg, c.name) {
				continue
			}
			if c.boundR && isLatinWord(runeAt(text, end)) {
				continue
			}
			e := gazetteer[c.entry]
			out = append(out, Place{Span: Span{i, end}, Text: seg, ID: e.id, Name: e.name, Country: e.country, Kind: e.kind})
			matched = end
			break
		}
		if matched > 0 {
			prev, _ = utf8.DecodeLastRuneInString(text[:matched])
			i = matched
			continue
		}
		prev = r
		i += size
	}
	return out
}

func checkPlacesRef(t *testing.T, text string) {
	t.Helper()
	got := Places(text)
	if want := placesRef(text); !slices.Equal(got, want) {
		t.Errorf("Places(%q) = %v, reference %v", text, got, want)
	}
	if (got == nil) != (placesRef(text) == nil) {
		t.Errorf("Places(%q) = %#v: nil differs from the reference", text, got)
	}
	buf := []Place{{ID: "kept"}}
	if app := AppendPlaces(buf, text); app[0].ID != "kept" || !slices.Equal(app[1:], got) {
		t.Errorf("AppendPlaces(%q) = %v, want kept + %v", text, app, got)
	}
}

// placeCaseTexts write names in other cases, with characters whose case
// forms are encoded otherwise (the Kelvin sign folds to k, ſ to s), to hold
// the tables Places narrows its candidates with to strings.EqualFold.
var placeCaseTexts = []string{
	"K\u212A园区 kK公园 \u212AK Park KK Park", "LÀO, Lào, lÀo, Laos.", "MỘC BÀI / mộc bài / Mộc Bài",
	"VIỆT NAM, việt nam", "O’SMACH o’smach O'smach", "ĐUBAI đubai", "ſihanoukville SIHANOUKVILLE Sihanou\u212Aville",
	"Phnom-Penh PHNOMPENH shv SHV bkk BKK", "x", "'", "L", "西", "th\xe0\xb8", "Bangkok\xff", "\xe0\xb8\xaa\xe0\xb8",
	"éBangkok ĐubaiBangkok _Bangkok 9Bangkok 'Bangkok \xc3Bangkok \xc3\xa9Poipet aPoipet\xe8西港", "\xc0\x80Bavet\xed\xa0\x80Bavet",
	"Bangkok_ Bangkok1 Bangkok' xBangkokBangkok Bangkok.Bangkok", "12345678Bangkok", "abcdefg Bangkok", "abcdefgBangkok",
}

func TestPlacesMatchesReference(t *testing.T) {
	for _, text := range corpusTexts(t) {
		checkPlacesRef(t, text)
	}
	for _, text := range placeCaseTexts {
		checkPlacesRef(t, text)
	}
}

func FuzzPlacesMatchesReference(f *testing.F) {
	for _, text := range corpusTexts(f) {
		f.Add(text)
	}
	for _, text := range placeCaseTexts {
		f.Add(text)
	}
	f.Add("fly to Sihanoukville via Bangkok, then 西港 / SHV; Laoshan is not Laos; ſihanoukville, LAOſ")
	f.Fuzz(checkPlacesRef)
}

// TestGazetteerBMP checks what AppendPlaces assumes: every name starts with
// a character of the Basic Multilingual Plane.
func TestGazetteerBMP(t *testing.T) {
	for r := range gazIndex {
		if r >= 0x10000 {
			t.Errorf("a name starts with %U, outside the BMP", r)
		}
	}
}

// TestLatinBMP checks the bit set against unicode.In for every character.
func TestLatinBMP(t *testing.T) {
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if got, want := isLatinWord(r), slowIsLatinWord(r); got != want {
			t.Fatalf("isLatinWord(%U) = %v, want %v", r, got, want)
		}
	}
}
