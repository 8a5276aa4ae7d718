package rulefmt

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/lurewatch/lurewatch/detector/textnorm"
)

// viramaScript is a script whose consonants carry a vowel unless a virama
// (a sign that silences it) follows: a word such as Tamil அண்ணன்
// ("elder brother") ends in one, and when a case ending is joined to it a
// vowel sign takes the virama's place (அண்ணனை, அண்ணனுக்கு). A stem
// written with its virama would miss those forms.
type viramaScript struct {
	virama rune
	// signs are the script's dependent vowel signs.
	signs []rune
}

// viramaScripts are the scripts of the rules' languages in which a stem's
// virama gives way to a vowel sign: Tamil, Telugu, Kannada, Malayalam and
// Sinhala (in Devanagari and the other North Indian scripts words rarely
// end in a written virama).
var viramaScripts = []viramaScript{
	{'\u0BCD', signRange(0x0BBE, 0x0BCC)},                         // Tamil
	{'\u0C4D', signRange(0x0C3E, 0x0C4C)},                         // Telugu
	{'\u0CCD', signRange(0x0CBE, 0x0CCC)},                         // Kannada
	{'\u0D4D', signRange(0x0D3E, 0x0D4C)},                         // Malayalam
	{'\u0DCA', append(signRange(0x0DCF, 0x0DDF), 0x0DF2, 0x0DF3)}, // Sinhala
}

// signRange returns the vowel signs (marks) from lo to hi, skipping
// unassigned code points.
func signRange(lo, hi rune) []rune {
	var out []rune
	for r := lo; r <= hi; r++ {
		if unicode.In(r, unicode.Mn, unicode.Mc) {
			out = append(out, r)
		}
	}
	return out
}

// minViramaLetters is the fewest letters a stem needs before its virama
// for viramaForms to give it vowel forms: with two, such as Kannada ಕಾಲ್
// ("call") or Malayalam പാസ് ("pass"), the vowel forms are other words
// (ಕಾಲೇಜು, "college").
const minViramaLetters = 3

// chilluBases maps each Malayalam chillu, the letter a consonant takes at
// the end of a word when no vowel follows, to the consonants it turns back
// into when a suffix brings a vowel: സെന്റർ ("centre") is സെന്ററിൽ ("in
// the centre") and അവർ ("they") അവരുടെ ("their"), so ർ has two; ൽ is ല
// (ഡോളർ, ഡോളറിൽ; കമ്പനിയിൽ). A stem written with its final chillu
// matches none of those forms; stemForms gives them.
var chilluBases = map[rune][]rune{
	'\u0D54': {'\u0D2E'},           // ൔ: മ
	'\u0D55': {'\u0D2F'},           // ൕ: യ
	'\u0D56': {'\u0D34'},           // ൖ: ഴ
	'\u0D7A': {'\u0D23'},           // ൺ: ണ
	'\u0D7B': {'\u0D28'},           // ൻ: ന
	'\u0D7C': {'\u0D30', '\u0D31'}, // ർ: ര, റ
	'\u0D7D': {'\u0D32'},           // ൽ: ല
	'\u0D7E': {'\u0D33'},           // ൾ: ള
	'\u0D7F': {'\u0D15'},           // ൿ: ക
}

// malayalamVirama is the virama of Malayalam.
const malayalamVirama = '\u0D4D'

// stemForms returns the other forms a normalised stem that is open on the
// right takes before a suffix: viramaForms for a stem that ends in a
// virama; for one that ends in a Malayalam chillu, the stem with the
// chillu's consonant and a virama (the form of the older encoding, which
// wrote a chillu as consonant, virama and a joiner that normalisation
// drops) and that stem's viramaForms. Nil for any other stem.
func stemForms(stem string) []string {
	last, size := utf8.DecodeLastRuneInString(stem)
	bases, ok := chilluBases[last]
	if !ok {
		return viramaForms(stem)
	}
	var out []string
	for _, b := range bases {
		open := textnorm.String(stem[:len(stem)-size] + string(b) + string(malayalamVirama))
		if forms := viramaForms(open); forms != nil {
			out = append(append(out, open), forms...)
		}
	}
	return out
}

// viramaForms returns the forms a normalised stem that is open on the right
// and ends in a virama takes when a vowel sign replaces the virama
// (அண்ணன் → அண்ணனை, அண்ணனா, …), each normalised; nil for any other
// stem, or one of fewer than minViramaLetters letters.
func viramaForms(stem string) []string {
	last, size := utf8.DecodeLastRuneInString(stem)
	i := slices.IndexFunc(viramaScripts, func(s viramaScript) bool { return s.virama == last })
	if i < 0 {
		return nil
	}
	base := stem[:len(stem)-size]
	letters := 0
	for _, r := range base {
		if unicode.IsLetter(r) { // vowel signs and the virama are marks, not letters
			letters++
		}
	}
	if letters < minViramaLetters {
		return nil
	}
	signs := viramaScripts[i].signs
	out := make([]string, 0, len(signs))
	for _, sign := range signs {
		if f := textnorm.String(base + string(sign)); f != "" {
			out = append(out, f)
		}
	}
	return out
}
