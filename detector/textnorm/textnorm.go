// Package textnorm normalises ad text for matching and keeps, for every byte
// of the normalised form, the span of the original text it came from, so a
// match found in the normalised text can be reported as byte offsets into the
// text as posted.
//
// Normalisation, in order:
//   - Unicode NFKC (full-width forms, ligatures and compatibility characters
//     become their plain form; "ｖｉｓａ" becomes "visa");
//   - format and control characters are removed: zero-width space and
//     joiners, word joiner, BOM, soft hyphen, bidi controls, variation
//     selectors, C0 and C1 controls other than white space;
//   - simple case folding;
//   - Latin letters lose their diacritics ("lương" becomes "luong"), because
//     ads are often written without them;
//   - letters styled by "fancy text" generators that NFKC leaves alone
//     become plain: small capitals ("ᴄᴀᴍʙᴏᴅɪᴀ"), negative circled and
//     squared letters ("🅒🅐🅜", "🆃🅴🅻"), IPA look-alikes ("ɡ"); and
//     parenthesized letters and numbers, which NFKC would make "(t)" and
//     "(15)", become the letter or number alone ("⒯⒠⒧" is "tel");
//   - Arabic letters that ads write interchangeably become one: alef with
//     hamza or madda becomes bare alef, teh marbuta heh, alef maksura yeh;
//     tatweel and short-vowel marks are removed; the Uzbek okina (U+02BB)
//     becomes an apostrophe, as o' and g' are also written;
//   - every decimal digit becomes its ASCII digit (Thai, Khmer, Burmese, ...);
//   - dashes become '-', curly quotes become straight ones;
//   - runs of white space become one space, or one newline when the run holds
//     a line break;
//   - emoji that stand for the same word become one canonical emoji: ✈
//     (flight: 🛫 🛬 🛩), 🏠 (housing: 🏡 🏨 🏘 🛏 🏢), 🍚 (food: 🍱 🍜 🍛 🍲 🥘
//     🍝 🍽 🥗), 💵 (pay: 💰 💲 💴 💶 💷 💸 🤑), 📱 (contact: 📞 ☎ 📲); with
//     their variation selectors dropped, "✈️" and "🛫" are both "✈". Emoji
//     stay emoji rather than becoming words, so that "✈🏠🍚 free" is not
//     confused with an ad that spells the words out, and patterns match
//     them with a character class ("[✈🏠🍚]"); a match maps back to the
//     emoji's bytes in the original like any other character;
//   - filter-evasion is undone and reported as a Signal: letters spaced out
//     ("T e l e g r a m", "w.h.a.t.s.a.p.p", "T-e-l-e-g-r-a-m", and Latin
//     letters or digits between symbols: "C🔥a🔥m🔥b🔥o", "C 🔥 a 🔥 m 🔥 b",
//     "T*e*l*e") are joined;
//     digits or symbols used as letters inside a Latin word ("L0KER",
//     "T3l3gr@m", "C4mbodia") are read as letters, and so is a '$' that
//     starts a Latin word of four letters or more ("$ihanoukville"), while
//     numbers ("$1500", "15k") are left alone; Cyrillic, Greek and Cherokee
//     letters that look like Latin ones are read as Latin in a word that
//     mixes them with Latin letters ("Теlеgrаm" with Cyrillic е and а,
//     "Ꭲelegram"), while a word in Cyrillic or Greek alone stays as it is;
//     regional indicator symbols that spell letters rather than flags
//     ("🇹🇪🇱🇪🇬🇷🇦🇲", "🇹 🇪 🇱 🇪") are read as those letters, while a row of
//     flags ("🇰🇭🇲🇲") stays; text turned upside down ("ɯɐɹƃǝlǝʇ",
//     "ɐıpoqɯɐɔ uı qoɾ") is read right way up (see styled.go).
//
// Invalid UTF-8 bytes become spaces. Normalising is linear in the length of
// the input; callers bound that length.
//
// One more step is the caller's, since it needs the whole ad: Cantonese
// tells an ad written in Cantonese, and FoldCantonese rewrites its
// normalised text in Mandarin words (see yue.go).
package textnorm

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Signal names a filter-evasion trick that normalisation undid.
type Signal uint8

// Signals that Normalize reports.
const (
	// SpacedLetters: letters separated by single spaces, dots, dashes,
	// asterisks or symbols ("W h a t s A p p", "S.H.V", "C🔥a🔥m🔥b🔥o")
	// were joined.
	SpacedLetters Signal = iota + 1
	// Leetspeak: digits or symbols between Latin letters were read as
	// letters ("L0KER LU4R N3GERI", "H!R!NG"), or a '$' starting a Latin
	// word ("$ihanoukville").
	Leetspeak
	// Homoglyphs: Cyrillic, Greek or Cherokee letters that look like
	// Latin ones, mixed into a Latin word, were read as Latin ("Теlеgrаm"
	// with Cyrillic е and а, "Ꭲelegram" with Cherokee Ꭲ).
	Homoglyphs
	// LetterSymbols: regional indicator symbols, which flags are made
	// of, spelled letters ("🇹🇪🇱🇪🇬🇷🇦🇲", "🇹 🇪 🇱 🇪") and were read
	// as those letters.
	LetterSymbols
	// UpsideDown: text turned upside down ("ɯɐɹƃǝlǝʇ") was read right
	// way up.
	UpsideDown
)

