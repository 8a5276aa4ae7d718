package extract

import (
	"strings"
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
func Language(text string) string {
	if len(text) > languageSample {
		i := languageSample
		for i > 0 && !utf8.RuneStart(text[i]) {
			i--
		}
		text = text[:i]
	}
	var latin, viet, han, kana, hangul int
	var scripts [len(scriptNames)]int
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf:
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				latin++
			}
		case r >= 0xC0 && r <= 0x24F || r >= 0x1E00 && r <= 0x1EFF:
			if r != 0xD7 && r != 0xF7 {
				latin++
				if isVietnamese(r) {
					viet++
				}
			}
		case r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF:
			han++
		case r >= 0x3040 && r <= 0x30FF:
			kana++
		case r >= 0xAC00 && r <= 0xD7AF || r >= 0x1100 && r <= 0x11FF:
			hangul++
		default:
			if k := scriptOf(r); k >= 0 {
				scripts[k]++
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
			return hindiOrNepali(text)
		}
		return best
	}
	if latin < 3 {
		return ""
	}
	if viet >= 3 || viet*20 >= latin && viet > 0 {
		return "vi"
	}
	return latinByStopWords(text)
}

// scriptNames are the languages scriptOf tells apart, by index.
var scriptNames = [...]string{"th", "lo", "km", "my", "si", "hi", "bn", "ta", "ar", "ru", "el", "ka"}

// scriptOf returns the index in scriptNames of the script of r, by Unicode
// block, or -1.
func scriptOf(r rune) int {
	switch {
	case r >= 0x0E00 && r <= 0x0E7F:
		return 0
	case r >= 0x0E80 && r <= 0x0EFF:
		return 1
	case r >= 0x1780 && r <= 0x17FF || r >= 0x19E0 && r <= 0x19FF:
		return 2
	case r >= 0x1000 && r <= 0x109F || r >= 0xA9E0 && r <= 0xA9FF || r >= 0xAA60 && r <= 0xAA7F:
		return 3
	case r >= 0x0D80 && r <= 0x0DFF:
		return 4
	case r >= 0x0900 && r <= 0x097F:
		return 5
	case r >= 0x0980 && r <= 0x09FF:
		return 6
	case r >= 0x0B80 && r <= 0x0BFF:
		return 7
	case r >= 0x0600 && r <= 0x06FF || r >= 0x0750 && r <= 0x077F:
		return 8
	case r >= 0x0400 && r <= 0x04FF:
		return 9
	case r >= 0x0370 && r <= 0x03FF:
		return 10
	case r >= 0x10A0 && r <= 0x10FF:
		return 11
	}
	return -1
}

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
func hindiOrNepali(text string) string {
	ne, hi := 0, 0
	for _, w := range strings.FieldsFunc(text, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) || r == '।'
	}) {
		switch w {
		case "छ", "छन्", "हो", "र", "गर्न", "हुन्छ", "तपाईं", "तपाईंलाई", "पर्ने", "भएको", "गर्नुहोस्", "मा", "लागि", "नेपाल", "रु", "छैन":
			ne++
		case "है", "हैं", "और", "में", "का", "की", "के", "लिए", "आप", "करें", "नहीं", "भी", "रुपये", "यह":
			hi++
		}
	}
	if ne > hi {
		return "ne"
	}
	return "hi"
}

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

// stopIndex maps a stop word to the indexes in stopOrder of its languages.
var stopIndex = func() map[string][]int {
	idx := map[string][]int{}
	for k, lang := range stopOrder {
		for _, w := range stopWords[lang] {
			idx[w] = append(idx[w], k)
		}
	}
	return idx
}()

func latinByStopWords(text string) string {
	var score [len(stopOrder)]int
	n := 0
	for i := 0; i < len(text) && n < 2000; {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) {
			i += size
			continue
		}
		j := i + size
		for j < len(text) {
			r2, s2 := utf8.DecodeRuneInString(text[j:])
			if !unicode.IsLetter(r2) {
				break
			}
			j += s2
		}
		w := text[i:j]
		i = j
		n++
		if len(w) > 12 {
			continue
		}
		langs, ok := stopIndex[w]
		if !ok {
			var buf [12]byte
			ascii := true
			for k := 0; k < len(w); k++ {
				if w[k] >= utf8.RuneSelf {
					ascii = false
					break
				}
				buf[k] = lowerByte(w[k])
			}
			if ascii {
				langs = stopIndex[string(buf[:len(w)])]
			} else {
				langs = stopIndex[strings.ToLower(w)]
			}
		}
		for _, l := range langs {
			score[l]++
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
