package extract

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Contact kinds.
const (
	ContactTelegram = "telegram" // Value "@name", or a t.me invite link, or a phone number
	ContactWhatsApp = "whatsapp" // Value a phone number
	ContactPhone    = "phone"    // Value a phone number
	ContactLine     = "line"     // Value the LINE id, lower case ("@" kept for official accounts)
	ContactWeChat   = "wechat"   // Value the WeChat id, lower case
	ContactZalo     = "zalo"     // Value a phone number
	ContactQQ       = "qq"       // Value the QQ number
	ContactViber    = "viber"    // Value a phone number
	ContactSignal   = "signal"   // Value a phone number or username
	ContactEmail    = "email"    // Value the address, lower case
	ContactURL      = "url"      // Value host (lower case, without www.) and path
)

// Contact is a way to reach the advertiser: a handle, a number, an address.
type Contact struct {
	Span
	// Text is the mention as posted, label included ("WA: +855 ..."):
	// text[Start:End].
	Text string `json:"text"`
	// Kind is one of the Contact* kinds.
	Kind string `json:"kind"`
	// Value is normalised: phone numbers in E.164 ("+85510000007") when
	// they validate, otherwise their digits ("+" kept when written);
	// handles as described for each kind.
	Value string `json:"value"`
	// Country is the ISO 3166-1 alpha-2 region of a validated phone
	// number, or "".
	Country string `json:"country,omitempty"`
}

// maxPhoneParses caps the phone numbers validated per call: validation is
// the expensive part of Contacts.
const maxPhoneParses = 64

// Regular expressions, each run anchored at a trigger position found by a
// cheap scan ('@', '.', a digit, a label word), never over the whole text.
var (
	emailRE     = regexp.MustCompile(`^[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9][A-Za-z0-9\-]{0,62}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.[A-Za-z]{2,24}\b`)
	urlRE       = regexp.MustCompile(`^(?i)(?:https?://)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9\-]{0,62}[a-z0-9])?\.){1,6}([a-z]{2,24}))(/[A-Za-z0-9\-._~%!$&*+,;=:@/?#()]{0,512})?`)
	phoneValRE  = regexp.MustCompile(`^(?:\(\+?|\+\(?)?\d[\d \-.()\x{a0}]{3,22}\d`)
	handleValRE = regexp.MustCompile(`^@?[A-Za-z][A-Za-z0-9_.\-]{2,31}`)
	handleRE    = regexp.MustCompile(`^@([A-Za-z][A-Za-z0-9_]{3,31})`)
	phoneRE     = regexp.MustCompile(`^(?:\(\+?|\+\(?)?\d[\d \-.()\x{a0}]{5,22}\d`)
	// dateLikeRE matches numbers that are dates or ranges, not phones.
	dateLikeRE = regexp.MustCompile(`^(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}[./-]\d{1,2}|\d{4}\s?-\s?\d{4})$`)
)

// Token tables for triggers and context words.
var (
	labelSuffixTab = newTokenTable("id", "号", "號", "number", "num", "no.", "no", "#", ":ไอดี", "ไอดี")
	labelSepTab    = newTokenTable(":", "：", "=", "->", "→", "👉", "-", ".")
	labelTab       = newTokenTable("telegram", "tele", "tg", "纸飞机", "飞机", "电报", "whatsapp", "whats app", "wsp", "wa", "ws",
		"line id", "lineid", "line@", "line", "ไลน์", "ไอดีไลน์", "wechat", "we chat", "weixin", "微信", "vx", "v信", "wx", "威信",
		"zalo", "qq", "viber", "signal", "skype", "imo", "联系电话", "电话", "手机", "tel", "phone", "mobile", "call",
		"hotline", "sđt", "sdt", "số điện thoại", "điện thoại", "no hp", "no. hp", "no.hp", "hp", "hubungi", "โทร", "เบอร์",
		"ဖုန်း", "ទូរស័ព្ទ")
	phoneCtxTab = newTokenTable("whatsapp", "whats app", "wa", "viber", "zalo", "signal", "call", "phone", "tel", "mobile",
		"contact", "sms", "hotline", "telegram", "line", "wechat", "微信", "电话", "手机", "联系", "โทร", "ติดต่อ", "เบอร์",
		"liên hệ", "lien he", "gọi", "sđt", "sdt", "hubungi", "hp", "ဖုန်း", "ទូរស័ព្ទ")
	currencyBeforeTab = newTokenTable("$", "¥", "￥", "₱", "₫", "฿", "€", "£", "₹", "៛", "rp", "rp.", "rm", "usd", "rmb",
		"php", "thb", "ks", "ks.", "rs", "rs.", "salary", "lương", "gaji")
	lineCtxTab   = newTokenTable("line", "ไลน์", "ไลน", "lin.ee")
	wechatCtxTab = newTokenTable("wechat", "weixin", "微信", "vx", "v信")
)

