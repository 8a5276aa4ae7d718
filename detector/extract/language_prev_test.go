package extract

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// languagePrev and the *Prev helpers below are LanguageOf and its helpers
// as they were before the per-class counters and the decoding fast paths,
// frozen: the tests hold LanguageOf to them as well as to languageRef.

// languagePrev is Language of the texts parts joined by line breaks (an ad's
// title and body), without joining them.
func languagePrev(parts ...string) string {
	// Read the first languageSample bytes of the parts together.
	var buf [4]string
	capped, budget := buf[:0], languageSample
	for _, p := range parts {
		p = prefix(p, budget)
		capped = append(capped, p)
		budget -= len(p)
	}
	parts = capped
	var latin, viet, han, kana, hangul int
	var scripts [len(scriptNames)]int
	for _, text := range parts {
		for i := 0; i < len(text); {
			if i+8 <= len(text) {
				if w := load64(text, i); w&0x8080808080808080 == 0 {
					latin += asciiLetters(w)
					i += 8
					continue
				}
			}
			c := text[i]
			if c < utf8.RuneSelf {
				if asciiLetter[c] {
					latin++
				}
				i++
				continue
			}
			r, w := decode3(text, i), 3
			if r < 0 {
				if r, w = utf8.DecodeRuneInString(text[i:]); r >= 0x10000 {
					i += w
					continue
				}
			}
			i += w
			switch k := blockClass[r>>4]; k {
			case classNone:
			case classLatin:
				if r != 0xD7 && r != 0xF7 {
					latin++
					if isVietnamese(r) {
						viet++
					}
				}
			case classHan:
				han++
			case classKana:
				kana++
			case classHangul:
				hangul++
			default:
				scripts[k-classScript]++
			}
		}
	}
	best, bestN := "", 0
	if han+kana > 0 {
		best, bestN = "zh", han+kana
		if kana > 0 && kana*5 >= han {
			best = "ja"
		}
	}
	if hangul > bestN {
		best, bestN = "ko", hangul
	}
	for k, lang := range scriptNames {
		if n := scripts[k]; n > bestN {
			best, bestN = lang, n
		}
	}
	if bestN > 0 && bestN*3 >= latin {
		if best == "hi" {
			return hindiOrNepaliPrev(parts)
		}
		return best
	}
	if latin < 3 {
		return ""
	}
	if viet >= 3 || viet*20 >= latin && viet > 0 {
		return "vi"
	}
	return latinByStopWordsPrev(parts)
}

// hindiOrNepaliPrev tells Hindi from Nepali by common function words.
func hindiOrNepaliPrev(parts []string) string {
	ne, hi := 0, 0
	for _, text := range parts {
		for i := 0; i < len(text); {
			// Find the next word: a run of characters that do not separate.
			r, size := decodeRune(text, i)
			if isHindiSep(r) {
				i += size
				continue
			}
			j := i + size
			for j < len(text) {
				r, size := decodeRune(text, j)
				if isHindiSep(r) {
					break
				}
				j += size
			}
			switch text[i:j] {
			case "छ", "छन्", "हो", "र", "गर्न", "हुन्छ", "तपाईं", "तपाईंलाई", "पर्ने", "भएको", "गर्नुहोस्", "मा", "लागि", "नेपाल", "रु", "छैन":
				ne++
			case "है", "हैं", "और", "में", "का", "की", "के", "लिए", "आप", "करें", "नहीं", "भी", "रुपये", "यह":
				hi++
			}
			i = j
		}
	}
	if ne > hi {
		return "ne"
	}
	return "hi"
}

func latinByStopWordsPrev(parts []string) string {
	var score [len(stopOrder)]int
	n := 0
	for _, text := range parts {
		n = countStopWordsPrev(text, n, &score)
	}
	best, bestN := "en", 0
	for k, lang := range stopOrder {
		if score[k] > bestN {
			best, bestN = lang, score[k]
		}
	}
	return best
}

// countStopWordsPrev adds to score the stop words of each language among the
// words of text, reading until n, the words read so far, reaches 2000, and
// returns n.
func countStopWordsPrev(text string, n int, score *[len(stopOrder)]int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i := 0; i < len(text) && n < 2000; {
		if i+8 <= len(text) {
			// Read 8 bytes at a time: hi marks the non-ASCII bytes, letter
			// the ASCII letters before the first of them.
			w := load64(text, i)
			hi := w & highs
			letter := letterMask(w)
			if letter&0x80 == 0 && hi&0x80 == 0 {
				// Skip the ASCII bytes that are not letters.
				if k := bits.TrailingZeros64(letter | hi); k < 64 {
					i += k >> 3
				} else {
					i += 8
				}
				continue
			}
			// A word of fewer than 8 ASCII letters, followed by an ASCII
			// byte, is looked up whole.
			if end := bits.TrailingZeros64((^letter|hi)&highs) >> 3; letter&0x80 != 0 && end < 8 && hi>>(8*end)&0x80 == 0 {
				i += end
				n++
				if langs := stopPacked.get((w | 0x20*ones) & (1<<(8*end) - 1)); langs != 0 {
					addStopWordPrev(score, langs)
				}
				continue
			}
		}
		// Find the next word: a run of letters.
		c := text[i]
		if c < utf8.RuneSelf {
			if !asciiLetter[c] {
				i++
				continue
			}
		} else if r, size := utf8.DecodeRuneInString(text[i:]); !unicode.IsLetter(r) {
			i += size
			continue
		}
		j := i
		var key uint64 // the lower-cased word packed, while ASCII
		ascii := true
		for j < len(text) {
			if c := text[j]; c < utf8.RuneSelf {
				if !asciiLetter[c] {
					break
				}
				if j-i < 8 {
					key |= uint64(c|0x20) << (8 * (j - i))
				}
				j++
				continue
			}
			r, size := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r) {
				break
			}
			ascii = false
			j += size
		}
		w := text[i:j]
		i = j
		n++
		var langs uint8
		switch {
		case len(w) > maxStopWord:
		case ascii && len(w) <= 8:
			langs = stopPacked.get(key)
		case ascii:
			var buf [16]byte
			for k := 0; k < len(w); k++ {
				buf[k] = w[k] | 0x20
			}
			langs = stopIndex[string(buf[:len(w)])]
		default:
			langs = stopIndex[strings.ToLower(w)]
		}
		if langs != 0 {
			addStopWordPrev(score, langs)
		}
	}
	return n
}

// addStopWordPrev counts a stop word of the languages langs (bits of
// indexes in stopOrder) into score.
func addStopWordPrev(score *[len(stopOrder)]int, langs uint8) {
	for k := range stopOrder {
		if langs&(1<<k) != 0 {
			score[k]++
		}
	}
}
