package textnorm

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// This file reads three kinds of "fancy text" that NFKC leaves unreadable:
// parenthesized letters and numbers, letters spelled with the regional
// indicator symbols that flags are made of, and text turned upside down.

// nfkcOverride returns what a character whose NFKC form does not read as
// the letter or number it shows stands for instead: the parenthesized
// Latin letters ⒜ to ⒵, which NFKC makes "(a)" to "(z)", become their
// letter ("⒯⒠⒧⒠⒢⒭⒜⒨" is telegram), and the parenthesized numbers ⑴ to
// ⒇, which NFKC makes "(1)" to "(20)", their number ("⑴⑸⓪⓪" is 1500).
func nfkcOverride(r rune) (string, bool) {
	switch {
	case r >= 0x249c && r <= 0x24b5:
		return string('a' + r - 0x249c), true
	case r >= 0x2474 && r <= 0x2487:
		return parenNumbers[r-0x2474], true
	}
	return "", false
}

var parenNumbers = [...]string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10",
	"11", "12", "13", "14", "15", "16", "17", "18", "19", "20"}

// hasOverride reports whether s holds a character nfkcOverride maps.
func hasOverride(s string) bool {
	for _, r := range s {
		if _, ok := nfkcOverride(r); ok {
			return true
		}
	}
	return false
}

