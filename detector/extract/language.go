package extract

import (
	"math/bits"
	"slices"
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
// Tamil → ta, Telugu → te, Kannada → kn, Malayalam → ml, Gujarati → gu,
// Gurmukhi → pa, Oriya → or, Greek → el, Georgian → ka, Armenian → hy,
// Hebrew → he, Mongolian → mn; Devanagari → hi, ne or mr by function
// words; Ethiopic → am, or ti when it writes ኣ more than አ; Arabic → ar,
// or fa, ur or ps by the letters those alphabets add; Cyrillic → ru, or uk,
// be, kk, ky, mn, tg or uz by the letters their alphabets add. A non-Latin
// script wins when it has at least a third as many letters as Latin, since
// ads in other scripts often carry English names and handles. Latin text is
// vi when it carries Vietnamese diacritics, else the language with the most
// stop words and marking letters (ə for az; ı, ğ and ş for tr and az; ɓ, ɗ
// and ƙ for ha) among the languages of stopOrder: en, id, ms, tl, sw, es,
// pt, fr, tr, az, uz, ha, om and so, and languages of other scripts as
// people type them in Latin letters, Hindi and Urdu to Kannada, Gujarati,
// Marathi and Punjabi (en when none is found). Letters
// spaced or dotted out ("C u s t o m e r") are not words, and a Greek or
// Cyrillic letter next to a Latin one (a homoglyph in "сustоmеr") counts
// as Latin. Only the first 8 KiB are read.
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
	var marks latinMarks // the marking Latin letters, by latinMark
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
				if c >= 0xCE && c <= 0xD1 && (i > 2 && text[i-3] < utf8.RuneSelf && asciiLetter[text[i-3]] || i < len(text) && text[i] < utf8.RuneSelf && asciiLetter[text[i]]) {
					// A Greek or Cyrillic letter next to a Latin one, in
					// a word of mixed scripts: a homoglyph standing for
					// a Latin letter ("сustоmеr" with с, о and е
					// Cyrillic).
					latin++
					continue
				}
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
				marks[latinMark[latinIndex(r)]]++
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
		return refineScript(best, parts)
	}
	if latin < 3 {
		return ""
	}
	if viet >= 3 || viet*20 >= latin && viet > 0 {
		return "vi"
	}
	return latinByStopWords(parts, &marks)
}

// refineScript tells apart the languages that share the script whose
// language is lang (as scriptNames names it), reading parts again: only
// ads in those scripts pay for it.
func refineScript(lang string, parts []string) string {
	switch lang {
	case "hi":
		return devanagariLanguage(parts)
	case "ru":
		return cyrillicLanguage(parts)
	case "ar":
		return arabicLanguage(parts)
	case "am":
		return ethiopicLanguage(parts)
	}
	return lang
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
var scriptNames = [...]string{"th", "lo", "km", "my", "si", "hi", "bn", "ta", "ar", "ru", "el", "ka",
	"am", "te", "kn", "ml", "gu", "pa", "or", "hy", "he", "mn"}

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
	{{0x0600, 0x06FF}, {0x0750, 0x077F}, {0x08A0, 0x08FF}, {0xFB50, 0xFDFF}, {0xFE70, 0xFEFF}}, // Arabic
	{{0x0400, 0x052F}}, // Cyrillic
	{{0x0370, 0x03FF}}, // Greek
	{{0x10A0, 0x10FF}, {0x1C90, 0x1CBF}, {0x2D00, 0x2D2F}}, // Georgian
	{{0x1200, 0x139F}, {0x2D80, 0x2DDF}, {0xAB00, 0xAB2F}}, // Ethiopic
	{{0x0C00, 0x0C7F}}, // Telugu
	{{0x0C80, 0x0CFF}}, // Kannada
	{{0x0D00, 0x0D7F}}, // Malayalam
	{{0x0A80, 0x0AFF}}, // Gujarati
	{{0x0A00, 0x0A7F}}, // Gurmukhi
	{{0x0B00, 0x0B7F}}, // Oriya
	{{0x0530, 0x058F}}, // Armenian
	{{0x0590, 0x05FF}}, // Hebrew
	{{0x1800, 0x18AF}}, // Mongolian
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

// devanagariLanguage tells Hindi, Nepali and Marathi apart by common
// function words: hi unless Nepali's or Marathi's outnumber Hindi's.
func devanagariLanguage(parts []string) string {
	ne, hi, mr := 0, 0, 0
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
			switch devanagariWords[text[i:j]] {
			case "ne":
				ne++
			case "hi":
				hi++
			case "mr":
				mr++
			}
			i = j
		}
	}
	switch {
	case mr > hi && mr >= ne:
		return "mr"
	case ne > hi:
		return "ne"
	}
	return "hi"
}

// devanagariWords maps the function words devanagariLanguage counts to
// their language.
var devanagariWords = func() map[string]string {
	m := map[string]string{}
	for lang, words := range map[string][]string{
		"ne": {"छ", "छन्", "हो", "र", "गर्न", "हुन्छ", "तपाईं", "तपाईंलाई", "पर्ने", "भएको", "गर्नुहोस्", "मा", "लागि", "नेपाल", "रु", "छैन", "ले", "लाई", "बाट", "पनि", "हुने", "गर्ने", "हामी", "छौं", "थियो", "भने", "तलब"},
		"hi": {"है", "हैं", "और", "में", "का", "की", "के", "लिए", "आप", "करें", "नहीं", "भी", "रुपये", "यह", "से", "पर", "हम", "था", "थे", "होगा", "वेतन", "नौकरी"},
		"mr": {"आहे", "आहेत", "आणि", "व", "ची", "चा", "चे", "च्या", "साठी", "नाही", "आम्ही", "तुम्ही", "करा", "मध्ये", "हे", "ते", "होते", "आपण", "येथे", "पगार"},
	} {
		for _, w := range words {
			m[w] = lang
		}
	}
	return m
}()

