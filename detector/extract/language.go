package extract

import (
	"math/bits"
	"unicode"
	"unicode/utf8"
)

// languageSample is how much of the text Language reads: enough for a
// confident guess on any real ad.
const languageSample = 8 << 10

// Language returns a best guess at the ISO 639-1 code of the language text
// is written in, or "" when text has too few letters to tell.
//
// The script decides first: Han → zh (ja with kana, ko with Hangul), Thai →
// th, Khmer → km, Lao → lo, Myanmar → my, Sinhala → si, Bengali → bn,
// Tamil → ta, Arabic → ar, Cyrillic → ru, Devanagari → ne or hi by stop
// words. A non-Latin script wins when it has at least a third as many
// letters as Latin, since ads in other scripts often carry English names and
// handles. Latin text is vi when it carries Vietnamese diacritics, else the
// language with the most stop words among en, id, ms, tl, sw, es, pt and fr
// (en when none is found). Only the first 8 KiB are read.
func Language(text string) string { return LanguageOf(text) }

// LanguageOf is Language of the texts parts joined by line breaks (an ad's
// title and body), without joining them.
func LanguageOf(parts ...string) string {
	// Read the first languageSample bytes of the parts together.
	var buf [4]string
	capped, budget := buf[:0], languageSample
	for _, p := range parts {
		p = prefix(p, budget)
		capped = append(capped, p)
		budget -= len(p)
	}
	parts = capped
	// counts[k] counts the letters of class k, except classLatin, whose
	// letters latin counts (with viet, the Vietnamese ones among them).
	var counts [int(classScript) + len(scriptNames)]int
	latin, viet := 0, 0
	runClass, run := classNone, 0
	for _, text := range parts {
		for i := 0; i < len(text); {
			if i+8 <= len(text) {
				w := load64(text, i)
				hi := w & 0x8080808080808080
				if hi == 0 {
					latin += asciiLetters(w)
					i += 8
					continue
				}
				// Count the ASCII letters before the first byte that is
				// not ASCII, and go on from it.
				if f := bits.TrailingZeros64(hi) &^ 7; f > 0 {
					latin += bits.OnesCount64(letterMask(w) & (1<<f - 1))
					i += f >> 3
				}
			} else if c := text[i]; c < utf8.RuneSelf {
				if asciiLetter[c] {
					latin++
				}
				i++
				continue
			}
			c := text[i]
			var r rune
			switch {
			case c >= 0xE0 && c < 0xF0 && i+2 < len(text):
				// A run of characters of three bytes (the Asian scripts),
				// read in a loop of its own; decode3, written out.
				for {
					b1, b2 := rune(text[i+1])^0x80, rune(text[i+2])^0x80
					r = rune(c&0x0F)<<12 | b1<<6 | b2
					if b1|b2 >= 0x40 || r < 0x800 || r>>11 == 0xD800>>11 {
						i++ // not a valid character: U+FFFD of one byte
						break
					}
					i += 3
					// As below, for the classes of three bytes: Latin only
					// in U+1E00 to U+1EFF, where neither × nor ÷ is.
					if k := blockClass[r>>4]; k == runClass {
						run++
					} else if k != classLatin {
						counts[runClass] += run
						runClass, run = k, 1
					} else {
						latin++
						if vietBits[latinIndex(r)>>6]&(1<<(latinIndex(r)&63)) != 0 {
							viet++
						}
					}
					if i+2 >= len(text) {
						break
					}
					if c = text[i]; c&0xF0 != 0xE0 {
						break
					}
				}
				continue
			case c >= 0xC2 && c < 0xE0 && i+1 < len(text) && text[i+1]&0xC0 == 0x80:
				r = rune(c&0x1F)<<6 | rune(text[i+1]&0x3F)
				i += 2
			default:
				rr, w := utf8.DecodeRuneInString(text[i:])
				i += w
				if rr >= 0x10000 {
					continue
				}
				r = rr
			}
			if k := blockClass[r>>4]; k == runClass {
				run++
			} else if k != classLatin {
				// Count runs of one class in a register: incrementing
				// counts[k] per character waits on the store before.
				counts[runClass] += run
				runClass, run = k, 1
			} else if r != 0xD7 && r != 0xF7 {
				latin++
				if vietBits[latinIndex(r)>>6]&(1<<(latinIndex(r)&63)) != 0 {
					viet++
				}
			}
		}
	}
	counts[runClass] += run
	han, kana, hangul := counts[classHan], counts[classKana], counts[classHangul]
	scripts := counts[classScript:]
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
			return hindiOrNepali(parts)
		}
		return best
	}
	if latin < 3 {
		return ""
	}
	if viet >= 3 || viet*20 >= latin && viet > 0 {
		return "vi"
	}
	return latinByStopWords(parts)
}