// findAt runs the anchored re on text from byte i (at most win bytes) and
// returns its submatch indexes as offsets into text, or nil.
func findAt(re *regexp.Regexp, text string, i, win int) []int {
	e := i + win
	if e > len(text) {
		e = len(text)
	}
	m := re.FindStringSubmatchIndex(text[i:e])
	if m == nil {
		return nil
	}
	for k := range m {
		if m[k] >= 0 {
			m[k] += i
		}
	}
	return m
}

// atMatches returns the matches of the anchored emailRE and handleRE at
// every '@' in text.
func atMatches(text string) (emails, handles [][]int) {
	for p := 0; p < len(text); {
		k := strings.IndexByte(text[p:], '@')
		if k < 0 {
			break
		}
		at := p + k
		p = at + 1
		// The local part of an address ends at the '@'.
		s := at
		for s > 0 && at-s < 64 && strings.IndexByte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._%+-", text[s-1]) >= 0 {
			s--
		}
		if s < at {
			if m := findAt(emailRE, text, s, 64+1+300); m != nil {
				emails = append(emails, m)
				p = m[1]
				continue
			}
		}
		if m := findAt(handleRE, text, at, 40); m != nil {
			handles = append(handles, m)
			p = m[1]
		}
	}
	return emails, handles
}

// urlMatches returns the matches of the anchored urlRE at every dot in text
// that sits between an ASCII letter or digit and an ASCII letter.
func urlMatches(text string) [][]int {
	var out [][]int
	last := 0
	for p := 0; p < len(text); {
		k := strings.IndexByte(text[p:], '.')
		if k < 0 {
			break
		}
		d := p + k
		p = d + 1
		if d < last || d == 0 || d+1 >= len(text) || !isASCIIAlnum(rune(text[d-1])) || !isASCIILetter(text[d+1]) {
			continue
		}
		s := d
		for s > 0 && d-s < 255 && (isASCIIAlnum(rune(text[s-1])) || text[s-1] == '.' || text[s-1] == '-') {
			s--
		}
		if s >= 3 && text[s-3:s] == "://" {
			j := s - 3
			for j > 0 && s-j < 12 && isASCIILetter(text[j-1]) {
				j--
			}
			s = j
		}
		if m := findAt(urlRE, text, s, 1024); m != nil && m[1] > d {
			out = append(out, m)
			last, p = m[1], m[1]
		}
	}
	return out
}

