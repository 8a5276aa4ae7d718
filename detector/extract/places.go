package extract

import (
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Place kinds.
const (
	PlaceHotspot = "hotspot" // a town or compound known for scam centres
	PlaceTransit = "transit" // a hub or border crossing recruits are routed through
	PlaceCountry = "country" // a country named as a destination
)

// Place is a mention of a gazetteer place in an ad.
type Place struct {
	Span
	// Text is the mention as posted: text[Start:End].
	Text string `json:"text"`
	// ID is the gazetteer id ("sihanoukville"), Name its English name,
	// Country its ISO 3166-1 alpha-2 code, Kind one of the Place* kinds.
	ID      string `json:"id"`
	Name    string `json:"name"`
	Country string `json:"country"`
	Kind    string `json:"kind"`
}

// gazEntry is one gazetteer place and every way ads write it.
type gazEntry struct {
	id, name, country, kind string
	// names are matched case-insensitively; where a name starts or ends
	// with a letter of a script written with spaces (Latin, Cyrillic), the
	// neighbouring character must not be one, so "Laos" is not found in
	// "Laoshan". Names in Chinese, Thai, Khmer, Lao and Burmese match as
	// substrings.
	names []string
	// exact names match case-sensitively (abbreviations such as "SHV").
	exact []string
}

// gazetteer lists the places. Sources: public reporting on scam compounds
// (UNODC 2023–2024, OHCHR 2023, news coverage); spellings as seen in ads.
var gazetteer = []gazEntry{
	// Cambodia.
	{"sihanoukville", "Sihanoukville", "KH", PlaceHotspot,
		[]string{"Sihanoukville", "Sihanouk Ville", "Preah Sihanouk", "Sihanouk", "Kampong Som", "Kompong Som", "Kampong Saom",
			"西港", "西哈努克", "西哈努克港", "ក្រុងព្រះសីហនុ", "ព្រះសីហនុ", "สีหนุวิลล์", "สีหนุ", "Xihanuk"},
		[]string{"SHV"}},
	{"phnom_penh", "Phnom Penh", "KH", PlaceHotspot,
		[]string{"Phnom Penh", "Phnompenh", "Phnom-Penh", "Nam Vang", "金边", "金邊", "ភ្នំពេញ", "พนมเปญ", "ဖနွမ်းပင်"},
		[]string{"PNH"}},
	{"bavet", "Bavet", "KH", PlaceHotspot,
		[]string{"Bavet", "巴域", "巴韦", "木牌口岸", "បាវិត", "บาเวต"}, nil},
	{"poipet", "Poipet", "KH", PlaceHotspot,
		[]string{"Poipet", "Poi Pet", "Paoy Paet", "波贝", "波貝", "波比", "ប៉ោយប៉ែត", "ปอยเปต"}, nil},
	{"koh_kong", "Koh Kong", "KH", PlaceHotspot,
		[]string{"Koh Kong", "Kaoh Kong", "戈公", "កោះកុង", "เกาะกง"}, nil},
	{"o_smach", "O'Smach", "KH", PlaceHotspot,
		[]string{"O'Smach", "O’Smach", "O Smach", "Osmach", "O-Smach", "奥斯马", "អូរស្មាច់", "โอเสม็ด", "โอร์เสม็ด"}, nil},
	{"chrey_thom", "Chrey Thom", "KH", PlaceHotspot,
		[]string{"Chrey Thom", "Chrey Thum", "ជ្រៃធំ"}, nil},
	{"thmor_da", "Thmor Da", "KH", PlaceHotspot,
		[]string{"Thmor Da", "Thmar Da", "ថ្មដា"}, nil},
	// Myanmar.
	{"myawaddy", "Myawaddy", "MM", PlaceHotspot,
		[]string{"Myawaddy", "Myawadi", "Myawady", "Myawaddi", "妙瓦底", "妙瓦迪", "မြဝတီ", "เมียวดี"}, nil},
	{"kk_park", "KK Park", "MM", PlaceHotspot,
		[]string{"KK Park", "KKPark", "KK园区", "KK 园区", "KK園區", "kk公园"}, nil},
	{"shwe_kokko", "Shwe Kokko", "MM", PlaceHotspot,
		[]string{"Shwe Kokko", "Shwe Koko", "Shwe Ko Ko", "Shwekokko", "Yatai New City", "Yatai City",
			"亚太城", "亚太新城", "亞太新城", "ရွှေကုက္ကိုလ်", "ชเวโก๊กโก่", "ชเวโกโก่"}, nil},
	{"tachileik", "Tachileik", "MM", PlaceHotspot,
		[]string{"Tachileik", "Tachilek", "Tachileck", "大其力", "ท่าขี้เหล็ก", "တာချီလိတ်"}, nil},
	{"laukkaing", "Laukkaing", "MM", PlaceHotspot,
		[]string{"Laukkaing", "Laukkai", "Laukai", "Kokang", "果敢", "လောက်ကိုင်"}, nil},
	{"hpa_lu", "Hpa Lu", "MM", PlaceHotspot,
		[]string{"Hpa Lu", "Hpalu", "Pha Lu", "帕卢"}, nil},
	{"mong_la", "Mong La", "MM", PlaceHotspot,
		[]string{"Mong La", "Mongla", "小勐拉", "勐拉", "မိုင်းလား"}, nil},
	{"wa_state", "Wa State", "MM", PlaceHotspot,
		[]string{"Wa State", "佤邦"}, nil},
	// Laos.
	{"golden_triangle", "Golden Triangle", "LA", PlaceHotspot,
		[]string{"Golden Triangle", "Golden Triangle SEZ", "GTSEZ", "金三角", "สามเหลี่ยมทองคำ", "Tam Giác Vàng", "Segitiga Emas", "ສາມຫຼ່ຽມຄຳ"}, nil},
	{"bokeo", "Bokeo", "LA", PlaceHotspot,
		[]string{"Bokeo", "Bo Keo", "博胶", "博乔", "波乔", "ບໍ່ແກ້ວ", "บ่อแก้ว"}, nil},
	{"kings_romans", "Kings Romans", "LA", PlaceHotspot,
		[]string{"Kings Romans", "King Romans", "Kings Roman", "金木棉"}, nil},
	{"ton_pheung", "Ton Pheung", "LA", PlaceHotspot,
		[]string{"Ton Pheung", "Tonpheung", "ຕົ້ນເຜິ້ງ", "ต้นผึ้ง"}, nil},
	// Transit points.
	{"mae_sot", "Mae Sot", "TH", PlaceTransit,
		[]string{"Mae Sot", "Maesot", "Mae-Sot", "美索", "湄索", "แม่สอด", "မဲဆောက်"}, nil},
	{"mae_sai", "Mae Sai", "TH", PlaceTransit,
		[]string{"Mae Sai", "Maesai", "美赛", "美塞", "แม่สาย"}, nil},
	{"chiang_rai", "Chiang Rai", "TH", PlaceTransit,
		[]string{"Chiang Rai", "Chiangrai", "清莱", "เชียงราย"}, nil},
	{"huay_kalok", "Huay Kalok", "TH", PlaceTransit,
		[]string{"Huay Kalok", "Huai Kalok"}, nil},
	{"bangkok", "Bangkok", "TH", PlaceTransit,
		[]string{"Bangkok", "曼谷", "กรุงเทพ", "Băng Cốc", "Bang Kok"}, []string{"BKK"}},
	{"moc_bai", "Moc Bai", "VN", PlaceTransit,
		[]string{"Moc Bai", "Mộc Bài", "木牌"}, nil},
	{"dubai", "Dubai", "AE", PlaceTransit,
		[]string{"Dubai", "迪拜", "ดูไบ", "दुबई", "ඩුබායි", "Đubai"}, nil},
	{"kuala_lumpur", "Kuala Lumpur", "MY", PlaceTransit,
		[]string{"Kuala Lumpur", "吉隆坡", "กัวลาลัมเปอร์"}, nil},
	// Countries.
	{"cambodia", "Cambodia", "KH", PlaceCountry,
		[]string{"Cambodia", "Kampuchea", "Cambodge", "Camboya", "Campuchia", "Kamboja", "Kambodia", "Cambodya",
			"柬埔寨", "柬国", "กัมพูชา", "เขมร", "កម្ពុជា", "ကမ္ဘောဒီးယား", "ກໍາປູເຈຍ", "ກຳປູເຈຍ", "कम्बोडिया", "कम्बोडिया", "කාම්බෝජය"}, nil},
	{"myanmar", "Myanmar", "MM", PlaceCountry,
		[]string{"Myanmar", "Burma", "Myanma", "Mianmar", "Birmanie", "Miến Điện", "Mien Dien", "缅甸", "緬甸", "เมียนมา", "เมียนมาร์", "พม่า",
			"မြန်မာ", "म्यानमार", "म्यान्मार", "ミャンマー", "මියන්මාරය"}, nil},
	{"laos", "Laos", "LA", PlaceCountry,
		[]string{"Laos", "Lao PDR", "Lào", "老挝", "老撾", "寮国", "ลาว", "ລາວ", "ประเทศลาว", "लाओस"}, nil},
	{"thailand", "Thailand", "TH", PlaceCountry,
		[]string{"Thailand", "Tailandia", "Thái Lan", "Thai Lan", "Thailandia", "Muang Thai", "泰国", "泰國", "ประเทศไทย", "ထိုင်း", "ថៃ", "थाइल्याण्ड", "थाईल्याण्ड", "තායිලන්තය"}, nil},
	{"philippines", "Philippines", "PH", PlaceCountry,
		[]string{"Philippines", "Pilipinas", "Filipinas", "Philippin", "Filipina", "菲律宾", "菲律賓", "ฟิลิปปินส์"}, nil},
	{"malaysia", "Malaysia", "MY", PlaceCountry,
		[]string{"Malaysia", "Malaisie", "Mã Lai", "马来西亚", "馬來西亞", "大马", "มาเลเซีย"}, nil},
	{"vietnam", "Vietnam", "VN", PlaceCountry,
		[]string{"Vietnam", "Viet Nam", "Việt Nam", "越南", "เวียดนาม", "ဗီယက်နမ်", "វៀតណាម"}, nil},
	{"indonesia", "Indonesia", "ID", PlaceCountry,
		[]string{"Indonesia", "印尼", "印度尼西亚", "อินโดนีเซีย"}, nil},
	{"uae", "United Arab Emirates", "AE", PlaceCountry,
		[]string{"United Arab Emirates", "阿联酋"}, []string{"UAE", "U.A.E"}},
}

// gazName is one compiled name of a gazetteer entry.
type gazName struct {
	name string
	// lower is name in lower case when it is all ASCII, else "".
	lower string
	entry int
	exact bool
	// plain names match only their own bytes: the exact ones, and those
	// with no letter that has another case.
	plain          bool
	boundL, boundR bool
}

// gazIndex maps the lower-cased first rune of every name to its names,
// longest first, so Places makes one pass over the text and at each position
// compares only names that start with that rune.
var gazIndex = func() map[rune][]gazName {
	idx := map[rune][]gazName{}
	add := func(i int, n string, exact bool) {
		first, _ := utf8.DecodeRuneInString(n)
		last, _ := utf8.DecodeLastRuneInString(n)
		g := gazName{name: n, entry: i, exact: exact, plain: exact || caseless(n), boundL: isLatinWord(first), boundR: isLatinWord(last)}
		if isASCII(n) {
			g.lower = strings.ToLower(n)
		}
		if exact {
			idx[first] = append(idx[first], g)
			return
		}
		// Index under every case of the first rune, so Places looks up the
		// rune as written.
		lo, up := unicode.ToLower(first), unicode.ToUpper(first)
		idx[lo] = append(idx[lo], g)
		if up != lo {
			idx[up] = append(idx[up], g)
		}
	}
	for i, e := range gazetteer {
		for _, n := range e.names {
			add(i, n, false)
		}
		for _, n := range e.exact {
			add(i, n, true)
		}
	}
	for k, l := range idx {
		for i := 1; i < len(l); i++ {
			for j := i; j > 0 && len(l[j].name) > len(l[j-1].name); j-- {
				l[j], l[j-1] = l[j-1], l[j]
			}
		}
		idx[k] = l
	}
	return idx
}()

// caseless reports whether no character of s has another case, so that
// strings.EqualFold(t, s) holds only for t == s.
func caseless(s string) bool {
	for _, r := range s {
		if unicode.SimpleFold(r) != r {
			return false
		}
	}
	return true
}

// gazPairs narrows gazIndex for ASCII first bytes by the byte after, so a
// word starting with a common letter tries a few names, not dozens. When
// text[i] is c, gazPairs[c][lowerByte(text[i+1])] (or gazPairs[c][0] at
// the end of text) indexes gazPairLists with the names of gazIndex[c]
// that can match text[i:], in the same order; 0 and a nil row stand for
// none.
var gazPairs, gazPairLists = func() (rows [utf8.RuneSelf]*[256]uint16, lists [][]gazName) {
	lists = [][]gazName{nil}
	for c := range rows {
		names := gazIndex[rune(c)]
		if len(names) == 0 {
			continue
		}
		var byNext [256][]gazName
		for _, g := range names {
			for b, ok := range nextBytes(g) {
				if ok {
					byNext[b] = append(byNext[b], g)
				}
			}
		}
		row := new([256]uint16)
		for b, l := range byNext {
			if len(l) > 0 {
				row[b] = uint16(len(lists))
				lists = append(lists, l)
			}
		}
		rows[c] = row
	}
	return rows, lists
}()

// nextBytes returns the set of values of lowerByte(text[i+1]) for a text
// where g (indexed under the ASCII byte text[i]) matches at i, 0 standing
// for the end of text.
func nextBytes(g gazName) (set [256]bool) {
	_, w := utf8.DecodeRuneInString(g.name)
	if w == len(g.name) {
		// A name of one character: any byte, or none, may follow.
		for b := range set {
			set[b] = true
		}
		return set
	}
	if g.plain || g.lower != "" {
		// Matched byte for byte, or ASCII folded to lower case.
		set[lowerByte(g.name[w])] = true
		return set
	}
	// strings.EqualFold: the second character of the text is one of the
	// case forms of the second character of the name.
	r, _ := utf8.DecodeRuneInString(g.name[w:])
	f := r
	for {
		set[lowerByte(string(f)[0])] = true
		if f = unicode.SimpleFold(f); f == r {
			return set
		}
	}
}

// gazFirstBMP marks the characters of the Basic Multilingual Plane that
// some name starts with: a bit set small enough to stay in cache, read
// before gazBMP.
var gazFirstBMP = func() (set [0x10000 / 64]uint64) {
	for r := range gazIndex {
		if r < 0x10000 {
			set[r>>6] |= 1 << (r & 63)
		}
	}
	return set
}()

// gazBMP indexes gazLists by the first rune of names in the Basic
// Multilingual Plane (0: no name starts with that rune), so Places needs no
// map lookup per rune.
var gazBMP, gazLists = func() (*[0x10000]uint16, [][]gazName) {
	var idx [0x10000]uint16
	lists := [][]gazName{nil}
	for r, l := range gazIndex {
		if r < 0x10000 {
			idx[r] = uint16(len(lists))
			lists = append(lists, l)
		}
	}
	return &idx, lists
}()

// asciiClass classes the ASCII bytes for Places: asciiWord where
// isLatinWord holds, asciiStart where a name may start (letters, digits and
// the apostrophe).
var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		if isLatinWord(rune(c)) {
			t[c] |= asciiWord
		}
		if isASCIIAlnum(rune(c)) || c == '\'' {
			t[c] |= asciiStart
		}
	}
	return t
}()

