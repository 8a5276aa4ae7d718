package extract

import (
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

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