// load64 returns the 8 bytes of s from i, the first in the low byte.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// asciiLetters returns how many of the 8 ASCII bytes in w are letters.
func asciiLetters(w uint64) int {
	return int((letterMask(w) >> 7) * 0x0101010101010101 >> 56)
}

// letterMask returns the top bit of each byte of w that is an ASCII letter,
// up to the first byte of w that is not ASCII; from there on the bits mean
// nothing.
func letterMask(w uint64) uint64 {
	const ones = 0x0101010101010101
	y := w | 0x20*ones // fold case: a letter is now in 'a'..'z'
	// Adding 0x80-b to an ASCII byte sets its top bit exactly when it is at
	// least b, and carries into no other byte (a non-ASCII one carries
	// into the next).
	return (y + (0x80-'a')*ones) &^ (y + (0x80-'z'-1)*ones) & (0x80 * ones)
}

// decodeRune is utf8.DecodeRuneInString(s[i:]), through decode3.
func decodeRune(s string, i int) (rune, int) {
	if r := decode3(s, i); r >= 0 {
		return r, 3
	}
	return utf8.DecodeRuneInString(s[i:])
}

// decode3 returns the character of three bytes (U+0800 to U+FFFF: the
// Asian scripts) at s[i], or -1 when s[i:] does not start with a valid one:
// a fast path in front of utf8.DecodeRuneInString.
func decode3(s string, i int) rune {
	if i+2 >= len(s) || s[i]&0xF0 != 0xE0 {
		return -1
	}
	b1, b2 := rune(s[i+1])^0x80, rune(s[i+2])^0x80 // 10xxxxxx to 00xxxxxx
	r := rune(s[i]&0x0F)<<12 | b1<<6 | b2
	if b1|b2 >= 0x40 || r < 0x800 || r>>11 == 0xD800>>11 { // overlong, or a surrogate
		return -1
	}
	return r
}

// prefix returns the longest prefix of text of at most n bytes that ends
// at a character boundary.
func prefix(text string, n int) string {
	if len(text) <= n {
		return text
	}
	for n > 0 && !utf8.RuneStart(text[n]) {
		n--
	}
	return text[:max(n, 0)]
}

// scriptNames are the languages scriptOf tells apart, by index.
var scriptNames = [...]string{"th", "lo", "km", "my", "si", "hi", "bn", "ta", "ar", "ru", "el", "ka"}

// Classes of 16-character blocks of the Basic Multilingual Plane that
// Language counts; classScript+k is script k of scriptNames.
const (
	classNone uint8 = iota
	classLatin
	classHan
	classKana
	classHangul
	classScript
)

// blockClass maps each 16-character block of the BMP (r>>4) to its class:
// every range Language tells apart starts and ends on a block boundary.
var blockClass = func() (t [0x1000]uint8) {
	set := func(lo, hi rune, c uint8) {
		for b := lo >> 4; b <= hi>>4; b++ {
			t[b] = c
		}
	}
	set(0xC0, 0x24F, classLatin)
	set(0x1E00, 0x1EFF, classLatin)
	set(0x4E00, 0x9FFF, classHan)
	set(0x3400, 0x4DBF, classHan)
	set(0x3040, 0x30FF, classKana)
	set(0xAC00, 0xD7AF, classHangul)
	set(0x1100, 0x11FF, classHangul)
	for k, ranges := range scriptRanges {
		for _, rg := range ranges {
			set(rg[0], rg[1], classScript+uint8(k))
		}
	}
	return t
}()