// Bits of asciiClass.
const (
	asciiWord uint8 = 1 << iota
	asciiStart
)

// Places returns the gazetteer places named in text, in order. A longer name
// wins over a shorter one at the same position ("Golden Triangle SEZ" over
// "Golden Triangle"), and matches do not overlap.
func Places(text string) []Place {
	// Collect on the stack, then allocate once, at the size found.
	var buf [4]Place
	out := AppendPlaces(buf[:0], text)
	if len(out) == 0 {
		return nil
	}
	return slices.Clone(out)
}

// AppendPlaces appends the places of Places(text) to dst and returns the
// extended slice, so that a caller can reuse one buffer across texts.
func AppendPlaces(dst []Place, text string) []Place {
	text = clip(text)
	n0 := len(dst)
	for i := 0; i < len(text) && len(dst)-n0 < MaxResults; {
		p := nextPlaceStart(text, i)
		if p >= len(text) {
			break
		}
		i = p + 1
		c := text[p]
		var cands []gazName
		prevLatin := false
		if c < utf8.RuneSelf {
			// A word start: nextPlaceStart has ruled out an ASCII word
			// byte before it, but not a letter of another script.
			if p > 0 && text[p-1] >= utf8.RuneSelf && isLatinWord(runeBefore(text, p)) {
				continue
			}
			row := gazPairs[c]
			if row == nil {
				continue
			}
			var next byte
			if p+1 < len(text) {
				next = lowerByte(text[p+1])
			}
			if cands = gazPairLists[row[next]]; cands == nil {
				continue
			}
		} else {
			// A lead byte. Only characters of the BMP start names (see
			// TestGazetteerBMP), and the block of 64 characters that one
			// of two or three bytes falls in is known from its first two.
			var r rune
			switch {
			case c < 0xE0:
				if gazFirstBMP[c&0x1F] == 0 {
					continue
				}
				r, _ = utf8.DecodeRuneInString(text[p:])
			case c < 0xF0:
				if p+1 >= len(text) || gazFirstBMP[rune(c&0x0F)<<6|rune(text[p+1]&0x3F)] == 0 {
					continue
				}
				if r = decode3(text, p); r < 0 {
					continue // not a valid character: no name starts here
				}
			default:
				continue
			}
			if r >= 0x10000 || gazFirstBMP[r>>6]&(1<<(r&63)) == 0 {
				continue
			}
			cands = gazLists[gazBMP[r]]
			prevLatin = isLatinWord(runeBefore(text, p))
		}
		for _, g := range cands {
			if g.boundL && prevLatin {
				continue
			}
			end := p + len(g.name)
			if end > len(text) {
				continue
			}
			seg := text[p:end]
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
			e := &gazetteer[g.entry]
			dst = append(dst, Place{Span: Span{p, end}, Text: seg, ID: e.id, Name: e.name, Country: e.country, Kind: e.kind})
			i = end
			break
		}
	}
	return dst
}