// labelMatches finds every label word in text ("Telegram", "WA",
// "微信", "Zalo", "โทร"), reads a chain of labels ("WhatsApp/Telegram"), an
// optional "id"/"no." and separator, and the value after them. Each match
// is [start, end, labelStart, labelEnd, sepStart, sepEnd, valueStart,
// valueEnd] as offsets into text.
func labelMatches(text string) [][]int {
	var out [][]int
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf && (!isASCIILetter(c) || i > 0 && isASCIIAlnum(rune(text[i-1]))) ||
			c >= utf8.RuneSelf && !utf8.RuneStart(c) {
			i++
			continue
		}
		_, n := labelTab.at(text, i)
		if n == 0 {
			i++
			continue
		}
		le := i + n
		// More labels: "WhatsApp/Telegram", "Hubungi WhatsApp".
		for {
			j := skipSpace(text, le, 1)
			if j < len(text) && strings.IndexByte("/&,", text[j]) >= 0 {
				j = skipSpace(text, j+1, 1)
			}
			_, n2 := labelTab.at(text, j)
			if n2 == 0 {
				break
			}
			le = j + n2
		}
		j := le
		if _, n := labelSuffixTab.at(text, skipSpace(text, j, 1)); n > 0 {
			j = skipSpace(text, j, 1) + n
		}
		j = skipSpace(text, j, 3)
		ss, se := -1, -1
		if _, n := labelSepTab.at(text, j); n > 0 {
			ss, se = j, j+n
			j = skipSpace(text, j+n, 3)
		}
		var v []int
		if v = findAt(phoneValRE, text, j, 48); v == nil {
			v = findAt(handleValRE, text, j, 40)
		}
		if v == nil {
			i = le
			continue
		}
		out = append(out, []int{i, v[1], i, le, ss, se, v[0], v[1]})
		i = v[1]
	}
	return out
}

// labelWords splits a chain of labels into its labels, lower case with
// spaces removed ("Hubungi WhatsApp" → "hubungi", "whatsapp").
func labelWords(chain string) []string {
	var out []string
	for i := 0; i < len(chain) && len(out) < 8; {
		if k, n := labelTab.at(chain, i); n > 0 {
			out = append(out, strings.ReplaceAll(k, " ", ""))
			i += n
			continue
		}
		i++
	}
	return out
}

// phoneMatches returns the matches of the anchored phoneRE at every number
// in text.
func phoneMatches(text string) [][]int {
	var out [][]int
	for i := 0; i < len(text); {
		c := text[i]
		if !(c >= '0' && c <= '9' || (c == '+' || c == '(') && i+1 < len(text) && (text[i+1] >= '0' && text[i+1] <= '9' || text[i+1] == '+')) {
			i++
			continue
		}
		if m := findAt(phoneRE, text, i, 64); m != nil {
			out = append(out, m)
			i = m[1]
			continue
		}
		for i < len(text) && (text[i] >= '0' && text[i] <= '9' || text[i] == '+' || text[i] == '(') {
			i++
		}
	}
	return out
}

// labelKinds maps each label (lower case, spaces removed) to a contact
// kind; labels not listed ("call", "电话", "sđt") give ContactPhone.
var labelKinds = map[string]string{
	"telegram": ContactTelegram, "tele": ContactTelegram, "tg": ContactTelegram, "纸飞机": ContactTelegram, "飞机": ContactTelegram, "电报": ContactTelegram,
	"whatsapp": ContactWhatsApp, "wsp": ContactWhatsApp, "wa": ContactWhatsApp, "ws": ContactWhatsApp,
	"lineid": ContactLine, "line@": ContactLine, "line": ContactLine, "ไลน์": ContactLine, "ไอดีไลน์": ContactLine,
	"wechat": ContactWeChat, "weixin": ContactWeChat, "微信": ContactWeChat, "vx": ContactWeChat, "v信": ContactWeChat, "wx": ContactWeChat, "威信": ContactWeChat,
	"zalo": ContactZalo, "qq": ContactQQ, "viber": ContactViber, "signal": ContactSignal, "skype": "skype", "imo": ContactPhone,
}

// handleKinds are the kinds whose value may be a name rather than a number.
var handleKinds = map[string]bool{ContactTelegram: true, ContactLine: true, ContactWeChat: true, ContactSignal: true, "skype": true}