// String returns the signal's name as used in rules files.
func (s Signal) String() string {
	switch s {
	case SpacedLetters:
		return "spaced_letters"
	case Leetspeak:
		return "leetspeak"
	case Homoglyphs:
		return "homoglyphs"
	case LetterSymbols:
		return "letter_symbols"
	case UpsideDown:
		return "upside_down"
	}
	return "unknown"
}

// ParseSignal returns the Signal named name, and false when there is none.
func ParseSignal(name string) (Signal, bool) {
	switch name {
	case "spaced_letters":
		return SpacedLetters, true
	case "leetspeak":
		return Leetspeak, true
	case "homoglyphs":
		return Homoglyphs, true
	case "letter_symbols":
		return LetterSymbols, true
	case "upside_down":
		return UpsideDown, true
	}
	return 0, false
}

// SignalSpan is where in the original text a Signal was seen.
type SignalSpan struct {
	Signal     Signal
	Start, End int // byte offsets into the original text
}

// Text is a normalised text with its map back to the original.
type Text struct {
	// Orig is the text as given.
	Orig string
	// Norm is the normalised form.
	Norm string
	// Signals lists the evasion tricks undone, in order of position.
	Signals []SignalSpan
	// offsets maps each byte of Norm to its original span.
	offsets offsetMap
}

// Span maps the normalised byte span [ns, ne) back to the original text. The
// result is a span of whole original characters (of whole normalisation
// segments, when one original character became several or several became
// one), so Orig[start:end] is always valid. For an empty span it returns
// the position where that span would start.
func (t *Text) Span(ns, ne int) (start, end int) {
	if ns < 0 {
		ns = 0
	}
	if ne > len(t.Norm) {
		ne = len(t.Norm)
	}
	if ns >= len(t.Norm) {
		return len(t.Orig), len(t.Orig)
	}
	s, _ := t.offsets.span(t.Norm, ns)
	if ne <= ns {
		return int(s), int(s)
	}
	_, e := t.offsets.span(t.Norm, ne-1)
	return int(s), int(e)
}

// unit is one rune of the normalised text before assembly, with the
// original span it stands for.
type unit struct {
	r    rune
	s, e int32
}

// Normalizer normalises texts, reusing its buffers between calls. A
// Normalizer is not safe for concurrent use; the zero value is ready.
type Normalizer struct {
	units []unit
	buf   []byte
	out   []byte // the normalised text as scan writes it
	// Where undoEvasionIn assembles the part of the text it rewrote.
	start, end []int32
	runs       []mapRun // where undoEvasionIn keeps the runs after that part
}

// String returns the normalised form of s, without the offset map: the form
// in which rules phrases are compiled.
func String(s string) string {
	var n Normalizer
	return n.Normalize(s).Norm
}

// Normalize returns the normalised form of s with its offset map. s longer
// than 1<<31-1 bytes is not supported (callers cap far below that).
func (n *Normalizer) Normalize(s string) *Text {
	t := new(Text)
	n.NormalizeInto(t, s)
	return t
}

// NormalizeInto is Normalize writing into t, whose buffers (offset map and
// signals) it reuses: what t held before is overwritten. It lets a caller
// that normalises many texts avoid allocating a Text for each.
func (n *Normalizer) NormalizeInto(t *Text, s string) {
	t.Orig = s
	t.Signals = t.Signals[:0]
	if lo, hi := n.scan(t, s); lo >= 0 {
		n.undoEvasionIn(t, lo, hi)
	}
	t.Norm = n.norm(s)
	t.offsets.indexBlocks(len(t.Norm))
}

// norm returns the normalised text scan and undoEvasionIn left in n.out,
// as a string: s when it is the same, else a string of its own.
func (n *Normalizer) norm(s string) string {
	if string(n.out) == s {
		return s // nothing to allocate
	}
	return string(n.out)
}