// cyrillicLanguage tells apart the languages written in Cyrillic by the
// letters their alphabets add to Russian's: ӣ ӯ ҷ Tajik; ә ұ һ Kazakh; ў
// Uzbek (Belarusian when і comes with it and қ ғ ҳ do not); қ ғ ҳ Uzbek,
// Kazakh or Tajik; ї є ґ, or і without ы and э, Ukrainian; ң with ө or ү
// Kyrgyz (Kazakh has ң too, but also its own letters); ө ү alone Kyrgyz
// or Mongolian, told apart by common words. A letter or two can be a name,
// so most tests need two.
func cyrillicLanguage(parts []string) string {
	var c [cyrClasses]int
	countLetters(parts, 0x400, cyrClass[:], c[:])
	tg, kk, wu, qg, h, uk := c[cyrTg], c[cyrKk], c[cyrWu], c[cyrQg], c[cyrH], c[cyrUk]
	i, yE, ng, ou := c[cyrI], c[cyrYE], c[cyrNg], c[cyrOu]
	switch {
	case tg >= 2:
		return "tg"
	case kk >= 2:
		return "kk"
	case wu >= 2 && i > 0 && qg+h == 0:
		return "be"
	case wu >= 2, wu >= 1 && qg+h >= 1:
		return "uz"
	case qg+h >= 2 && (ng > 0 || i > 0):
		return "kk"
	case qg+h >= 2 && h > 0:
		return "uz"
	case qg >= 2:
		return "kk"
	case uk >= 1 && i+uk >= 2, i >= 2 && yE == 0:
		return "uk"
	case ng >= 1 && ng+ou >= 2:
		return "ky"
	case ou >= 2:
		return kyrgyzOrMongolian(parts)
	}
	return "ru"
}

// kyrgyzOrMongolian tells Kyrgyz from Mongolian, whose alphabets add the
// same ө and ү to Russian's (Kyrgyz also ң, which a short text may lack),
// by common words: mn unless Kyrgyz's outnumber Mongolian's.
func kyrgyzOrMongolian(parts []string) string {
	ky, mn := 0, 0
	var buf [64]byte // a word, lower-cased
	for _, text := range parts {
		w := buf[:0]
		for i := 0; i <= len(text); {
			r, size := utf8.RuneError, 1
			if i < len(text) {
				r, size = utf8.DecodeRuneInString(text[i:])
			}
			if i < len(text) && unicode.IsLetter(r) {
				if len(w)+utf8.UTFMax <= len(buf) {
					w = utf8.AppendRune(w, unicode.ToLower(r))
				}
			} else if len(w) > 0 {
				switch kyMnWords[string(w)] { // no allocation for a map lookup
				case "ky":
					ky++
				case "mn":
					mn++
				}
				w = w[:0]
			}
			i += size
		}
	}
	if ky > mn {
		return "ky"
	}
	return "mn"
}

// kyMnWords maps the common words kyrgyzOrMongolian counts to their
// language.
var kyMnWords = func() map[string]string {
	m := map[string]string{}
	for _, w := range []string{"жана", "менен", "үчүн", "бул", "деп", "керек", "жок", "бар", "эмес", "иш", "жумуш", "айлык", "акысыз", "бекер", "сиз", "биз"} {
		m[w] = "ky"
	}
	for _, w := range []string{"ба", "болон", "нь", "юм", "энэ", "тэр", "байна", "бол", "ажил", "цалин", "үнэгүй", "та", "бид", "мөн", "гэж", "хүн"} {
		m[w] = "mn"
	}
	return m
}()

// arabicLanguage tells apart the languages written in Arabic script by
// the letters their alphabets add: Pashto's ټ ډ ړ ږ ښ ځ څ ۍ ې ګ ڼ,
// Urdu's ٹ ڈ ڑ ں ے ھ ہ, and the پ چ ژ گ ک ی that Persian shares with both,
// where Arabic writes ك and ي (and ة, ى).
func arabicLanguage(parts []string) string {
	var c [arClasses]int
	countLetters(parts, 0x600, arClass[:], c[:])
	ps, ur, fa, ar := c[arPs], c[arUr], c[arFa], c[arAr]
	switch {
	case ps >= 2 && ps >= ur:
		return "ps"
	case ur >= 2:
		return "ur"
	case fa >= 2 && fa > ar:
		return "fa"
	}
	return "ar"
}

// Classes of the Cyrillic letters cyrillicLanguage counts (0: the others).
const (
	cyrOther = iota
	cyrTg    // ӣ ӯ ҷ
	cyrKk    // ә ұ һ
	cyrWu    // ў
	cyrQg    // қ ғ
	cyrH     // ҳ
	cyrUk    // ї є ґ
	cyrI     // і
	cyrYE    // ы э
	cyrNg    // ң
	cyrOu    // ө ү
	cyrClasses
)