// withOverrides returns s with every character nfkcOverride maps replaced
// by what it stands for.
func withOverrides(s string) string {
	var b []byte
	for _, r := range s {
		if x, ok := nfkcOverride(r); ok {
			b = append(b, x...)
		} else {
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

// Regional indicator symbols: U+1F1E6 (A) to U+1F1FF (Z). Two of them make
// a flag (🇰🇭 is KH, Cambodia).
const riFirst, riLast = 0x1f1e6, 0x1f1ff

func isRegional(r rune) bool { return r >= riFirst && r <= riLast }

// regionCodes holds the two-letter codes that have flags: ISO 3166-1
// alpha-2, and the few other codes Unicode gives flags to (EU, UN, XK, the
// reserved AC, CP, DG, EA, IC, TA).
var regionCodes = func() map[[2]byte]bool {
	const codes = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
		"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
		"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
		"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
		"NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
		"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
		"UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW EU UN XK AC CP DG EA IC TA"
	m := map[[2]byte]bool{}
	for k := 0; k+1 < len(codes); k += 3 {
		m[[2]byte{codes[k], codes[k+1]}] = true
	}
	return m
}()

// regionalLetters rewrites the regional indicator symbols in u that spell
// letters rather than flags as those letters, and records a LetterSymbols
// signal for each run it rewrote. A run of them (adjacent, once invisible
// characters are removed) is a row of flags when it has an even length and
// every pair is a code with a flag ("🇰🇭🇲🇲"); any other run spells letters:
// "🇹🇪🇱🇪🇬🇷🇦🇲", or one at a time between spaces or dots ("🇹 🇪 🇱 🇪").
// It reports whether it rewrote any.
func regionalLetters(t *Text, u []unit) bool {
	if !slices.ContainsFunc(u, func(x unit) bool { return isRegional(x.r) }) {
		return false
	}
	done := false
	for i := 0; i < len(u); {
		if !isRegional(u[i].r) {
			i++
			continue
		}
		j := i
		for j < len(u) && isRegional(u[j].r) {
			j++
		}
		if !flagRow(u[i:j]) {
			for k := i; k < j; k++ {
				u[k].r = 'a' + u[k].r - riFirst
			}
			if k := len(t.Signals) - 1; k >= 0 && t.Signals[k].Signal == LetterSymbols && int(u[i].s) <= t.Signals[k].End+4 {
				// One letter at a time between spaces or dots:
				// one signal for them all.
				t.Signals[k].End = int(u[j-1].e)
			} else {
				t.Signals = append(t.Signals, SignalSpan{LetterSymbols, int(u[i].s), int(u[j-1].e)})
			}
			done = true
		}
		i = j
	}
	return done
}

// flagRow reports whether the regional indicators u are a row of flags.
func flagRow(u []unit) bool {
	if len(u)%2 != 0 {
		return false
	}
	for k := 0; k < len(u); k += 2 {
		if !flagPair(u[k].r, u[k+1].r) {
			return false
		}
	}
	return true
}

// flagPair reports whether regional indicators a and b make a flag.
func flagPair(a, b rune) bool {
	return regionCodes[[2]byte{byte('A' + a - riFirst), byte('A' + b - riFirst)}]
}

// flipped maps the characters of upside-down text ("flip text"), folded,
// to the letters they stand for. Upside-down text is also written in
// reverse order, so a run of it is reversed as well (see unflip).
var flipped = map[rune]rune{
	'ɐ': 'a', 'q': 'b', 'ɔ': 'c', 'p': 'd', 'ǝ': 'e', 'ɟ': 'f', 'ƃ': 'g', 'ᵷ': 'g', 'ɥ': 'h', 'ᴉ': 'i', 'i': 'i',
	'ɾ': 'j', 'ſ': 'j', 'ʞ': 'k', 'l': 'l', 'ʅ': 'l', 'ɯ': 'm', 'u': 'n', 'o': 'o', 'd': 'p', 'b': 'q', 'ɹ': 'r',
	's': 's', 'ʇ': 't', 'n': 'u', 'ʌ': 'v', 'ʍ': 'w', 'x': 'x', 'ʎ': 'y', 'z': 'z',
	// Turned capitals, folded: Ǝ, Ɔ and Ꞁ fold to letters above; Ⅎ, Λ,
	// Ԁ, ᴚ, ˥ to these.
	'ⅎ': 'f', 'λ': 'v', 'ԁ': 'p', 'ᴚ': 'r', '˥': 'l',
}

// flipMark reports whether r is a turned letter that no language's
// spelling uses, so that a word holding one is upside down: ɐ ɥ ɯ ɹ ʇ ʎ ʍ ʞ
// ɟ ɾ ʌ. The turned e and the open o (ǝ, ɔ) are not: Azerbaijani is
// sometimes typed with ǝ, and Akan, Ewe and Lingala write ɔ.
func flipMark(r rune) bool {
	switch r {
	case 'ɐ', 'ɥ', 'ɯ', 'ɹ', 'ʇ', 'ʎ', 'ʍ', 'ʞ', 'ɟ', 'ɾ', 'ʌ':
		return true
	}
	return false
}

// flipPunct holds the white space and punctuation that may stand between
// the words of upside-down text. They are kept as they are: read as what
// they stand for, "¡" as "!" and "˙" as ".", they could make leetspeak or
// spaced letters that a second normalisation would undo. For the same
// reason a run starts and ends with a word: the turned end of a sentence
// written first ("¡ɐıpoqɯɐɔ") stays where it is.
var flipPunct = map[rune]bool{' ': true, '˙': true, '¡': true, '¿': true, '\'': true, ',': true, '.': true, '-': true}

// flipWord returns the end of the word of flip-text letters that starts at
// u[i] and whether it holds a flipMark; end is i when u[i] does not start
// such a word (it is no flip-text letter, or follows a word character).
func flipWord(u []unit, i int) (end int, marked bool) {
	if i > 0 && isWordRune(u[i-1].r) {
		return i, false
	}
	j := i
	for ; j < len(u); j++ {
		if _, ok := flipped[u[j].r]; !ok {
			break
		}
		marked = marked || flipMark(u[j].r)
	}
	if j < len(u) && isWordRune(u[j].r) {
		return i, false // the word goes on with other letters
	}
	return j, marked
}

// unflip rewrites the runs of upside-down text in u as they read right way
// up: a run is a sequence of words of flip-text letters, the first and the
// last holding a turned letter no spelling uses (flipMark), separated by
// spaces or punctuation (flipPunct); it is reversed and each character
// mapped ("ɐıpoqɯɐɔ uı qoɾ" is "job in cambodia"). Every character of a run
// stands for the whole run in the original, whose order it does not keep.
// It records an UpsideDown signal for each run and reports whether it
// rewrote any.
func unflip(t *Text, u []unit) bool {
	if !slices.ContainsFunc(u, func(x unit) bool { return flipMark(x.r) }) {
		return false // most text: no need to look at every word
	}
	done := false
	for i := 0; i < len(u); {
		end, marked := flipWord(u, i)
		if !marked {
			i = max(end, i+1)
			continue
		}
		// A marked word starts a run: take words while they are
		// separated by flip punctuation, up to the last marked one.
		last := end
		for k := end; k < len(u); {
			p := k
			for p < len(u) && flipPunct[u[p].r] {
				p++
			}
			if p == k || p == len(u) {
				break
			}
			e, m := flipWord(u, p)
			if e == p {
				break
			}
			if m {
				last = e
			}
			k = e
		}
		s, e := u[i].s, u[last-1].e
		for a, b := i, last-1; a < b; a, b = a+1, b-1 {
			u[a], u[b] = u[b], u[a]
		}
		for k := i; k < last; k++ {
			if r, ok := flipped[u[k].r]; ok {
				u[k].r = r
			}
			u[k].s, u[k].e = s, e
		}
		t.Signals = append(t.Signals, SignalSpan{UpsideDown, int(s), int(e)})
		done = true
		i = last
	}
	return done
}

// styledRange returns [0, len(norm)) when the normalised text norm holds
// regional indicators that spell letters or upside-down text, so that
// undoEvasionIn reads the whole text as undoEvasion does; else -1, -1.
// Both are rare. regional says whether norm holds a regional indicator;
// upside-down text is looked for only when norm holds a lead byte of
// U+0240–U+02BF, where the turned letters are.
func styledRange(norm []byte, regional bool) (lo, hi int) {
	if regional && regionalSpells(norm) {
		return 0, len(norm)
	}
	if (bytes.IndexByte(norm, 0xc9) >= 0 || bytes.IndexByte(norm, 0xca) >= 0) && flipMarked(norm) {
		return 0, len(norm)
	}
	return -1, -1
}

// riPrefix is the UTF-8 of every regional indicator but its last byte,
// which is 0xa6 (A) to 0xbf (Z).
var riPrefix = []byte("\xf0\x9f\x87")

// regionalSpells reports whether norm holds a run of regional indicators
// that is not a row of flags (see regionalLetters), without allocating:
// most ads with flags have some.
func regionalSpells(norm []byte) bool {
	for p := 0; ; {
		k := bytes.Index(norm[p:], riPrefix)
		if k < 0 {
			return false
		}
		p += k
		n, flags, prev := 0, true, rune(0)
		for p+4 <= len(norm) && bytes.HasPrefix(norm[p:], riPrefix) && norm[p+3] >= 0xa6 && norm[p+3] <= 0xbf {
			r := riFirst + rune(norm[p+3]-0xa6)
			if n%2 == 1 && !flagPair(prev, r) {
				flags = false
			}
			prev = r
			n++
			p += 4
		}
		switch {
		case n == 0:
			p += len(riPrefix) // another character of the block
		case !flags || n%2 != 0:
			return true
		}
	}
}

// flipMarked reports whether norm holds a word of flip-text letters with a
// turned letter no spelling uses, as unflip looks for.
func flipMarked(norm []byte) bool {
	all, marked := true, false // of the word so far
	for k := 0; k <= len(norm); {
		r, w := utf8.RuneError, 1
		if k < len(norm) {
			r, w = utf8.DecodeRune(norm[k:])
		}
		if k < len(norm) && isWordRune(r) {
			_, ok := flipped[r]
			all = all && ok
			marked = marked || flipMark(r)
		} else {
			if all && marked {
				return true
			}
			all, marked = true, false
		}
		k += w
	}
	return false
}

// Plain returns s in NFKC, with the styled letters NFKC leaves alone
// (small capitals, negative circled and squared letters) read as the
// letters they show, and parenthesized letters as theirs, keeping case
// and accents: the text in which to guess the language of a post written
// in "fancy text", whose normalised form has lost the accents that tell
// Portuguese from Spanish.
func Plain(s string) string {
	if hasOverride(s) {
		s = withOverrides(s)
	}
	return strings.Map(func(r rune) rune {
		if b, ok := styledLatin[unicode.ToLower(r)]; ok {
			return b
		}
		return r
	}, norm.NFKC.String(s))
}