// nextPlaceStart returns the first position from i where a name may start,
// or len(text). Eight bytes are judged at a time: a position qualifies
// when it holds an ASCII letter, digit or apostrophe not preceded by an
// ASCII letter, digit or underscore, whose three bytes from it (folded)
// may start a name (gazTriBits), or a lead byte of a character of two or
// three bytes whose six bytes from it may start a name (gazHexBits).
// AppendPlaces checks each position it returns in full.
func nextPlaceStart(text string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(text); i += 8 {
		w := load64(text, i)
		hi := w & highs
		x := w &^ highs
		y := x | 0x20*ones
		letter := (y + (0x80-'a')*ones) &^ (y + (0x80-'z'-1)*ones)
		digit := (x + (0x80-'0')*ones) &^ (x + (0x80-'9'-1)*ones)
		under := ^(x ^ '_'*ones + 0x7F*ones)
		apos := ^(x ^ '\''*ones + 0x7F*ones)
		word := (letter | digit | under) & highs &^ hi
		start := (letter | digit | apos) & highs &^ hi
		prevWord := word << 8
		if i > 0 && asciiClass[text[i-1]&0x7F]&asciiWord != 0 && text[i-1] < utf8.RuneSelf {
			prevWord |= 0x80
		}
		// mayStartPlace for each position, written out: it is too big to
		// be inlined. Word starts and lead bytes go in separate loops,
		// whose branches are easier to predict than one mixed loop.
		var hit uint64
		for m := start &^ prevWord; m != 0; m &= m - 1 {
			b := bits.TrailingZeros64(m)
			if q := i + b>>3; q+2 >= len(text) || gazTriBits.has3(lowerByte(text[q]), lowerByte(text[q+1]), lowerByte(text[q+2])) {
				hit |= 1 << b
			}
		}
		for m := hi & (w << 1); m != 0; m &= m - 1 {
			b := bits.TrailingZeros64(m)
			if q := i + b>>3; text[q] < 0xF0 && (q+6 > len(text) || gazHexBits.has(load48(text, q))) {
				hit |= 1 << b
			}
		}
		if hit != 0 {
			return i + bits.TrailingZeros64(hit)>>3
		}
	}
	for ; i < len(text); i++ {
		c := text[i]
		if c < utf8.RuneSelf && (asciiClass[c]&asciiStart == 0 ||
			i > 0 && text[i-1] < utf8.RuneSelf && asciiClass[text[i-1]]&asciiWord != 0) {
			continue
		}
		if c >= 0xC0 || c < utf8.RuneSelf {
			if mayStartPlace(text, i) {
				return i
			}
		}
	}
	return i
}

