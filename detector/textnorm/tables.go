package textnorm

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// digitValue maps every non-ASCII decimal digit to its value.
var digitValue = func() map[rune]uint8 {
	m := make(map[rune]uint8, 700)
	for _, r16 := range unicode.Nd.R16 {
		for r := rune(r16.Lo); r <= rune(r16.Hi); r += rune(r16.Stride) {
			if r >= 0x80 {
				m[r] = uint8((r - rune(r16.Lo)) % 10)
			}
		}
	}
	for _, r32 := range unicode.Nd.R32 {
		for r := rune(r32.Lo); r <= rune(r32.Hi); r += rune(r32.Stride) {
			m[r] = uint8((r - rune(r32.Lo)) % 10)
		}
	}
	return m
}()

// latinBase maps Latin letters with diacritics to their base letter.
var latinBase = func() map[rune]rune {
	m := map[rune]rune{'đ': 'd', 'ð': 'd', 'ø': 'o', 'ł': 'l', 'ı': 'i', 'ħ': 'h', 'ŧ': 't', 'ƀ': 'b', 'ɨ': 'i', 'ʉ': 'u'}
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			if !unicode.IsLetter(r) {
				continue
			}
			var base []rune
			for _, d := range norm.NFD.String(string(r)) {
				if !unicode.Is(unicode.Mn, d) {
					base = append(base, d)
				}
			}
			if len(base) == 1 && base[0] != r && base[0] < 0x80 {
				m[r] = unicode.ToLower(base[0])
			}
		}
	}
	add(0x00c0, 0x024f)
	add(0x1e00, 0x1eff)
	return m
}()

// styledLatin maps the letters that "fancy text" generators and
// filter-dodging posts use for Latin letters, and that NFKC leaves as they
// are, to those letters: small capitals ("ᴄᴀᴍʙᴏᴅɪᴀ", "ꜰʀᴇᴇ ᴠɪꜱᴀ"), IPA
// letters that look like Latin ones (ɡ, ɑ), and the negative circled and
// negative squared capitals (🅒🅐🅜, 🆃🅴🅻), which are symbols. The
// mathematical, circled, squared, full-width and superscript letters need
// no entry: NFKC makes them plain.
var styledLatin = func() map[rune]rune {
	m := map[rune]rune{
		// Small capitals.
		'ᴀ': 'a', 'ʙ': 'b', 'ᴄ': 'c', 'ᴅ': 'd', 'ᴇ': 'e', 'ꜰ': 'f', 'ɢ': 'g', 'ʜ': 'h', 'ɪ': 'i',
		'ᴊ': 'j', 'ᴋ': 'k', 'ʟ': 'l', 'ᴍ': 'm', 'ɴ': 'n', 'ᴏ': 'o', 'ᴘ': 'p', 'ꞯ': 'q', 'ʀ': 'r',
		'ꜱ': 's', 'ᴛ': 't', 'ᴜ': 'u', 'ᴠ': 'v', 'ᴡ': 'w', 'ʏ': 'y', 'ᴢ': 'z',
		// IPA and other Latin letters used as look-alikes.
		'ɡ': 'g', 'ɑ': 'a', 'ɩ': 'i', 'ȷ': 'j', 'ʂ': 's', 'ɦ': 'h', 'ɱ': 'm', 'ɲ': 'n', 'ʋ': 'v',
	}
	for i := range rune(26) {
		m[0x1f150+i] = 'a' + i // negative circled capital letters
		m[0x1f170+i] = 'a' + i // negative squared capital letters
	}
	return m
}()