// notHandles are words that follow a label without being an id: "Telegram
// for details", "Line or WhatsApp".
var notHandles = map[string]bool{
	"for": true, "or": true, "and": true, "only": true, "now": true, "me": true, "us": true, "the": true, "our": true,
	"group": true, "channel": true, "below": true, "here": true, "contact": true, "number": true, "via": true, "app": true,
	"with": true, "details": true, "info": true, "apply": true, "dm": true, "pm": true, "chat": true, "message": true,
	"hoặc": true, "atau": true, "dan": true, "untuk": true, "para": true, "name": true, "id": true,
}

// regionByLang maps a language to the country whose numbers an ad in it most
// likely gives without a country code.
var regionByLang = map[string]string{
	"vi": "VN", "th": "TH", "id": "ID", "km": "KH", "my": "MM", "lo": "LA", "tl": "PH", "ms": "MY",
	"ne": "NP", "si": "LK", "sw": "KE", "bn": "BD", "hi": "IN", "zh": "CN",
	"mr": "IN", "gu": "IN", "pa": "IN", "te": "IN", "kn": "IN", "ml": "IN", "or": "IN",
	"ur": "PK", "ps": "AF", "fa": "IR", "am": "ET", "om": "ET", "ti": "ER", "so": "SO", "ha": "NG",
	"kk": "KZ", "ky": "KG", "uz": "UZ", "tg": "TJ", "mn": "MN", "ka": "GE", "hy": "AM", "az": "AZ",
	"tr": "TR", "uk": "UA", "be": "BY", "he": "IL", "ko": "KR", "ja": "JP",
}

// labelRegion maps words that imply a country for numbers written without a
// country code.
var labelRegion = map[string]string{
	ContactZalo: "VN", "sđt": "VN", "sdt": "VN", "sốđiệnthoại": "VN", "điệnthoại": "VN",
	"โทร": "TH", "เบอร์": "TH", "hp": "ID", "no.hp": "ID", "nohp": "ID",
	"ဖုန်း": "MM", "ទូរស័ព្ទ": "KH",
}

type contactCand struct {
	Contact
	prio int // lower wins an overlap
}