// segment appends to n.units the NFKC-normalised, folded runes of the
// normalisation segment of s that starts at i, and returns where it ends.
// It is the general case of decoding, for the characters that are not a
// segment of their own already in NFKC.
func (n *Normalizer) segment(s string, i int) int {
	seg := norm.NFKC.NextBoundaryInString(s[i:], true)
	if r, w := utf8.DecodeRuneInString(s[i:]); seg <= 0 || r == utf8.RuneError && w == 1 {
		// An invalid byte is a segment of its own: it becomes a
		// space, which marks after it do not combine with.
		seg = w
	}
	end := i + seg
	part := s[i:end]
	// Characters normalisation removes, followed by non-starters
	// (combining marks), would leave marks that a second
	// normalisation reorders or composes: take the marks into this
	// segment and normalise it without the removed characters.
	if e := extendOverDropped(s, end); e > end {
		end = e
		var b strings.Builder
		for _, r := range s[i:end] {
			if !isDropped(r) {
				b.WriteRune(r)
			}
		}
		part = b.String()
	}
	if hasOverride(part) {
		// Characters whose NFKC form does not read as what they show.
		part = withOverrides(part)
	}
	if nonStarter(s, i) {
		// A segment that starts with a combining mark (at the start
		// of the text, after an invalid byte): normalise it after a
		// space, as it will be when the normalised text, where the
		// byte is a space, is normalised again.
		n.buf = norm.NFKC.AppendString(append(n.buf[:0], ' '), part)
		n.buf = n.buf[1:]
	} else {
		n.buf = norm.NFKC.AppendString(n.buf[:0], part)
	}
	if part == s[i:end] && string(n.buf) == part {
		n.pushRunes(part, i, end)
	} else {
		for j := 0; j < len(n.buf); {
			r, w := utf8.DecodeRune(n.buf[j:])
			if r == utf8.RuneError && w <= 1 {
				r = ' '
				if len(n.buf) == end-i {
					n.push(r, i+j, i+j+1)
					j++
					continue
				}
			}
			n.push(r, i, end)
			j += w
		}
	}
	return end
}

// pushRunes adds the runes of seg, all of which stand for original [s, e).
func (n *Normalizer) pushRunes(seg string, s, e int) {
	for j := 0; j < len(seg); {
		r, w := utf8.DecodeRuneInString(seg[j:])
		if r == utf8.RuneError && w <= 1 {
			r = ' '
			if len(seg) == e-s {
				// Unchanged segment: point the space at the bad byte only.
				n.push(r, s+j, s+j+1)
				j++
				continue
			}
		}
		n.push(r, s, e)
		j += w
	}
}

// asciiFold maps each ASCII byte to its normalised form: upper-case
// letters to lower case, tab, carriage return, vertical tab and form feed
// to a space, other control characters to asciiDrop (removed).
var asciiFold = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		b := byte(c)
		switch {
		case 'A' <= b && b <= 'Z':
			b += 'a' - 'A'
		case b == '\t' || b == '\r' || b == '\v' || b == '\f':
			b = ' '
		case b < ' ' && b != '\n' || b == 0x7f:
			b = asciiDrop
		}
		t[c] = b
	}
	return t
}()

// asciiDrop marks, in asciiFold, the bytes that normalisation removes.
const asciiDrop = 0xff

// Entries of the BMP table: the folded rune and flags.
const (
	bmpRune   = 1<<21 - 1
	bmpDrop   = 1 << 21 // normalisation removes the character
	bmpSimple = 1 << 22 // on its own, the character is in NFKC
	bmpStarts = 1 << 23 // a normalisation segment starts at the character
	bmpWord   = 1 << 24 // isWordRune
	bmpMark   = 1 << 25 // isMark
	bmpToken  = 1 << 26 // a letter or digit, not a mark
	bmpLatin  = 1 << 27 // isLatinLetter

	// Properties of the folded rune, for the fast path.
	bmpSame      = 1 << 28 // folding leaves the character as it is
	bmpFoldSpace = 1 << 29 // the character folds to ' ' or '\n'
	bmpFoldMark  = 1 << 30 // the character folds to a mark (isMark)
	bmpFoldLatin = 1 << 31 // the character folds to a Latin letter
)

var bmp struct {
	once sync.Once
	tab  *[0x10000]uint32
}

// bmpTable returns, for every character of the Basic Multilingual Plane,
// what push would do with it and its NFKC properties, computed on first
// use.
func bmpTable() *[0x10000]uint32 {
	bmp.once.Do(func() {
		t := new([0x10000]uint32)
		for r := rune(utf8.RuneSelf); r < 0x10000; r++ {
			if !utf8.ValidRune(r) {
				continue
			}
			s := string(r)
			var e uint32
			if f, ok := fold(r); ok {
				e = uint32(f)
				if f == r {
					e |= bmpSame
				}
				if f == ' ' || f == '\n' {
					e |= bmpFoldSpace
				}
				if f >= 0x300 && slowIsMark(f) {
					e |= bmpFoldMark
				}
				if slowIsLatinLetter(f) {
					e |= bmpFoldLatin
				}
			} else {
				e = bmpDrop
			}
			// After a space, so that a combining mark is normalised as
			// in running text (alone, NFKC leaves it unchanged).
			if norm.NFKC.String(" "+s) == " "+s {
				e |= bmpSimple
			}
			if norm.NFKC.NextBoundaryInString("a"+s, true) == 1 {
				e |= bmpStarts
			}
			if slowIsWordRune(r) {
				e |= bmpWord
			}
			if slowIsMark(r) {
				e |= bmpMark
			}
			if !slowIsMark(r) && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
				e |= bmpToken
			}
			if slowIsLatinLetter(r) {
				e |= bmpLatin
			}
			t[r] = e
		}
		bmp.tab = t
	})
	return bmp.tab
}