// scriptRanges lists the Unicode blocks of each script of scriptNames.
var scriptRanges = [len(scriptNames)][][2]rune{
	{{0x0E00, 0x0E7F}},                                     // Thai
	{{0x0E80, 0x0EFF}},                                     // Lao
	{{0x1780, 0x17FF}, {0x19E0, 0x19FF}},                   // Khmer
	{{0x1000, 0x109F}, {0xA9E0, 0xA9FF}, {0xAA60, 0xAA7F}}, // Myanmar
	{{0x0D80, 0x0DFF}},                                     // Sinhala
	{{0x0900, 0x097F}},                                     // Devanagari
	{{0x0980, 0x09FF}},                                     // Bengali
	{{0x0B80, 0x0BFF}},                                     // Tamil
	{{0x0600, 0x06FF}, {0x0750, 0x077F}},                   // Arabic
	{{0x0400, 0x04FF}},                                     // Cyrillic
	{{0x0370, 0x03FF}},                                     // Greek
	{{0x10A0, 0x10FF}},                                     // Georgian
}

// latinIndex maps the characters of blockClass's classLatin (U+00C0 to
// U+024F and U+1E00 to U+1EFF) to distinct small numbers, for vietBits.
func latinIndex(r rune) rune {
	if r >= 0x1E00 {
		return r - 0x1E00 + 0x250
	}
	return r
}

// vietBits is isVietnamese for the characters of classLatin, by
// latinIndex, as bits: unicode.ToLower searches a table per call.
var vietBits = func() (set [(0x250 + 0x100 + 63) / 64]uint64) {
	for r := rune(0); r < 0x1F00; r++ {
		if blockClass[r>>4] == classLatin && isVietnamese(r) {
			k := latinIndex(r)
			set[k>>6] |= 1 << (k & 63)
		}
	}
	return set
}()

// asciiLetter marks the ASCII letters.
var asciiLetter = func() (t [utf8.RuneSelf]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	return t
}()

// isVietnamese reports whether r is a Latin letter used by Vietnamese and
// (almost) no other language the detector sees: ư, ơ, đ, and the letters
// with a dot below or a hook above.
func isVietnamese(r rune) bool {
	r = unicode.ToLower(r)
	switch r {
	case 'ư', 'ơ', 'đ', 'ă':
		return true
	}
	return r >= 0x1EA0 && r <= 0x1EF9 // Latin Extended Additional: ạ ả ấ ầ ẩ ẫ ậ ... ỹ
}