// Contacts returns the ways to reach the advertiser that text gives, in
// order: Telegram, WhatsApp, LINE, WeChat, Zalo, QQ, Viber and Signal ids and
// links, phone numbers, e-mail addresses and other URLs. Mentions do not
// overlap; the same contact mentioned twice is returned twice.
//
// region is the ISO 3166-1 alpha-2 code of the country whose numbers the ad
// gives without a country code (for example the country of the site the ad
// was found on), or "". A number without "+" is read in the country its
// label implies ("Zalo", "sđt" → VN; "โทร" → TH), else in region, else in
// the country of the ad's language (Language: vi → VN, th → TH, ...). When
// none applies, or the number does not validate there, Value keeps its
// digits and Country is empty. A bare number (no label) is reported only
// when it starts with "+" or "0" or a phone word ("call", "liên hệ",
// "ติดต่อ") comes shortly before it; one with neither such a word nor a "+"
// only when it validates.
//
// Phone numbers are validated with github.com/nyaruka/phonenumbers. An @name
// that no platform word qualifies is taken as a Telegram handle (LINE or
// WeChat when the line names them); the local part of an e-mail address and
// the path of a URL are never taken as handles.
func Contacts(text, region string) []Contact {
	text = clip(text)
	var cands []contactCand
	langRegion := ""
	langDone := false
	defaultRegion := func() string {
		if region != "" {
			return strings.ToUpper(region)
		}
		if !langDone {
			langDone = true
			langRegion = regionByLang[Language(text)]
		}
		return langRegion
	}
	parses := 0
	add := func(s, e int, kind, value, country string, prio int) {
		if len(cands) < 4*MaxResults && s < e {
			cands = append(cands, contactCand{Contact{Span{s, e}, text[s:e], kind, value, country}, prio})
		}
	}

	// E-mail addresses.
	emails, handles := atMatches(text)
	{
		for _, m := range emails {
			if r := runeBefore(text, m[0]); isASCIIAlnum(r) {
				continue
			}
			add(m[0], m[1], ContactEmail, strings.ToLower(text[m[0]:m[1]]), "", 0)
		}
	}
	// URLs and platform links.
	if strings.IndexByte(text, '.') >= 0 {
		for _, m := range urlMatches(text) {
			s, e := m[0], m[1]
			if r := runeBefore(text, s); isASCIIAlnum(r) || r == '@' || r == '.' || r == '-' {
				continue
			}
			// Trim trailing punctuation that ends a sentence.
			for e > s && strings.IndexByte(".,;:!?)'", text[e-1]) >= 0 {
				e--
			}
			if e <= m[3] {
				e = m[3]
			}
			raw := text[s:e]
			host := strings.ToLower(text[m[2]:m[3]])
			host = strings.TrimPrefix(host, "www.")
			tld := strings.ToLower(text[m[4]:m[5]])
			path := ""
			if m[3] < e {
				path = text[m[3]:e]
			}
			hasScheme := strings.HasPrefix(strings.ToLower(raw), "http")
			hasWWW := strings.Contains(strings.ToLower(text[s:m[3]]), "www.")
			kind, value, country := platformLink(host, path)
			if kind == "" && !hasScheme && !hasWWW {
				// A bare "host.tld": only common TLDs, and not "B.Com" or
				// "e.g.": the name before the TLD has two or more letters.
				if !commonTLDs[tld] || len(host)-len(tld)-1 < 2 {
					continue
				}
				if tld != strings.ToLower(tld) || text[m[4]] >= 'A' && text[m[4]] <= 'Z' && path == "" {
					continue
				}
			}
			if kind == "" {
				kind, value = ContactURL, host+path
			}
			if kind == ContactWhatsApp || kind == ContactZalo {
				reg := ""
				if kind == ContactZalo {
					reg = "VN"
				}
				if parses < maxPhoneParses {
					parses++
					value, country = normalisePhone(value, reg)
				}
			}
			add(s, e, kind, value, country, 0)
		}
	}
	// Labelled ids and numbers.
	for _, m := range labelMatches(text) {
		ls, le, vs, ve := m[2], m[3], m[6], m[7]
		if r := runeBefore(text, ls); isASCIIAlnum(rune(text[ls])) && (isASCIIAlnum(r) || r == '_' || r == '@' || r == '.' || r == '/') {
			continue // "wa" in "Kwa", "tg" in "@hr_tg"
		}
		if r := runeAt(text, le); isASCIIAlnum(rune(text[le-1])) && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			continue // "wa" in "wait", "line" in "lines"
		}
		// A chain of labels ("Hubungi WhatsApp", "WA/Telegram"): the first
		// platform named decides the kind.
		kind, label := "", ""
		for _, l := range labelWords(text[ls:le]) {
			if label == "" || labelRegion[label] == "" {
				label = l
			}
			if k := labelKinds[l]; k != "" && kind == "" {
				kind = k
			}
		}
		if kind == "" {
			kind = ContactPhone
		}
		val := text[vs:ve]
		isNum := val[0] == '+' || val[0] == '(' || val[0] >= '0' && val[0] <= '9'
		if !isNum {
			if !handleKinds[kind] {
				continue
			}
			// Trim a trailing dot or dash: "line id: abc." ends a sentence.
			for len(val) > 0 && strings.IndexByte(".-", val[len(val)-1]) >= 0 {
				val = val[:len(val)-1]
				ve--
			}
			name := strings.TrimPrefix(val, "@")
			if len(name) < 3 || notHandles[strings.ToLower(name)] {
				continue
			}
			// Without "@" or a real separator (":", "=", not the "." that may
			// end a sentence), a word must look like an id.
			if val[0] != '@' && (m[4] < 0 || text[m[4]] == '.') && !strings.ContainsAny(name, "0123456789_") {
				continue // "Telegram group": a word, not an id
			}
			if r := runeAt(text, ve); r == '@' || r == '.' && isASCIIAlnum(runeAt(text, ve+1)) {
				continue // an e-mail address or a domain, found above
			}
			value := strings.ToLower(name)
			if kind == ContactTelegram || val[0] == '@' && kind == ContactLine {
				value = "@" + value
			}
			add(ls, ve, kind, value, "", 1)
			continue
		}
		digits, plus := phoneDigits(val)
		if kind == ContactQQ {
			if plus || len(digits) < 5 || len(digits) > 11 || digits[0] == '0' {
				continue
			}
			add(ls, ve, kind, digits, "", 1)
			continue
		}
		if len(digits) < 6 || len(digits) > 15 {
			continue
		}
		reg := labelRegion[label]
		if reg == "" {
			reg = defaultRegion()
		}
		value, country := "+"+digits, ""
		if !plus {
			value = digits
		}
		if parses < maxPhoneParses {
			parses++
			value, country = normalisePhone(val, reg)
		}
		add(ls, ve, kind, value, country, 1)
	}
	// Bare @handles.
	{
		for _, m := range handles {
			if r := runeBefore(text, m[0]); isASCIIAlnum(r) || r == '_' || r == '.' || r == '/' || r == '@' {
				continue
			}
			if r := runeAt(text, m[1]); r == '.' && isASCIIAlnum(runeAt(text, m[1]+1)) || r == '@' {
				continue
			}
			kind := ContactTelegram
			ctx := lineBefore(text, m[0], 80)
			switch {
			case lineCtxTab.hasIn(ctx):
				kind = ContactLine
			case wechatCtxTab.hasIn(ctx):
				kind = ContactWeChat
			}
			add(m[0], m[1], kind, "@"+strings.ToLower(text[m[2]:m[3]]), "", 2)
		}
	}
	// Bare phone numbers.
	for _, m := range phoneMatches(text) {
		s, e := m[0], m[1]
		raw := text[s:e]
		if r := runeBefore(text, s); isASCIIAlnum(r) || r == '.' || r == ',' || r == '/' || r == '_' || r == '-' {
			continue
		}
		if r := runeAt(text, e); isASCIIAlnum(r) || r == '%' || r == '/' {
			continue
		}
		if dateLikeRE.MatchString(raw) {
			continue
		}
		digits, plus := phoneDigits(raw)
		if len(digits) < 7 || len(digits) > 15 {
			continue
		}
		before := lineBefore(text, s, 40)
		if _, ok := currencyBeforeTab.near(before, 1); ok {
			continue
		}
		_, ctx := phoneCtxTab.near(before, 24)
		if !plus && !ctx && digits[0] != '0' {
			continue // a bare number with no phone word: an amount or an id
		}
		if parses >= maxPhoneParses {
			continue
		}
		parses++
		reg := ""
		if !plus {
			reg = defaultRegion()
		}
		value, country := normalisePhone(raw, reg)
		if country == "" && !plus && !ctx {
			continue // does not validate and nothing says it is a phone
		}
		if country == "" && plus && len(digits) < 8 {
			continue
		}
		add(s, e, ContactPhone, value, country, 3)
	}

	// Resolve overlaps: stronger candidates first, then earlier ones.
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].prio != cands[j].prio {
			return cands[i].prio < cands[j].prio
		}
		return cands[i].Start < cands[j].Start
	})
	var out []Contact
	for _, c := range cands {
		overlaps := false
		for _, k := range out {
			if c.Start < k.End && k.Start < c.End {
				overlaps = true
				break
			}
		}
		if !overlaps {
			out = append(out, c.Contact)
			if len(out) >= MaxResults {
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// commonTLDs are the top-level domains a bare "host.tld/path" is accepted
// with; any other host needs "http(s)://" or "www.".
var commonTLDs = map[string]bool{
	"com": true, "net": true, "org": true, "me": true, "io": true, "ly": true, "co": true, "info": true, "biz": true,
	"app": true, "link": true, "xyz": true, "top": true, "site": true, "online": true, "gl": true, "cc": true, "to": true,
	"vn": true, "th": true, "kh": true, "ph": true, "id": true, "my": true, "cn": true, "la": true, "mm": true, "sg": true,
	"ee": true, "gd": true, "asia": true, "work": true, "jobs": true, "club": true, "shop": true, "vip": true,
}

// platformLink classifies a link to a messaging platform; kind is "" for
// other links.
func platformLink(host, path string) (kind, value, country string) {
	seg := strings.TrimPrefix(path, "/")
	first := seg
	if i := strings.IndexAny(first, "/?#"); i >= 0 {
		first = first[:i]
	}
	switch host {
	case "t.me", "telegram.me", "telegram.dog":
		if first == "" {
			return "", "", ""
		}
		if first == "joinchat" || strings.HasPrefix(first, "+") {
			return ContactTelegram, host + "/" + seg, ""
		}
		if first == "s" { // t.me/s/channel: the web preview
			first = strings.TrimPrefix(seg, "s/")
			if i := strings.IndexAny(first, "/?#"); i >= 0 {
				first = first[:i]
			}
		}
		return ContactTelegram, "@" + strings.ToLower(first), ""
	case "wa.me", "api.whatsapp.com", "whatsapp.com", "chat.whatsapp.com":
		if host == "chat.whatsapp.com" {
			return ContactWhatsApp, host + "/" + seg, ""
		}
		num := first
		if i := strings.Index(seg, "phone="); i >= 0 {
			num = seg[i+len("phone="):]
			if j := strings.IndexAny(num, "&#"); j >= 0 {
				num = num[:j]
			}
		}
		d, _ := phoneDigits(num)
		if len(d) < 7 {
			return "", "", ""
		}
		return ContactWhatsApp, "+" + d, ""
	case "line.me", "lin.ee":
		id := seg
		for _, p := range []string{"R/ti/p/", "ti/p/", "r/ti/p/"} {
			id = strings.TrimPrefix(id, p)
		}
		id = strings.TrimPrefix(id, "~")
		if i := strings.IndexAny(id, "/?#"); i >= 0 {
			id = id[:i]
		}
		if id == "" {
			return "", "", ""
		}
		if host == "lin.ee" {
			return ContactLine, host + "/" + id, ""
		}
		return ContactLine, strings.ToLower(strings.ReplaceAll(id, "%40", "@")), ""
	case "zalo.me":
		d, _ := phoneDigits(first)
		if len(d) < 7 {
			return "", "", ""
		}
		if d[0] == '0' {
			return ContactZalo, d, "" // a Vietnamese number without +84
		}
		return ContactZalo, "+" + d, ""
	}
	return "", "", ""
}

// phoneDigits returns the digits of a written number and whether it began
// with "+".
func phoneDigits(s string) (digits string, plus bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			b.WriteByte(c)
		} else if c == '+' && b.Len() == 0 {
			plus = true
		}
	}
	return b.String(), plus
}

// normalisePhone validates a written number with phonenumbers, reading it in
// region when it has no country code. It returns the E.164 form and the
// number's region when valid, else the digits ("+" kept) and "".
func normalisePhone(raw, region string) (value, country string) {
	digits, plus := phoneDigits(raw)
	value = digits
	if plus || strings.HasPrefix(raw, "+") {
		value = "+" + digits
	}
	if digits == "" {
		return value, ""
	}
	if !plus && region == "" {
		return value, ""
	}
	defer func() {
		if recover() != nil { // the library must never take the detector down
			country = ""
		}
	}()
	in := digits
	if plus {
		in = "+" + digits
	}
	n, err := phonenumbers.Parse(in, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return value, ""
	}
	return phonenumbers.Format(n, phonenumbers.E164), phonenumbers.GetRegionCodeForNumber(n)
}