// cyrClass maps U+0400 to U+052F to their class for cyrillicLanguage.
var cyrClass = letterClasses(0x400, 0x130, map[int]string{
	cyrTg: "ӣӢӯӮҷҶ", cyrKk: "әӘұҰһҺ", cyrWu: "ўЎ", cyrQg: "қҚғҒ", cyrH: "ҳҲ",
	cyrUk: "їЇєЄґҐ", cyrI: "іІ", cyrYE: "ыЫэЭ", cyrNg: "ңҢ", cyrOu: "өӨүҮ",
})

// Classes of the Arabic-script letters arabicLanguage counts.
const (
	arOther = iota
	arPs
	arUr
	arFa
	arAr
	arClasses
)

// arClass maps U+0600 to U+06FF to their class for arabicLanguage.
var arClass = letterClasses(0x600, 0x100, map[int]string{
	arPs: "ټډړږښځڅۍېګڼ", arUr: "ٹڈڑںےۓھہ", arFa: "پچژگکی", arAr: "كيةى",
})

// letterClasses returns a table of n classes from base, with the letters
// of each class of classes.
func letterClasses(base rune, n int, classes map[int]string) []uint8 {
	t := make([]uint8, n)
	for k, letters := range classes {
		for _, r := range letters {
			t[r-base] = uint8(k)
		}
	}
	return t
}

// countLetters counts in counts the characters of two bytes in UTF-8
// (U+0080 to U+07FF: Cyrillic, Arabic) from base in parts, by their class
// in table (table[r-base]); it reads the bytes without decoding the
// other characters.
func countLetters(parts []string, base rune, table []uint8, counts []int) {
	for _, text := range parts {
		for i := 0; i+1 < len(text); i++ {
			c := text[i]
			if c < 0xC2 || c >= 0xE0 || text[i+1]&0xC0 != 0x80 {
				continue
			}
			r := rune(c&0x1F)<<6 | rune(text[i+1]&0x3F)
			if k := r - base; k >= 0 && int(k) < len(table) {
				counts[table[k]]++
			}
			i++
		}
	}
}