// mayStartPlace reports whether a name may start at text[q], an ASCII byte
// or a lead byte: false only when none can.
func mayStartPlace(text string, q int) bool {
	c := text[q]
	switch {
	case c < utf8.RuneSelf:
		return q+2 >= len(text) || gazTriBits.has3(lowerByte(c), lowerByte(text[q+1]), lowerByte(text[q+2]))
	case c < 0xF0:
		return q+6 > len(text) || gazHexBits.has(load48(text, q))
	}
	return false // four bytes: outside the BMP (see TestGazetteerBMP), or invalid
}

// hashSet is a set of keys of up to 64 bits, hashed into bits: has may
// report a key that was never added, never misses one that was.
type hashSet [1 << 14 / 64]uint64

func hashKey(k uint64) uint64 { return k * 0x9E3779B97F4A7C15 >> (64 - 14) }

func (t *hashSet) add(k uint64) { h := hashKey(k); t[h>>6] |= 1 << (h & 63) }

func (t *hashSet) has(k uint64) bool { h := hashKey(k); return t[h>>6]&(1<<(h&63)) != 0 }

// tri packs three bytes into a key of hashSet.
func tri(a, b, c byte) uint64 { return uint64(a) | uint64(b)<<8 | uint64(c)<<16 }

func (t *hashSet) has3(a, b, c byte) bool { return t.has(tri(a, b, c)) }