// isDropped reports whether normalisation removes r.
func isDropped(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiFold[r] == asciiDrop
	}
	_, ok := fold(r)
	return !ok
}

// nonStarter reports whether the character at s[k] continues the
// normalisation segment before it (a combining mark).
func nonStarter(s string, k int) bool {
	r, w := utf8.DecodeRuneInString(s[k:])
	if w <= 1 {
		return false
	}
	if r < 0x10000 {
		return bmpTable()[r]&bmpStarts == 0
	}
	return emojiEntry(r)&emojiNonStarter != 0
}

// extendOverDropped returns the end of the segment ending at end, extended
// over every run of removed characters that is followed by a non-starter,
// with the segment that non-starter begins; or end when there is none.
func extendOverDropped(s string, end int) int {
	for end < len(s) {
		k := end
		for k < len(s) {
			r, w := utf8.DecodeRuneInString(s[k:])
			if r == utf8.RuneError && w <= 1 || !isDropped(r) {
				break
			}
			k += w
		}
		if k == end || k >= len(s) || !nonStarter(s, k) {
			break
		}
		next := norm.NFKC.NextBoundaryInString(s[k:], true)
		if next <= 0 {
			next = 1
		}
		end = k + next
	}
	return end
}

// push adds one rune, mapped, unless mapping removes it.
func (n *Normalizer) push(r rune, s, e int) {
	if r < utf8.RuneSelf {
		if c := asciiFold[r]; c != asciiDrop {
			n.units = append(n.units, unit{rune(c), int32(s), int32(e)})
		}
		return
	}
	if r, ok := fold(r); ok {
		n.units = append(n.units, unit{r, int32(s), int32(e)})
	}
}

// fold maps a non-ASCII rune as normalisation does, and returns false
// when normalisation removes it.
func fold(r rune) (rune, bool) {
	if drop(r) {
		return 0, false
	}
	if c, ok := emojiCanon[r]; ok {
		return c, true
	}
	if r >= hantFirst && r <= hantLast {
		if c, ok := hantToHans()[r]; ok {
			return c, true
		}
	}
	switch {
	case unicode.IsSpace(r):
		if r == '\u2028' || r == '\u2029' || r == '\u0085' {
			r = '\n'
		} else {
			r = ' '
		}
	case unicode.Is(unicode.Nd, r):
		if d, ok := digitValue[r]; ok {
			r = '0' + rune(d)
		}
	case unicode.Is(unicode.Pd, r):
		r = '-'
	case r == '\u2018' || r == '\u2019' || r == '\u02bc' || r == '\u201b' || r == '\u02bb':
		// U+02BB is the Uzbek Latin oʻ and gʻ, also written o' and g'.
		r = '\''
	// Arabic letters that ads write interchangeably, folded as search
	// engines fold them: alef with hamza or madda and alef wasla to bare
	// alef, teh marbuta to heh, alef maksura to yeh.
	case r == '\u0622' || r == '\u0623' || r == '\u0625' || r == '\u0671':
		r = '\u0627'
	case r == '\u0629':
		r = '\u0647'
	case r == '\u0649':
		r = '\u064a'
	case r == '\u201c' || r == '\u201d' || r == '\u201f':
		r = '"'
	default:
		r = unicode.ToLower(unicode.ToUpper(r))
		if b, ok := latinBase[r]; ok {
			r = b
		} else if b, ok := styledLatin[r]; ok {
			r = b
		}
	}
	return r, true
}

// hantToHans maps a traditional Chinese character to the simplified one
// (機 to 机, 護 to 护), so that a phrase written in either script matches
// text in both: Hong Kong, Macau and Taiwan write traditional characters,
// the mainland and Malaysia simplified ones, and a phrase list in one of
// them missed the other's ads. Japanese kanji fold too, in phrases and text
// alike. It is built on first use (bmpTable's, mostly).
var hantToHans = sync.OnceValue(func() map[rune]rune {
	m := make(map[rune]rune, len(hantPairs)/6)
	for s := hantPairs; s != ""; {
		t, n := utf8.DecodeRuneInString(s)
		h, k := utf8.DecodeRuneInString(s[n:])
		m[t] = h
		s = s[n+k:]
	}
	return m
})

// drop reports whether r is removed by normalisation: format characters
// (zero-width space and joiners, BOM, soft hyphen, bidi controls),
// variation selectors, the combining grapheme joiner and control
// characters other than the line break U+0085.
func drop(r rune) bool {
	switch {
	case r == '\u034f':
		return true
	case r >= 0x80 && r < 0xa0:
		return r != 0x85
	case r >= '\ufe00' && r <= '\ufe0f':
		return true
	case r == '\u0640' || r >= '\u064b' && r <= '\u0652' || r == '\u0670':
		// Arabic tatweel (a stretching stroke) and short-vowel marks,
		// which ads use or leave out at will.
		return true
	case r >= 0xe0100 && r <= 0xe01ef:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// isWordRune reports whether r is part of a word: a letter, digit, mark or
// underscore.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	if r < 0x10000 {
		return bmpTable()[r]&bmpWord != 0
	}
	return slowIsWordRune(r)
}

func slowIsWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc)
}

// asciiWord marks the ASCII word characters: letters, digits, underscore.
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func isMark(r rune) bool {
	if r < 0x300 {
		return false
	}
	if r < 0x10000 {
		return bmpTable()[r]&bmpMark != 0
	}
	return slowIsMark(r)
}

func slowIsMark(r rune) bool { return unicode.In(r, unicode.Mn, unicode.Mc) }

func isLatinLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	if r < 0x10000 {
		return bmpTable()[r]&bmpLatin != 0
	}
	return slowIsLatinLetter(r)
}

func slowIsLatinLetter(r rune) bool {
	return r < 0x250 && unicode.IsLetter(r) || unicode.Is(unicode.Latin, r)
}

// Unspaced reports whether r belongs to a script where a phrase is
// matched as a plain substring instead of as whole words: those written
// without spaces between words (Han, kana, Thai, Lao, Khmer, Burmese,
// Tibetan), and Hangul, whose particles join the word before them
// (캄보디아에서, "in Cambodia"), so that a word is rarely whole.
func Unspaced(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai,
		unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan, unicode.Hangul)
}

// IsWordRune reports whether r continues a word of a space-separated
// script, so that a phrase must not start or end next to it.
func IsWordRune(r rune) bool { return isWordRune(r) && !Unspaced(r) }

// leet maps the digits and symbols read as letters inside a Latin word to
// those letters; 0 means none.
var leet = [utf8.RuneSelf]rune{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '!': 'i', '$': 's'}

// isLeet reports whether r is a digit or symbol that can be read as a
// letter.
func isLeet(r rune) bool { _, ok := leetLetter(r); return ok }

// leetLetter returns the letter r stands for inside a Latin word.
func leetLetter(r rune) (rune, bool) {
	if r >= utf8.RuneSelf || leet[r] == 0 {
		return 0, false
	}
	return leet[r], true
}

// undoEvasion rewrites leetspeak and joins spaced-out letters in n.units,
// recording what it did in t.Signals.
func (n *Normalizer) undoEvasion(t *Text) {
	n.units = collapseSpace(dropLatinMarks(n.units))
	u := n.units
	// Letters spelled with the symbols of flags are read first: what they
	// spell may be spaced out, or leetspeak. Upside-down text is read
	// last (see the end), once letters are joined and read, so that what
	// it reads is what a second normalisation would read.
	if regionalLetters(t, u) {
		u = dropLatinMarks(u)
	}
	// Spaced letters: at least 4 one-character tokens (3 when separated by
	// dots, "S.H.V"), each a letter, digit or underscore with its marks,
	// separated by one repeated separator (or a symbol between spaces).
	out := u[:0]
	for i := 0; i < len(u); {
		end, count, sepLen := spacedRun(u, i)
		if count < 4 && !(count == 3 && u[i+tokenLen(u, i)].r == '.') {
			if len(out) == i {
				out = out[:i+1] // nothing removed yet: no copy
			} else {
				out = append(out, u[i])
			}
			i++
			continue
		}
		t.Signals = append(t.Signals, SignalSpan{SpacedLetters, int(u[i].s), int(u[end-1].e)})
		out = joinRun(out, u, i, end, sepLen)
		i = end
	}
	n.units = out
	if undoHomoglyphs(t, out) {
		// Marks on the letters now read as Latin go, as on any Latin
		// letter.
		n.units = dropLatinMarks(n.units)
	}
	u = n.units
	// Leetspeak: a digit or symbol between two Latin letters, or a '$'
	// starting a word of at least four Latin letters.
	// The '$' rule runs second, so that it sees the letters the first
	// rule restored ("$A0AA"), and from right to left.
	last := -1 // index in t.Signals of the open leetspeak span
	for pass := range 2 {
		for k := 0; k+1 < len(u); k++ {
			i := k
			if pass == 1 {
				i = len(u) - 2 - k // right to left: "$$ihanoukville"
			}
			l, ok := leetLetter(u[i].r)
			if !ok {
				continue
			}
			if pass == 0 {
				if i == 0 || !isLatinLetter(u[i-1].r) || !isLatinLetter(u[i+1].r) {
					continue
				}
				if u[i].r == '@' && emailLike(u[i+1:]) {
					continue
				}
			} else if u[i].r != '$' || i > 0 && (isWordRune(u[i-1].r) || isLeet(u[i-1].r)) || !latinRun(u[i+1:], 4) {
				// After a word character or another symbol read as a
				// letter, a '$' is not starting a word.
				continue
			}
			u[i].r = l
			if last >= 0 && int(u[i].s) <= t.Signals[last].End+8 && int(u[i].s) >= t.Signals[last].Start {
				t.Signals[last].End = max(t.Signals[last].End, int(u[i].e))
			} else {
				t.Signals = append(t.Signals, SignalSpan{Leetspeak, int(u[i].s), int(u[i].e)})
				last = len(t.Signals) - 1
			}
		}
	}
	if unflip(t, u) {
		n.units = dropLatinMarks(u)
	}
	if !slices.IsSortedFunc(t.Signals, bySignalStart) {
		// Regional letters come before the steps above, upside-down
		// text after them.
		slices.SortStableFunc(t.Signals, bySignalStart)
	}
}