// hindiOrNepali tells Hindi from Nepali by common function words.
func hindiOrNepali(parts []string) string {
	ne, hi := 0, 0
	for _, text := range parts {
		for i := 0; i < len(text); {
			// Find the next word: a run of characters that do not separate.
			sep, size := hindiSepAt(text, i)
			if sep {
				i += size
				continue
			}
			j := i + size
			for j < len(text) {
				sep, size := hindiSepAt(text, j)
				if sep {
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

// hindiSepAt returns isHindiSep of the character at text[i] and its size,
// as decodeRune decodes it, reading ASCII and the Devanagari block without
// decoding.
func hindiSepAt(text string, i int) (bool, int) {
	c := text[i]
	if c < utf8.RuneSelf {
		return asciiSep[c], 1
	}
	if c == 0xE0 && i+2 < len(text) && text[i+1]&0xFE == 0xA4 && text[i+2]&0xC0 == 0x80 {
		// U+0900 to U+097F: E0 A4 80 to E0 A5 BF.
		return devanagariSep[(text[i+1]&1)<<6|text[i+2]&0x3F], 3
	}
	r, size := decodeRune(text, i)
	return isHindiSep(r), size
}

// isHindiSep reports whether r separates words for hindiOrNepali.
func isHindiSep(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return asciiSep[r]
	case r >= 0x900 && r < 0x980:
		return devanagariSep[r-0x900]
	}
	return slowIsHindiSep(r)
}

func slowIsHindiSep(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || r == '।' }

// asciiSep and devanagariSep are slowIsHindiSep for ASCII and the
// Devanagari block, where hindiOrNepali reads most characters: its range
// table searches cost more than the rest of hindiOrNepali.
var asciiSep, devanagariSep = func() (a, d [0x80]bool) {
	for k := range a {
		a[k] = slowIsHindiSep(rune(k))
		d[k] = slowIsHindiSep(rune(0x900 + k))
	}
	return a, d
}()

// stopWords are frequent short words of each Latin-script language. Words
// shared by Indonesian and Malay count for both; the ones that tell them
// apart count for one.
var stopWords = map[string][]string{
	"en": {"the", "and", "for", "you", "with", "are", "our", "your", "we", "is", "to", "of", "in", "no", "free", "work", "job", "apply", "will", "be"},
	"id": {"yang", "dan", "di", "untuk", "dengan", "tidak", "kerja", "gaji", "kami", "ini", "bisa", "gratis", "lowongan", "saja", "loker", "dicari", "segera", "hubungi", "juta", "perlu", "berangkat", "tanpa", "pengalaman", "bulan"},
	"ms": {"yang", "dan", "di", "untuk", "dengan", "tidak", "kerja", "gaji", "kami", "ini", "boleh", "percuma", "sahaja", "kosong", "jawatan", "syarikat", "anda", "bulan", "tanpa", "pengalaman", "sebulan", "kerana", "perlukan", "kedai", "elaun", "warganegara", "juruwang", "kekosongan", "majikan", "sila", "hubungi", "atau", "terus", "tak", "perlu", "tiket", "makan"},
	"tl": {"ang", "ng", "mga", "sa", "na", "para", "kayo", "ikaw", "po", "lang", "trabaho", "sahod", "libre", "walang", "kailangan", "hindi", "may", "ay", "kami", "namin"},
	"sw": {"na", "ya", "wa", "kwa", "kazi", "za", "ni", "katika", "mshahara", "bure", "hakuna", "tafadhali", "kwenda", "nchini", "wasichana", "vijana", "mwezi"},
	"es": {"el", "la", "los", "las", "de", "que", "y", "en", "para", "con", "por", "trabajo", "salario", "sin", "gratis", "empleo", "una", "es"},
	"pt": {"o", "a", "os", "de", "que", "e", "em", "para", "com", "não", "trabalho", "salário", "sem", "grátis", "uma", "emprego", "você"},
	"fr": {"le", "la", "les", "de", "des", "et", "en", "pour", "avec", "vous", "travail", "salaire", "sans", "gratuit", "une", "est"},
}

// stopOrder lists the languages latinByStopWords scores, in the order that
// breaks ties.
var stopOrder = [...]string{"en", "id", "ms", "tl", "sw", "es", "pt", "fr"}

// stopIndex maps a stop word to the set of its languages, as bits of
// indexes in stopOrder.
var stopIndex = func() map[string]uint8 {
	idx := map[string]uint8{}
	for k, lang := range stopOrder {
		for _, w := range stopWords[lang] {
			idx[w] |= 1 << k
		}
	}
	return idx
}()

// stopPacked is stopIndex for the ASCII stop words of at most 8 bytes,
// keyed by packWord: an open-addressing table, since looking up every word
// of a text in a map of strings costs more than the rest of Language.
var stopPacked = func() *packedSet {
	p := new(packedSet)
	for w, langs := range stopIndex {
		if k, ok := packWord(w); ok {
			p.add(k, langs)
		}
	}
	return p
}()

// packWord packs a lower-case ASCII word of 1 to 8 bytes into a nonzero
// uint64, one byte per letter, the first in the low byte (as load64 reads
// them).
func packWord(w string) (uint64, bool) {
	if len(w) == 0 || len(w) > 8 {
		return 0, false
	}
	var k uint64
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return 0, false
		}
		k |= uint64(w[i]) << (8 * i)
	}
	return k, true
}

// packedSet maps packed words to language sets. Its size is a power of two
// well above the number of stop words, so probes stay short.
type packedSet struct {
	keys  [512]uint64
	langs [512]uint8
}

func (p *packedSet) slot(k uint64) int {
	return int((k * 0x9E3779B97F4A7C15) >> (64 - 9))
}

func (p *packedSet) add(k uint64, langs uint8) {
	i := p.slot(k)
	for p.keys[i] != 0 && p.keys[i] != k {
		i = (i + 1) & (len(p.keys) - 1)
	}
	p.keys[i] = k
	p.langs[i] |= langs
}

func (p *packedSet) get(k uint64) uint8 {
	for i := p.slot(k); p.keys[i] != 0; i = (i + 1) & (len(p.keys) - 1) {
		if p.keys[i] == k {
			return p.langs[i]
		}
	}
	return 0
}

// maxStopWord is the length in bytes of the longest stop word.
var maxStopWord = func() int {
	n := 0
	for w := range stopIndex {
		n = max(n, len(w))
	}
	return n
}()

func latinByStopWords(parts []string) string {
	// hist counts the stop words by their set of languages: one
	// increment per word, whichever the set (0 for a word that is none),
	// so that the loop over words does not branch on stop words.
	var hist [1 << len(stopOrder)]int32
	n := 0
	for _, text := range parts {
		n = countStopWords(text, n, &hist)
	}
	var score [len(stopOrder)]int
	for langs := 1; langs < len(hist); langs++ {
		if c := int(hist[langs]); c != 0 {
			for k := range stopOrder {
				if langs&(1<<k) != 0 {
					score[k] += c
				}
			}
		}
	}
	best, bestN := "en", 0
	for k, lang := range stopOrder {
		if score[k] > bestN {
			best, bestN = lang, score[k]
		}
	}
	return best
}

// countStopWords adds to score the stop words of each language among the
// words of text, reading until n, the words read so far, reaches 2000, and
// returns n.
func countStopWords(text string, n int, hist *[1 << len(stopOrder)]int32) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i := 0; i < len(text) && n < 2000; {
		// i is never inside a word. Read 8 bytes at a time, and look up
		// each word of ASCII letters that ends inside them, followed by
		// an ASCII byte.
		if i+8 <= len(text) {
			w := load64(text, i)
			ascii := ^uint64(0) // the bytes before the first non-ASCII one
			next := i + 8       // where to go on when every word ends here
			if hi := w & highs; hi != 0 {
				f := bits.TrailingZeros64(hi) &^ 7
				ascii = 1<<f - 1
				next = i + f>>3
			}
			letter := letterMask(w) & ascii
			other := ^letter & highs & ascii
			lower := w | 0x20*ones
			for m := letter &^ (letter << 8); m != 0; m &= m - 1 {
				sb := bits.TrailingZeros64(m)
				rest := other >> sb << sb
				if rest == 0 {
					// The word may go on past these bytes: read it from
					// its start.
					next = i + sb>>3
					break
				}
				if n >= 2000 {
					return n
				}
				n++
				s, e := sb&^7, bits.TrailingZeros64(rest)&^7
				hist[stopPacked.get(lower>>s&(1<<(e-s)-1))]++
			}
			if next > i {
				i = next
				continue
			}
			// A long word, or a character that is not ASCII, at i.
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
			// strings.ToLower(w), into a buffer on the stack: a word is
			// all letters, so valid UTF-8, which ToLower maps rune by rune.
			var buf [64]byte
			lw := buf[:0]
			for _, r := range w {
				lw = utf8.AppendRune(lw, unicode.ToLower(r))
			}
			langs = stopIndex[string(lw)]
		}
		hist[langs]++
	}
	return n
}