// load48 returns the 6 bytes of s from i, the first in the low byte.
func load48(s string, i int) uint64 {
	s = s[i : i+6]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 | uint64(s[4])<<32 | uint64(s[5])<<40
}

// spellings calls fn with the first n bytes of every text that
// strings.EqualFold holds equal to a prefix of name: its first characters
// in each of their case forms (the Kelvin sign for k, ſ for s, ...). It
// panics when name is too short to fill n bytes.
func spellings(name string, n int, fn func(b []byte)) {
	var walk func(rest string, b []byte)
	walk = func(rest string, b []byte) {
		if len(b) >= n {
			fn(b[:n])
			return
		}
		if rest == "" {
			panic("gazetteer: a name too short for its index: " + name)
		}
		r0, size := utf8.DecodeRuneInString(rest)
		for f := r0; ; {
			walk(rest[size:], utf8.AppendRune(b[:len(b):len(b)], f))
			if f = unicode.SimpleFold(f); f == r0 {
				break
			}
		}
	}
	walk(name, nil)
}

// gazTriBits holds, folded by lowerByte, the first three bytes of every
// text that a name indexed under an ASCII first byte matches at its start:
// the name's own bytes for those compared byte by byte or by ASCII case,
// every spelling (see spellings) for those compared by strings.EqualFold.
// A word start whose first three bytes, folded, are not in it starts no
// name.
//
// gazHexBits holds, as load48 reads them, the first six bytes of every text
// that a name starting with a non-ASCII character matches at its start. A
// lead byte whose six bytes from it are not in it starts no name.
var gazTriBits, gazHexBits = func() (tb, hb *hashSet) {
	tb, hb = new(hashSet), new(hashSet)
	for r, names := range gazIndex {
		for _, g := range names {
			exact := g.plain || g.lower != ""
			if r < utf8.RuneSelf {
				if exact {
					if len(g.name) < 3 {
						panic("gazetteer: a name too short for its index: " + g.name)
					}
					tb.add(tri(lowerByte(g.name[0]), lowerByte(g.name[1]), lowerByte(g.name[2])))
					continue
				}
				spellings(g.name, 3, func(b []byte) { tb.add(tri(lowerByte(b[0]), lowerByte(b[1]), lowerByte(b[2]))) })
				continue
			}
			if exact {
				if len(g.name) < 6 {
					panic("gazetteer: a name too short for its index: " + g.name)
				}
				hb.add(load48(g.name, 0))
				continue
			}
			spellings(g.name, 6, func(b []byte) { hb.add(load48(string(b), 0)) })
		}
	}
	return tb, hb
}()

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