func bySignalStart(a, b SignalSpan) int { return cmp.Compare(a.Start, b.Start) }

// joinRun appends to out the spaced-out letters u[i:end], separated by
// separators sepLen units long, joined. When they are separated by white
// space of different widths, the wider gaps separate words and are kept
// ("C u s t o m e r   s e r v i c e" becomes "customer service"), except
// between two one-letter words, which are joined too, so that no run of
// spaced letters is left for a second normalisation to join.
func joinRun(out, u []unit, i, end, sepLen int) []unit {
	type token struct{ j, n int }
	var toks []token
	minGap := int32(1 << 30)
	for j := i; j < end; {
		tl := tokenLen(u, j)
		toks = append(toks, token{j, tl})
		if g := j + tl; g < end {
			minGap = min(minGap, u[g].e-u[g].s)
		}
		j += tl + sepLen
	}
	wordGap := func(k int) bool { // after token k
		g := u[toks[k].j+toks[k].n]
		return sepLen == 1 && g.r == ' ' && g.e-g.s > minGap
	}
	// Group sizes, split at word gaps.
	var sizes []int
	size := 0
	for k := range toks {
		size++
		if k+1 < len(toks) && wordGap(k) {
			sizes = append(sizes, size)
			size = 0
		}
	}
	sizes = append(sizes, size)
	group := 0
	for k, tk := range toks {
		out = append(out, u[tk.j:tk.j+tk.n]...)
		if k+1 < len(toks) && wordGap(k) {
			if sizes[group] > 1 || sizes[group+1] > 1 {
				out = append(out, u[tk.j+tk.n])
			}
			group++
		}
	}
	return out
}

// collapseSpace replaces each run of white space units with one unit: a
// newline when the run holds a line break, else a space, standing for the
// whole run. Evasion is undone on the collapsed text, as it would be on
// the normalised text, so that normalising is idempotent.
func collapseSpace(u []unit) []unit {
	w := 0
	for i := 0; i < len(u); i++ {
		x := u[i]
		if (x.r == ' ' || x.r == '\n') && w > 0 && (u[w-1].r == ' ' || u[w-1].r == '\n') {
			if x.r == '\n' {
				u[w-1].r = '\n'
			}
			u[w-1].e = x.e
			continue
		}
		if w != i {
			u[w] = x
		}
		w++
	}
	return u[:w]
}

// dropLatinMarks removes the combining marks that follow a Latin letter
// (what is left of a diacritic NFKC could not compose, "e" with three
// acutes), so that Latin letters lose all their diacritics and
// normalising is idempotent.
func dropLatinMarks(u []unit) []unit {
	w := 0
	for i := 0; i < len(u); i++ {
		x := u[i]
		if x.r >= 0x300 && w > 0 && isMark(x.r) && isLatinLetter(u[w-1].r) {
			continue
		}
		if w != i {
			u[w] = x
		}
		w++
	}
	return u[:w]
}

// latinRun reports whether u starts with at least n Latin letters.
func latinRun(u []unit, n int) bool {
	if len(u) < n {
		return false
	}
	for _, x := range u[:n] {
		if !isLatinLetter(x.r) {
			return false
		}
	}
	return true
}

// emojiCanon maps emoji that stand for the same word in a job ad to one
// canonical emoji: ✈ flight, 🏠 housing, 🍚 food, 💵 pay, 📱 contact.
var emojiCanon = map[rune]rune{
	'🛫': '✈', '🛬': '✈', '🛩': '✈', '🛪': '✈',
	'🏡': '🏠', '🏨': '🏠', '🏘': '🏠', '🛏': '🏠', '🏢': '🏠',
	'🍱': '🍚', '🍜': '🍚', '🍛': '🍚', '🍲': '🍚', '🥘': '🍚', '🍝': '🍚', '🍽': '🍚', '🥗': '🍚',
	'💰': '💵', '💲': '💵', '💴': '💵', '💶': '💵', '💷': '💵', '💸': '💵', '🤑': '💵',
	'📞': '📱', '☎': '📱', '📲': '📱',
}

