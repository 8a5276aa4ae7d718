package extract

import (
	"strings"
	"unicode/utf8"
)

// placesPrev is Places as it was before it scanned eight bytes at a time
// for word starts and lead bytes, frozen: the tests hold Places to it as
// well as to placesRef.
func placesPrev(text string) []Place {
	text = clip(text)
	var out []Place
	prev := rune(-1) // the character before i
	for i := 0; i < len(text) && len(out) < MaxResults; {
		c := text[i]
		r, size := rune(c), 1
		var cands []gazName
		switch {
		case c < utf8.RuneSelf:
			// Names in Latin script start a word: skip letters inside one.
			if isLatinWord(prev) || asciiClass[c]&asciiStart == 0 {
				// Skip on to the next position where this test fails.
				for i++; i < len(text) && text[i] < utf8.RuneSelf &&
					(asciiClass[text[i-1]]&asciiWord != 0 || asciiClass[text[i]]&asciiStart == 0); i++ {
				}
				prev = rune(text[i-1])
				continue
			}
			if row := gazPairs[c]; row != nil {
				var next byte
				if i+1 < len(text) {
					next = lowerByte(text[i+1])
				}
				cands = gazPairLists[row[next]]
			}
		default:
			if r = decode3(text, i); r >= 0 {
				size = 3
			} else {
				r, size = utf8.DecodeRuneInString(text[i:])
			}
			switch {
			case r >= 0x10000:
				cands = gazIndex[r]
			case gazFirstBMP[r>>6]&(1<<(r&63)) != 0:
				cands = gazLists[gazBMP[r]]
			}
		}
		matched := 0
		prevLatin := len(cands) > 0 && isLatinWord(prev)
		for _, g := range cands {
			if g.boundL && prevLatin {
				continue
			}
			end := i + len(g.name)
			if end > len(text) {
				continue
			}
			seg := text[i:end]
			switch {
			case g.plain:
				if seg != g.name {
					continue
				}
			case g.lower != "":
				// An ASCII name: a text of as many bytes that folds to it
				// is ASCII too.
				if !equalFoldASCII(seg, g.lower) {
					continue
				}
			case !strings.EqualFold(seg, g.name):
				continue
			}
			if g.boundR && isLatinWord(runeAt(text, end)) {
				continue
			}
			e := gazetteer[g.entry]
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