// ethiopicLanguage tells Tigrinya from Amharic: Tigrinya writes the
// vowel-bearer ኣ where Amharic writes አ.
func ethiopicLanguage(parts []string) string {
	ti, am := 0, 0
	for _, text := range parts {
		for _, r := range text {
			switch r {
			case 'ኣ':
				ti++
			case 'አ':
				am++
			}
		}
	}
	if ti >= 2 && ti > am {
		return "ti"
	}
	return "am"
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
// apart count for one. Turkish and Azerbaijani share many; the letters
// latinMark counts tell them apart.
var stopWords = map[string][]string{
	"en": {"the", "and", "for", "you", "with", "are", "our", "your", "we", "is", "to", "of", "in", "no", "free", "work", "job", "apply", "will", "be"},
	"id": {"yang", "dan", "di", "untuk", "dengan", "tidak", "kerja", "gaji", "kami", "ini", "bisa", "gratis", "lowongan", "saja", "loker", "dicari", "segera", "hubungi", "juta", "perlu", "berangkat", "tanpa", "pengalaman", "bulan", "dibutuhkan", "kantor", "perusahaan", "biaya", "usia", "lewat", "sesuai", "uang", "karena", "sudah", "saya", "kamu"},
	"ms": {"yang", "dan", "di", "untuk", "dengan", "tidak", "kerja", "gaji", "kami", "ini", "boleh", "percuma", "sahaja", "kosong", "jawatan", "syarikat", "anda", "bulan", "tanpa", "pengalaman", "sebulan", "kerana", "perlukan", "kedai", "elaun", "warganegara", "juruwang", "kekosongan", "majikan", "sila", "hubungi", "atau", "terus", "tak", "perlu", "tiket", "makan", "taip", "yuran", "akaun", "pautan", "bayaran", "wang", "pejabat", "umur"},
	"tl": {"ang", "ng", "mga", "sa", "na", "para", "kayo", "ikaw", "po", "lang", "trabaho", "sahod", "libre", "walang", "kailangan", "hindi", "may", "ay", "kami", "namin"},
	"sw": {"na", "ya", "wa", "kwa", "kazi", "za", "ni", "katika", "mshahara", "bure", "hakuna", "tafadhali", "kwenda", "nchini", "wasichana", "vijana", "mwezi"},
	"es": {"el", "la", "los", "las", "de", "que", "y", "en", "para", "con", "por", "trabajo", "salario", "sin", "gratis", "empleo", "una", "es"},
	"pt": {"o", "a", "os", "de", "que", "e", "em", "para", "com", "não", "trabalho", "salário", "sem", "grátis", "uma", "emprego", "você"},
	"fr": {"le", "la", "les", "de", "des", "et", "en", "pour", "avec", "vous", "travail", "salaire", "sans", "gratuit", "une", "est"},
	"tr": {"ve", "bir", "bu", "için", "ile", "çok", "ama", "gibi", "daha", "olan", "var", "yok", "iş", "maaş", "ücretsiz", "değil", "veya", "sonra", "kadar", "olarak", "bize", "size", "hemen", "yurtdışı", "çalışma", "aylık"},
	"az": {"və", "bir", "bu", "üçün", "ilə", "çox", "amma", "kimi", "daha", "olan", "var", "yox", "iş", "maaş", "pulsuz", "deyil", "sonra", "qədər", "bizə", "sizə", "dərhal", "xaricdə", "aylıq"},
	"uz": {"va", "uchun", "bilan", "ham", "yoki", "ish", "oylik", "kerak", "bor", "emas", "biz", "siz", "keyin", "juda", "lekin", "agar", "maosh", "bepul", "xorijda", "qiling", "ishlash", "ishga", "qabul", "hech", "shart", "orqali", "tomonidan", "bu", "bir"},
	"ha": {"da", "kuma", "wannan", "aiki", "akwai", "ake", "yana", "tana", "domin", "saboda", "amma", "kyauta", "albashi", "daga", "zuwa", "cikin", "ba", "ne", "ce", "za", "ga", "ko", "mu", "ku"},
	"om": {"fi", "kan", "akka", "keessa", "keessatti", "irratti", "irraa", "hojii", "waan", "isin", "kana", "sana", "ykn", "yoo", "garuu", "hin", "jira", "qabu", "mindaa", "bilisaan", "biyya", "alaa", "kaffaltii"},
	// Hindi and Urdu written in Latin letters, as chats and forwards often
	// are: the words they share count for both, and Urdu needs words of
	// its own (aik, tankhwah, tajurba) to win, since ties go to Hindi.
	"hi": {"hai", "hain", "aur", "mein", "nahi", "nahin", "bhi", "karo", "karein", "sirf", "aap", "aapke", "aapko", "hum", "yeh", "kya", "chahiye", "hoga", "dega", "milega", "kaam", "naukri", "bhejo", "koi", "ke", "ki", "se",
		"ek", "vetan", "anubhav", "sampark", "kripya", "bahut", "zarurat", "jarurat", "aapka", "dhanyavad", "pe", "wahan", "ko", "jana"},
	"ur": {"hai", "hain", "aur", "mein", "nahi", "nahin", "bhi", "karo", "karein", "sirf", "aap", "aapke", "aapko", "hum", "yeh", "kya", "chahiye", "hoga", "dega", "milega", "kaam", "naukri", "bhejo", "koi", "ke", "ki", "se",
		"aik", "tankhwah", "tankhah", "tajurba", "tajruba", "rabta", "mulazmat", "zaroorat", "bohat", "bohot", "shukriya", "inshallah", "mutabiq", "ijazat", "hy", "kay", "sy", "ny", "py", "liye", "umar", "daftar", "wahan", "par", "ko", "jana"},
	// Nepali and Bengali written in Latin letters. Nepali shares "ko" and
	// "jana" with Hindi and Urdu (they count for all three).
	"ne": {"chha", "cha", "chhaina", "chaina", "garnus", "garnuhos", "garne", "garera", "gareko", "bata", "lai", "matra", "ra", "ma", "hudai", "tyaha", "yaha", "mero", "hamro", "tapai", "tapaiko", "sabai", "kura", "chito", "huncha", "hunchha", "bhayo", "thiyo", "manchhe", "ahile", "kati", "barsa", "pugchha", "talab", "anubhav", "sampark", "pani", "jana", "ko"},
	"bn": {"hobe", "lagbe", "korun", "kaj", "theke", "ekta", "sathe", "shathe", "shudhu", "sudhu", "niye", "ache", "achhe", "amader", "amar", "apnar", "apni", "ami", "tumi", "keu", "kono", "kore", "korte", "tarpor", "bochor", "chakri", "thaka", "jonno", "ebong", "kintu", "khub", "dorkar", "beton", "kichu", "onek", "hoyeche", "jabe", "dite"},
	// Arabic, Russian, Persian, Mongolian, Georgian and Kazakh typed in
	// Latin letters (Arabizi, translit, Finglish), as chats often are. A
	// digit in Arabizi ("3amal", "7aga") ends a word here, so the lists
	// hold words without digits; words that other languages of the list
	// use too ("el", "fi", "na", "da", "va") are shared or left out, and
	// each language needs words of its own to win (ties go to the language
	// listed first: Spanish before Arabic).
	"ar": {"khoya", "kayna", "kayn", "dyal", "dyali", "dyalk", "dial", "ila", "chhar", "lihom", "liya", "bzaf", "mzyan", "daba", "bghiti", "wach", "hna", "ghir", "khdma", "lblasa", "el", "fi", "ya", "matloub", "matlub", "shabab", "khebra", "kwayes", "kwayis", "mehtag", "mesh", "msh", "mish", "ana", "enta", "enti", "inta", "howa", "heya", "ehna", "ento", "bas", "keda", "kda", "kaman", "kman", "yalla", "elly", "illi", "eli", "lel", "fel", "bel", "wel", "mafi", "mafish", "fih", "feeh", "fe", "sho", "shu", "bade", "badi", "bedi", "shoghl", "shogl", "sherka", "elsherka", "ratib", "rateb", "lazem", "lazim", "habibi", "wallah", "wallahi", "ahlan", "kol", "kul", "ala", "ay", "haga", "hadi", "hadchi", "bghit", "khedma", "flous", "floos"},
	"ru": {"ot", "iz", "pri", "cherez", "posle", "kogda", "byl", "byla", "budet", "oni", "nas", "nam", "ikh", "takzhe", "kotorye", "vakhtu", "vakhta", "eshche", "rabota", "raboty", "rabotu", "zarplata", "zarplaty", "zp", "mesyac", "mesyats", "bez", "opyta", "opyt", "tolko", "pishite", "pishi", "nuzhny", "nuzhen", "trebuyutsya", "kompaniya", "kompanii", "ili", "eto", "vse", "vas", "vy", "est", "ochen", "uzhe", "kak", "chto", "shto", "tak", "zhilye", "zhilyo", "besplatno", "bilet", "schet", "lichku", "lichka", "devushki", "parni", "dlya", "oplata", "nado", "mozhno", "esli", "tam", "tut", "kto", "ego", "ee", "menya", "mne", "syn", "doch", "brat"},
	"fa": {"hast", "nist", "mikonim", "mikone", "mishe", "hoghugh", "hoghoogh", "rayegan", "tajrobe", "tajrobeh", "lazem", "nadare", "nadarad", "faghat", "shoma", "baraye", "vase", "age", "ine", "oon", "khodet", "mahane", "sherkat", "bilit", "khabgah", "tamas", "begirid", "dashte", "bashid", "mikhad", "mikhaym", "dar", "ke", "ro", "ham", "kar", "ba", "az", "be", "pesaram", "dokhtaram", "baradaram", "khareji", "kharej"},
	"mn": {"ni", "odoo", "geed", "bolj", "avch", "baigaa", "dahiad", "avah", "yavna", "tend", "tendees", "hurtel", "bolno", "gej", "gesen", "minii", "yavj", "irsen", "baina", "bna", "bish", "ajil", "ajillah", "ajiltan", "tsalin", "tsalintai", "unegui", "tuld", "bolon", "deer", "chi", "bid", "manai", "bidend", "hergtei", "heregtei", "shaardlagatai", "holboo", "barina", "avna", "sariin", "sard", "gadaad", "gadaadad", "yamar", "yum", "ene", "ter", "ugui", "bsan", "bsn", "hun", "huvid", "bairtai", "hool", "tasalbar", "tuslamj", "ohin", "hu", "ah", "egch", "duu"},
	"ka": {"da", "an", "ar", "es", "is", "kvela", "yvela", "ikneba", "iqneba", "aqvs", "akvs", "gvaqvs", "chveni", "tqveni", "edzebs", "mimghebebs", "aris", "ara", "rom", "rogor", "samushao", "samsakhuri", "xelfasi", "khelfasi", "tveshi", "tviuri", "ufaso", "upaso", "gamocdileba", "gamotsdileba", "sachiroa", "sachiro", "unda", "shegidzliat", "dagvikavshirdit", "dagvikavshirdi", "mogesalmebit", "kompania", "kompaniashi", "sazgvargaret", "mxolod", "mkholod", "aq", "iq", "chven", "tqven", "ver", "igi", "aseve", "magram", "tu", "rac", "ras", "chemi", "dzma", "shvili", "gogo"},
	"kk": {"emes", "oryn", "tamaq", "sol", "turatyn", "boldy", "jaqta", "taǵy", "jataqhana", "aqsha", "qajet", "alyp", "qazir", "jalaqy", "arqyly", "degen", "alady", "jumys", "zhumys", "jumysqa", "zhumyska", "ailyq", "ailyk", "aylyq", "aılyq", "tegin", "tegın", "kerek", "bar", "jok", "zhok", "joq", "jane", "zhane", "jáne", "ushin", "úshin", "bolady", "bolsa", "tajiribe", "tazhiribe", "tájirıbe", "shetelde", "shetelge", "kuni", "aiyna", "ayına", "men", "sen", "siz", "ulym", "kyzym", "bauyrym", "habarlasyñyz", "habarlasynyz", "jazyñyz", "jazynyz", "tek", "qana", "gana"},
	// Sinhala, Tamil, Telugu, Malayalam, Khmer and Burmese typed in Latin
	// letters ("Singlish", "Tanglish", "Tenglish", "Manglish"), as chats
	// are: words shared with another list count for both.
	"si": {"mama", "oya", "oyala", "api", "eka", "ekak", "neda", "hari", "kiyala", "karanna", "karala", "thiyenawa", "tiyenawa", "thiyanawa", "nathi", "naha", "nehe", "innawa", "yanna", "enna", "ganna", "denna", "salli", "rassawa", "rassawak", "wage", "mokakda", "kohomada", "hondai", "godak", "tikak", "witharai", "witharak", "onna", "habai", "eyala", "eya", "mage", "ape", "oyage", "malli", "nangi", "ayya", "puluwan", "yaluwa", "kenek", "wenuwen", "gana", "denawa", "yawanna", "ekka", "nisa", "kiyanna", "balanna"},
	"ta": {"naan", "nee", "neenga", "ungal", "unga", "enga", "engal", "velai", "sambalam", "irukku", "iruku", "illa", "illai", "pannunga", "panna", "pannanum", "vaanga", "ponga", "vandhu", "vanthu", "romba", "konjam", "mattum", "thaan", "dhaan", "oru", "ippo", "anga", "inga", "enna", "epdi", "eppadi", "yaarum", "ellam", "ellaam", "kudukkum", "kedaikkum", "kidaikkum", "theriyuma", "anna", "akka", "thambi", "amma", "appa", "paiyan", "ponnu", "veetla", "nalla", "sollunga", "sonnanga", "pogalam"},
	"te": {"nenu", "meeru", "memu", "manam", "mee", "maa", "udyogam", "jeetham", "pani", "undi", "ledu", "kaadu", "cheyandi", "cheyali", "chesi", "vachi", "vellandi", "velli", "raandi", "chala", "konchem", "matrame", "ippudu", "akkada", "ikkada", "emi", "enti", "evaru", "andaru", "istaru", "vastundi", "telusa", "anna", "akka", "tammudu", "amma", "nanna", "abbayi", "ammayi", "intlo", "manchi", "cheppandi", "cheppaaru", "avasaram", "gurinchi", "unte", "leda", "istaam", "istamu", "ivvali", "kaavali", "kavali", "kaavala", "ayithe", "cheyyali", "vaallu", "vallu", "ledhu", "cheppu"},
	"ml": {"njan", "ningal", "ningalude", "nammal", "njangal", "joli", "shambalam", "undu", "illa", "alla", "cheyyu", "cheyyam", "cheyyanam", "venam", "vendi", "varu", "poyi", "vannu", "kure", "kurach", "mathram", "ippol", "avide", "ivide", "enthu", "entha", "engane", "aarum", "ellam", "kittum", "kodukkum", "ariyamo", "chettan", "chechi", "aniyan", "amma", "achan", "makan", "makal", "veettil", "nalla", "parayu", "paranju", "alle", "aanu"},
	// Kannada, Gujarati, Marathi and Punjabi typed in Latin letters, as
	// WhatsApp forwards are. Marathi and Punjabi share many small words
	// with Hindi (they count for both, and ties go to Hindi), so each
	// needs words of its own to win.
	"kn": {"nanu", "naanu", "neevu", "nivu", "nimma", "nimge", "nimage", "namma", "nammadu", "kelsa", "kelasa", "sambala", "illa", "maadi", "madi", "beku", "bekagide", "hogbeku", "banni", "tumba", "thumba", "swalpa", "matra", "maatra", "eega", "alli", "illi", "yenu", "hege", "yaaru", "sigutte", "siguthe", "gottha", "gottilla", "gothilla", "thamma", "tamma", "huduga", "hudugi", "hudugru", "manege", "chennagi", "heli", "helidru", "helidaru", "kodtare", "kodtaare", "kodthare", "barutte", "aagutte", "agutte", "aadre", "adre", "matte", "avnu", "avalu", "avru", "avaru", "saaku", "bega", "jothe", "hatra", "hathra", "ond", "ondu", "yella", "idhe", "idya", "idira"},
	"gu": {"chhe", "nathi", "ane", "tame", "tamne", "tamaro", "tamari", "tamara", "ame", "amne", "amaro", "amari", "maro", "mara", "pagar", "maate", "karo", "karjo", "kem", "shu", "badha", "badhu", "tya", "tyan", "ahiya", "aaje", "kharu", "saru", "saaru", "joie", "joiye", "jovo", "aavo", "avjo", "gayo", "gayu", "rehvanu", "jamvanu", "chokro", "chokra", "chokri", "dikro", "dikra", "dikri", "nokri", "pachi", "pachhi", "jyare", "tyare", "etle", "mane", "amara", "kidhu", "malse", "thase", "chhu", "hatu", "hata"},
	"mr": {"aahe", "ahe", "aahet", "ahet", "naahi", "kara", "karaa", "kaay", "mala", "tumhi", "tumhala", "tumcha", "tumchi", "tumchya", "amhi", "amhala", "amcha", "amchi", "amchya", "majha", "maza", "mazi", "majhi", "mazya", "majhya", "sathi", "saathi", "ani", "aani", "kiti", "zala", "jhala", "zali", "jhali", "yeil", "milel", "milto", "milte", "gela", "geli", "gelo", "kuthe", "kasa", "kashi", "konala", "sagla", "sagle", "sagli", "khup", "fakt", "mulga", "mulgi", "mulana", "bhau", "aai", "ghari", "sanga", "sangitla", "sangitle", "sangat", "pahije", "lagel", "lagto", "nako", "hoil", "asel", "astat", "karun", "jaun", "yeun"},
	"pa": {"tusi", "tussi", "assi", "tuhanu", "tuhada", "tuhadi", "tuhade", "sanu", "sada", "sadi", "sade", "mainu", "naal", "vich", "kithe", "kive", "kiven", "hunda", "hundi", "hondi", "hega", "haiga", "vadiya", "vadhiya", "changa", "changi", "dasso", "dasseo", "puttar", "putt", "munda", "kudi", "kudiyan", "veer", "veere", "paaji", "pind", "ditta", "ditti", "laina", "hor", "ehna", "ohna", "enu", "tenu", "bahla", "bohta", "milu", "milda", "mildi", "jaanda", "karda", "kardi", "karde", "layi", "lod", "pehlan", "hove", "chahida", "chahidi", "chahidiyan", "jaankari", "aundi", "aunda", "vaste", "othe", "ithe", "othon", "kehnde", "ohnu", "sareyan", "taan", "kise", "chukke", "mahineyan"},
	"km": {"knhom", "khnhom", "kngar", "kangar", "chhnam", "srok", "kromhun", "krom", "hun", "tov", "mok", "deng", "chong", "trov", "nov", "ning", "haey", "hoeuy", "mouy", "sabay", "avey", "bong", "oun", "neak", "yeung", "thlai", "mean", "ban", "min", "pel", "jea", "chea"},
	"my": {"alote", "lakha", "naing", "ngan", "thwar", "twar", "lote", "mhar", "hmar", "nae", "tal", "tae", "lar", "lae", "shi", "mashi", "myar", "twe", "hote", "mhote", "phyit", "pyaw", "kyi", "nyi", "ako", "amay", "akyo", "chin", "par", "pyi", "yin", "bal"},
	"so": {"iyo", "waa", "ka", "ku", "la", "oo", "ee", "shaqo", "lacag", "mushahar", "bilaash", "waxaa", "ayaa", "ah", "uu", "kale", "dalka", "dibadda", "wax", "waxaad", "haddii"},
	// Cebuano shares ang, sa, mga, na, lang, po and more with Tagalog
	// (ties go to Tagalog) and needs words of its own to win; it leaves
	// out those of other lists ("naa" of Hindi typed in Latin letters,
	// "lagi" and "di" of Indonesian, "kay" of Urdu, "ani" of Marathi,
	// "among" and "man").
	"ceb": {"ang", "sa", "mga", "na", "lang", "po", "para", "kami", "ikaw", "trabaho", "libre", "kinahanglan", "ug", "og", "nga", "dili", "naay", "walay", "unsa", "unsay", "unsaon", "kini", "kana", "niini", "kadto", "akong", "imong", "atong", "nimo", "nako", "namo", "kamo", "gyud", "jud", "pud", "usab", "bitaw", "karon", "ugma", "diri", "dinhi", "didto", "adto", "kinsa", "ngano", "kaayo", "daghan", "tanan", "kwarta", "balay", "unya", "dayon", "aron", "busa", "palihug", "mobiya", "moadto", "igsoon", "manghod"},
	// Hiligaynon and Ilocano, the same way: the words they share with
	// Tagalog and Cebuano, and their own ("kag", "sang", "indi", "gid";
	// "dagiti", "ken", "awan", "adda", "haan"), leaving out "ara" of
	// Georgian typed in Latin letters, "ila" of Arabic, "kuma" of Hausa,
	// and Ilocano's "ti" and "iti" (an English ad's TI, an Indian ad's
	// ITI).
	"hil": {"ang", "sa", "mga", "na", "lang", "po", "para", "trabaho", "libre", "kami", "ikaw", "may", "kinahanglan", "balay", "kwarta", "kag", "sang", "indi", "gid", "guid", "bala", "subong", "akon", "imo", "iya", "amon", "aton", "diin", "ngaa", "kon", "ukon", "tungod", "gani", "gali", "ayhan", "lamang", "sini", "sina", "naga", "magkadto", "makadto"},
	"ilo": {"para", "trabaho", "libre", "po", "lang", "nga", "dagiti", "ken", "awan", "adda", "haan", "kadi", "ngamin", "daytoy", "dayta", "ania", "anya", "sadino", "siasino", "apay", "ngem", "tapno", "ditoy", "idiay", "sika", "siak", "isuna", "dakami", "dakayo", "isuda", "laeng", "unay", "kuarta", "agtrabaho", "mapan", "napan"},
}

// stopOrder lists the languages latinByStopWords scores, in the order that
// breaks ties.
var stopOrder = [...]string{"en", "id", "ms", "tl", "sw", "es", "pt", "fr", "tr", "az", "uz", "ha", "om", "so", "hi", "ur", "ne", "bn", "ar", "ru", "fa", "mn", "ka", "kk", "si", "ta", "te", "ml", "km", "my", "kn", "gu", "mr", "pa", "ceb", "hil", "ilo"}

// langSet is a set of languages of stopOrder, as bits of their indexes.
type langSet uint64

// stopIndex maps a stop word to the set of its languages.
var stopIndex = func() map[string]langSet {
	idx := map[string]langSet{}
	for k, lang := range stopOrder {
		for _, w := range stopWords[lang] {
			idx[w] |= 1 << k
		}
	}
	return idx
}()

// maxSets bounds the number of distinct language sets of stop words and
// marking letters: countStopWords counts words by set, in an array of
// this size (set 0, no language, among them).
const maxSets = 128

// setIDs numbers the distinct language sets of stopIndex and latinMark
// (0 for the empty set), and setOf maps the numbers back.
var setIDs, setOf = func() (map[langSet]uint8, []langSet) {
	ids := map[langSet]uint8{0: 0}
	sets := []langSet{0}
	add := func(s langSet) {
		if _, ok := ids[s]; !ok {
			ids[s] = uint8(len(sets))
			sets = append(sets, s)
		}
	}
	words := make([]string, 0, len(stopIndex))
	for w := range stopIndex {
		words = append(words, w)
	}
	slices.Sort(words) // the same numbering on every run
	for _, w := range words {
		add(stopIndex[w])
	}
	for _, s := range markSets {
		add(s)
	}
	if len(sets) > maxSets {
		panic("extract: too many language sets of stop words")
	}
	return ids, sets
}()

// stopSet is stopIndex by set number, for the words that are not ASCII
// or are longer than 8 bytes.
var stopSet = func() map[string]uint8 {
	m := make(map[string]uint8, len(stopIndex))
	for w, s := range stopIndex {
		m[w] = setIDs[s]
	}
	return m
}()

// stopPacked is stopSet for the ASCII stop words of at most 8 bytes,
// keyed by packWord: an open-addressing table, since looking up every word
// of a text in a map of strings costs more than the rest of Language.
var stopPacked = func() *packedSet {
	p := new(packedSet)
	for w, id := range stopSet {
		if k, ok := packWord(w); ok {
			p.add(k, id)
		}
	}
	return p
}()

// latinMarks counts the marking Latin letters of a text, by latinMark.
type latinMarks [5]int32

// markSets are the languages each latinMark class votes for: ə for
// Azerbaijani (twice, since it tells Azerbaijani from Turkish); ı, ğ and ş
// for Turkish and Azerbaijani; ɓ, ɗ, ƙ and ƴ for Hausa; ǵ and ń, letters
// of the Latin Kazakh alphabet of 2018 that no other language listed
// writes, for Kazakh (twice, since Kazakh writes ı too; its ý is
// Vietnamese too).
var markSets = [len(latinMarks{})]langSet{0, langBit("az"), langBit("tr") | langBit("az"), langBit("ha"), langBit("kk")}

// markWeight is how many stop words a letter of each class counts as.
var markWeight = [len(latinMarks{})]int32{0, 2, 1, 1, 2}

// langBit returns the set of the one language lang of stopOrder.
func langBit(lang string) langSet {
	k := slices.Index(stopOrder[:], lang)
	if k < 0 {
		panic("extract: " + lang + " is not in stopOrder")
	}
	return 1 << k
}

// latinMark maps the characters of classLatin, by latinIndex, to their
// class of marking letter (0 for most).
var latinMark = func() (t [0x250 + 0x100]uint8) {
	for _, r := range "əƏ" {
		t[latinIndex(r)] = 1
	}
	for _, r := range "ıİğĞşŞ" {
		t[latinIndex(r)] = 2
	}
	for _, r := range "ɓƁɗƊƙƘƴƳ" {
		t[latinIndex(r)] = 3
	}
	for _, r := range "ǵǴńŃ" {
		t[latinIndex(r)] = 4
	}
	return t
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

// packedBits is the log2 of the size of packedSet.
const packedBits = 12

// packedSet maps packed words to the numbers of their language sets. Its
// size is a power of two at least twice the number of stop words (add
// panics beyond half full), so that the probes of a word that is none,
// most words of a text, stay short: with 731 words in 1,024 slots, linear
// probing expects about six for such a word, and Assess took 0.8% more
// instructions (make instr) than with 2,048; at 962 words it has 4,096.
type packedSet struct {
	keys [1 << packedBits]uint64
	ids  [1 << packedBits]uint8
	n    int
}

func (p *packedSet) slot(k uint64) int {
	return int((k * 0x9E3779B97F4A7C15) >> (64 - packedBits))
}

func (p *packedSet) add(k uint64, id uint8) {
	i := p.slot(k)
	for p.keys[i] != 0 && p.keys[i] != k {
		i = (i + 1) & (len(p.keys) - 1)
	}
	if p.keys[i] == 0 {
		p.n++
		if 2*p.n > len(p.keys) {
			panic("extract: stop-word table over half full: raise packedBits")
		}
	}
	p.keys[i] = k
	p.ids[i] = id
}

func (p *packedSet) get(k uint64) uint8 {
	for i := p.slot(k); p.keys[i] != 0; i = (i + 1) & (len(p.keys) - 1) {
		if p.keys[i] == k {
			return p.ids[i]
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

// latinByStopWords returns the language of stopOrder with the most stop
// words in parts, counting the marking letters marks as stop words of
// their languages; en when there are none.
func latinByStopWords(parts []string, marks *latinMarks) string {
	// hist counts the stop words by the number of their set of
	// languages: one increment per word, whichever the set (0 for a word
	// that is none), so that the loop over words does not branch on stop
	// words.
	var hist [maxSets]int32
	n := 0
	for _, text := range parts {
		var run letterRun
		n = countStopWords(text, n, &hist, &run)
	}
	for m, c := range marks {
		hist[setIDs[markSets[m]]] += c * markWeight[m]
	}
	var score [len(stopOrder)]int
	for id := 1; id < len(setOf); id++ {
		if c := int(hist[id]); c != 0 {
			for langs := setOf[id]; langs != 0; langs &= langs - 1 {
				score[bits.TrailingZeros64(uint64(langs))] += c
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

// letterRun follows the words of one letter in a row. Three or more are
// letters spaced or dotted out ("C u s t o m e r", "J.o.b"), not words,
// and count as none; one or two may be words ("e a" in Portuguese).
type letterRun struct {
	n    int      // words of one letter in a row, up to this one
	sets [2]uint8 // the sets of the first two, counted until a third
}

// tally counts in hist a word whose set of languages is numbered set (0
// for none); oneLetter says whether the word is one letter long.
func (r *letterRun) tally(hist *[maxSets]int32, set uint8, oneLetter bool) {
	if !oneLetter {
		r.n = 0
		hist[set]++
		return
	}
	r.n++
	switch {
	case r.n <= 2:
		r.sets[r.n-1] = set
		hist[set]++
	case r.n == 3:
		// A run: take back the first two.
		hist[r.sets[0]]--
		hist[r.sets[1]]--
	}
}

// countStopWords counts in hist the words of text by the number of their
// set of stop-word languages (setIDs), reading until n, the words read so
// far, reaches 2000, and returns n. run follows words of one letter in a
// row, across calls on the same text.
func countStopWords(text string, n int, hist *[maxSets]int32, run *letterRun) int {
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
				run.tally(hist, stopPacked.get(lower>>s&(1<<(e-s)-1)), e-s == 8)
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
		var set uint8 // the number of its set of languages
		switch {
		case len(w) > maxStopWord:
		case ascii && len(w) <= 8:
			set = stopPacked.get(key)
		case ascii:
			var buf [16]byte
			for k := 0; k < len(w); k++ {
				buf[k] = w[k] | 0x20
			}
			set = stopSet[string(buf[:len(w)])]
		default:
			// strings.ToLower(w), into a buffer on the stack: a word is
			// all letters, so valid UTF-8, which ToLower maps rune by rune.
			var buf [64]byte
			lw := buf[:0]
			for _, r := range w {
				lw = utf8.AppendRune(lw, unicode.ToLower(r))
			}
			set = stopSet[string(lw)]
		}
		run.tally(hist, set, utf8.RuneCountInString(w) == 1)
	}
	return n
}