// homoglyph maps Cyrillic, Greek and Cherokee letters to the Latin letter
// they look like. Whether a letter is a look-alike is decided on its
// folded (lower case) form, which is in the map for every letter; the
// letter it becomes is looked up as written, when that is in the map too
// ("Ν" is n, "ν" is v).
var homoglyph = map[rune]rune{
	// Cyrillic.
	'А': 'a', 'а': 'a', 'В': 'b', 'Е': 'e', 'е': 'e', 'К': 'k', 'к': 'k', 'М': 'm', 'м': 'm', 'Н': 'h',
	'О': 'o', 'о': 'o', 'Р': 'p', 'р': 'p', 'С': 'c', 'с': 'c', 'Т': 't', 'т': 't', 'У': 'y', 'у': 'y',
	'Х': 'x', 'х': 'x', 'І': 'i', 'і': 'i', 'Ј': 'j', 'ј': 'j', 'Ѕ': 's', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h',
	'ԛ': 'q', 'ԝ': 'w', 'Ӏ': 'l', 'ӏ': 'l', 'в': 'b', 'н': 'h',
	// Greek.
	'Α': 'a', 'α': 'a', 'Β': 'b', 'Ε': 'e', 'Ζ': 'z', 'Η': 'h', 'Ι': 'i', 'ι': 'i', 'Κ': 'k', 'κ': 'k',
	'Μ': 'm', 'Ν': 'n', 'ν': 'v', 'Ο': 'o', 'ο': 'o', 'Ρ': 'p', 'ρ': 'p', 'Τ': 't', 'τ': 't', 'Υ': 'y',
	'υ': 'u', 'Χ': 'x', 'χ': 'x', 'ω': 'w', 'β': 'b', 'ε': 'e', 'ζ': 'z', 'η': 'n', 'μ': 'u',
	// Cherokee capitals, which "fancy text" uses for Latin ones
	// ("Ꭲelegram"), and the small letters they fold to.
	'Ꭰ': 'd', 'ꭰ': 'd', 'Ꭱ': 'r', 'ꭱ': 'r', 'Ꭲ': 't', 'ꭲ': 't', 'Ꭵ': 'i', 'ꭵ': 'i', 'Ꭹ': 'y', 'ꭹ': 'y',
	'Ꭺ': 'a', 'ꭺ': 'a', 'Ꭻ': 'j', 'ꭻ': 'j', 'Ꭼ': 'e', 'ꭼ': 'e', 'Ꮃ': 'w', 'ꮃ': 'w', 'Ꮇ': 'm', 'ꮇ': 'm',
	'Ꮋ': 'h', 'ꮋ': 'h', 'Ꮐ': 'g', 'ꮐ': 'g', 'Ꮒ': 'h', 'ꮒ': 'h', 'Ꮓ': 'z', 'ꮓ': 'z', 'Ꮟ': 'b', 'ꮟ': 'b',
	'Ꮩ': 'v', 'ꮩ': 'v', 'Ꮪ': 's', 'ꮪ': 's', 'Ꮮ': 'l', 'ꮮ': 'l', 'Ꮯ': 'c', 'ꮯ': 'c', 'Ꮲ': 'p', 'ꮲ': 'p',
	'Ꮶ': 'k', 'ꮶ': 'k', 'Ᏼ': 'b', 'ᏼ': 'b',
}

// undoHomoglyphs rewrites, in every word that mixes Latin letters with
// Cyrillic, Greek or Cherokee ones that all look like Latin letters, those
// letters to Latin, and records a Homoglyphs signal for each such word.
// Words with no Latin letter (Russian, Greek, Cherokee) or with a letter of
// those scripts that has no Latin look-alike are left alone. It reports whether
// it rewrote any.
func undoHomoglyphs(t *Text, u []unit) bool {
	done := false
	for i := 0; i < len(u); {
		if u[i].r < 0x370 || !isWordRune(u[i].r) || !isLookalikeScript(u[i].r) {
			i++
			continue
		}
		// A Greek, Cyrillic or Cherokee candidate: find its word.
		start, end := i, i+1
		for start > 0 && isWordRune(u[start-1].r) {
			start--
		}
		for end < len(u) && isWordRune(u[end].r) {
			end++
		}
		latin, mixed, ok := false, false, true
		for _, x := range u[start:end] {
			switch {
			case x.r < utf8.RuneSelf:
				latin = latin || 'a' <= x.r && x.r <= 'z'
			case isLookalikeScript(x.r):
				if _, found := homoglyph[x.r]; found {
					mixed = true
				} else {
					ok = false
				}
			default:
				// A Latin letter beyond ASCII (ɯ, ɔ), which leetspeak
				// may put an ASCII one beside, as a second
				// normalisation would then see.
				latin = latin || isLatinLetter(x.r)
			}
		}
		if latin && mixed && ok {
			for k := start; k < end; k++ {
				if isLookalikeScript(u[k].r) {
					if l, ok := homoglyph[lookalikeSource(t, u[k])]; ok {
						u[k].r = l
					} else {
						u[k].r = homoglyph[u[k].r]
					}
				}
			}
			t.Signals = append(t.Signals, SignalSpan{Homoglyphs, int(u[start].s), int(u[end-1].e)})
			done = true
		}
		i = end
	}
	return done
}

// lookalikeSource returns the character of the original text that unit x
// stands for, before case folding, when it is one character; else x's rune.
func lookalikeSource(t *Text, x unit) rune {
	r, w := utf8.DecodeRuneInString(t.Orig[x.s:x.e])
	if w == int(x.e-x.s) && w > 1 {
		return r
	}
	return x.r
}

// emailLike reports whether the rest of a word after '@' looks like a mail
// domain (holds a dot before the next space).
func emailLike(rest []unit) bool {
	for _, x := range rest {
		if x.r == '.' {
			return true
		}
		if !isWordRune(x.r) && x.r != '-' {
			return false
		}
	}
	return false
}

// isSep reports whether r can separate spaced-out letters: a space, a dot,
// a dash, an asterisk, or a symbol (see isSymbolSep).
func isSep(r rune) bool { return r == ' ' || r == '.' || r == '-' || r == '*' || isSymbolSep(r) }

// isSymbolSep reports whether r is a symbol that posts put between letters
// to dodge filters ("C🔥a🔥m🔥b🔥o🔥d🔥i🔥a", "T✨e✨l✨e✨g✨r✨a✨m", "W•h•a•t•s"):
// an emoji or a symbol or punctuation mark of the blocks U+2000–U+2FFF,
// but not a regional indicator, which spells flags. Between such symbols
// only ASCII letters and digits are joined (see spacedRun), so that
// evasionRange needs to look only after ASCII.
func isSymbolSep(r rune) bool {
	switch {
	case r >= 0x2000 && r < 0x3000:
		return unicode.In(r, unicode.So, unicode.Sm, unicode.Po)
	case r >= 0x1f000 && r < 0x1fb00:
		return (r < 0x1f1e6 || r > 0x1f1ff) && unicode.In(r, unicode.So, unicode.Sm, unicode.Po)
	}
	return false
}

// tokenLen returns the length in units of the one-character token at i (a
// letter, digit or underscore with its marks), or 0 when there is none.
func tokenLen(u []unit, i int) int {
	if i >= len(u) || !isToken(u[i].r) {
		return 0
	}
	j := i + 1
	for j < len(u) && isMark(u[j].r) {
		j++
	}
	return j - i
}

// asciiToken reports whether the token u[i:i+tl] is an ASCII letter or
// digit alone.
func asciiToken(u []unit, i, tl int) bool { return tl == 1 && u[i].r < utf8.RuneSelf && u[i].r != '_' }

// spacedRun finds a run of one-character tokens starting at i separated by
// one repeated separator, and returns the index after its last token, the
// number of tokens and the separator's length in units: 1, or 3 for a
// symbol between spaces ("C 🔥 a 🔥 m"). A token adjacent to other word
// characters (so part of a longer word) ends the run.
func spacedRun(u []unit, i int) (end, count, sepLen int) {
	if i > 0 && isWordRune(u[i-1].r) {
		return i, 0, 1
	}
	tl := tokenLen(u, i)
	if tl == 0 {
		return i, 0, 1
	}
	j := i + tl
	if j >= len(u) || !isSep(u[j].r) {
		return i, 0, 1
	}
	sep, sepLen := u[j].r, 1
	if sep == ' ' && j+2 < len(u) && isSymbolSep(u[j+1].r) && u[j+2].r == ' ' {
		sep, sepLen = u[j+1].r, 3
	}
	symbol := isSymbolSep(sep)
	if symbol && !asciiToken(u, i, tl) {
		return i, 0, sepLen
	}
	count = 1
	end = j
	for sepAt(u, j, sep, sepLen) {
		tl := tokenLen(u, j+sepLen)
		if tl == 0 || symbol && !asciiToken(u, j+sepLen, tl) {
			break
		}
		k := j + sepLen + tl
		if k < len(u) && isWordRune(u[k].r) {
			// "S.H.V" ends at a token; "P.e.nh" would continue a word:
			// accept a final multi-letter tail only when nothing follows.
			break
		}
		if k+1 < len(u) && isSep(u[k].r) && !sepAt(u, k, sep, sepLen) && startsRun(u, k+1, u[k].r) {
			// The token starts a run with another separator ("0 0 0
			// 0-0-0-0"): it belongs to that run, which a second
			// normalisation would otherwise join.
			break
		}
		count++
		end = k
		j = k
	}
	return end, count, sepLen
}

// startsRun reports whether u[i:] starts with a one-character token
// followed by separator sep and another token.
func startsRun(u []unit, i int, sep rune) bool {
	tl := tokenLen(u, i)
	return tl > 0 && i+tl+1 < len(u) && u[i+tl].r == sep && tokenLen(u, i+tl+1) > 0
}

// sepAt reports whether u[j:] starts with the separator sep, sepLen units
// long (a symbol between spaces when 3).
func sepAt(u []unit, j int, sep rune, sepLen int) bool {
	if sepLen == 1 {
		return j < len(u) && u[j].r == sep
	}
	return j+2 < len(u) && u[j].r == ' ' && u[j+1].r == sep && u[j+2].r == ' '
}
