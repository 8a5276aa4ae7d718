package detector

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector/internal/lazydfa"
	"github.com/lurewatch/lurewatch/detector/textnorm"
)

// Entity kinds the detector extracts.
const (
	EntityTelegram = "telegram" // a Telegram handle or t.me link, value "@name"
	EntityWhatsApp = "whatsapp" // a wa.me link, value "+digits"
	EntityPhone    = "phone"    // a phone number, value "+digits" or the local digits
	EntityEmail    = "email"    // an e-mail address, lower case
	EntityLine     = "line"     // a LINE id, value "@name" or the id
	EntityWeChat   = "wechat"   // a WeChat id
	EntityHandle   = "handle"   // an @handle on an unnamed platform, value "@name"
)

// Extractors run on each line of the normalised text: lower case, ASCII
// digits, letters that were spaced out joined again.
var (
	tmeRE    = regexp.MustCompile(`\b(?:https?://)?(?:t|telegram)\.me/([a-z0-9_]{4,32})`)
	waRE     = regexp.MustCompile(`\b(?:https?://)?(?:wa\.me|api\.whatsapp\.com/send\?phone=)/?\+?([0-9]{7,15})`)
	emailRE  = regexp.MustCompile(`[a-z0-9._%+\-]{1,64}@[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63})*\.[a-z]{2,24}`)
	handleRE = regexp.MustCompile(`(?:^|[^a-z0-9_.@/])@ ?([a-z][a-z0-9_]{3,31})\b`)
	idRE     = regexp.MustCompile(`(?:\bwechat|\bweixin|\bwx|微信|\bline|ไลน์)(?: ?id)? ?[:：]? ?@?([a-z][a-z0-9_.\-]{3,29})`)
	// Words that, shortly before a number, say it is a phone number.
	phoneCtxRE = regexp.MustCompile(`(?:whatsapp|whats app|\bwa\b|\bws\b|viber|zalo|imo|signal|call|phone|tel|mobile|mob|contact|sms|hotline|telegram|line|wechat|微信|电话|手机|联系|โทร|ติดต่อ|ไลน์|liên hệ|lien he|goi|sdt|hubungi|\bhp\b|telefon|ဖုန်း|ទូរស័ព្ទ|ទំនាក់ទំនង)`)
	// Words that name the platform of an @handle on the same line.
	telegramCtxRE = regexp.MustCompile(`telegram|\btg\b|\btele\b|飞机|纸飞机|电报|เทเลแกรม|t\.me`)
	lineCtxRE     = regexp.MustCompile(`\bline\b|ไลน์|ไลน|ลาย`)
)

// Context regexps as DFAs (see lazydfa): they run on every line that holds
// a handle or a number, and a DFA answers whether they match at a fraction
// of the cost of the regexp.
var (
	phoneCtxDFA    = mustDFA(phoneCtxRE)
	telegramCtxDFA = mustDFA(telegramCtxRE)
	lineCtxDFA     = mustDFA(lineCtxRE)
)

func mustDFA(re *regexp.Regexp) *lazydfa.Prog {
	p, err := lazydfa.Compile(re.String())
	if err != nil {
		panic(fmt.Sprintf("context regexp %s: %v", re, err))
	}
	return p
}

// ctxCaches are a scan's DFA caches for the context regexps.
type ctxCaches struct{ phone, telegram, line lazydfa.Cache }

// telegramCtx and lineCtx report whether telegramCtxRE (lineCtxRE)
// matches text, checking first for the literals every match holds.
func (c *ctxCaches) telegramCtx(text string) bool {
	return containsAny(text, "tele", "tg", "飞机", "电报", "เทเลแกรม", "t.me") && telegramCtxDFA.Match(&c.telegram, text)
}

func (c *ctxCaches) lineCtx(text string) bool {
	return containsAny(text, "line", "ไลน", "ลาย") && lineCtxDFA.Match(&c.line, text)
}

func containsAny(text string, lits ...string) bool {
	for _, l := range lits {
		if strings.Contains(text, l) {
			return true
		}
	}
	return false
}

func (s *scan) entity(kind, value, field string, t *textnorm.Text, ns, ne int) {
	os, oe := t.Span(ns, ne)
	s.addEntity(lurewatch.Entity{Kind: kind, Value: value}, lurewatch.Evidence{Field: field, Start: os, End: oe, Snippet: t.Orig[os:oe]})
}

// extractors lists the entity regexps, in the order of the ex* indexes.
// Phone numbers are found by phoneSpans, not by a regexp: digits are
// everywhere in ads, and a byte loop over them costs far less than
// running a regexp around each.
var extractors = []*regexp.Regexp{tmeRE, waRE, emailRE, handleRE, idRE}

const (
	exTme = iota
	exWa
	exEmail
	exHandle
	exID
)

// Phone number shape: an optional '+', a digit, 5 to 22 digits or
// separators (space, '-', '.', '(' or ')'), and a digit.
const (
	phoneMinMid = 5
	phoneMaxMid = 22
)

// phoneSpans appends to out the spans of text that the regexp
// `\+?[0-9][0-9 \-.()]{5,22}[0-9]` finds (leftmost-first, as
// FindAllStringIndex does), at most limit, and returns out.
func phoneSpans(text string, out [][2]int, limit int) [][2]int {
	for p := 0; p < len(text) && len(out) < limit; {
		// Skip to the next byte that can start a number.
		p = skipNoDigit(text, p)
		for p < len(text) && !phoneStart[text[p]] {
			p++
		}
		if p >= len(text) {
			break
		}
		q := p // the first digit
		if text[p] == '+' {
			q = p + 1
		}
		if q >= len(text) || !isDigit(text[q]) {
			p++
			continue
		}
		// The run of separators and digits after the first digit, of
		// which the match takes the longest prefix, of phoneMinMid to
		// phoneMaxMid bytes, that a digit follows.
		run := 0
		for q+1+run < len(text) && run <= phoneMaxMid && phoneMid[text[q+1+run]] {
			run++
		}
		end := -1
		for k := min(phoneMaxMid, run-1); k >= phoneMinMid; k-- {
			if isDigit(text[q+1+k]) {
				end = q + 2 + k
				break
			}
		}
		if end < 0 {
			if run <= phoneMaxMid {
				// The run ends within reach and holds no digit far
				// enough from q to end a number: no later start
				// inside it (whose reach ends at the same place) has
				// one either. The byte after the run is not a digit.
				p = q + 1 + run
				continue
			}
			p++
			continue
		}
		out = append(out, [2]int{p, end})
		p = end
	}
	return out
}

// skipNoDigit returns the first position from i, in steps of eight bytes,
// whose eight bytes hold an ASCII digit or '+' (found by the classic
// has-byte-between and has-zero-byte tricks).
func skipNoDigit(text string, i int) int {
	const ones, highs, lows = 0x0101010101010101, 0x8080808080808080, 0x7f7f7f7f7f7f7f7f
	for ; i+8 <= len(text); i += 8 {
		x := binary.LittleEndian.Uint64([]byte(text[i : i+8]))
		// A byte strictly between '/' and ':' (a digit).
		lo := x & lows
		digit := (ones*(127+':') - lo) & ^x & (lo + ones*(127-'/')) & highs
		// A byte equal to '+'.
		q := x ^ (ones * '+')
		plus := (q - ones) & ^q & highs
		if digit|plus != 0 {
			break
		}
	}
	return i
}

// phoneStart marks the bytes a phone number can start with: a digit or
// '+'.
var phoneStart = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	t['+'] = true
	return t
}()

// phoneMid marks the bytes a phone number holds between its first and last
// digits.
var phoneMid = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range " -.()" {
		t[c] = true
	}
	return t
}()

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// extractEntities adds the contacts found in one normalised field to s;
// find(k) returns the matches of extractors[k].
func extractEntities(s *scan, field string, t *textnorm.Text, find func(k int) [][]int) {
	norm := t.Norm
	for _, m := range find(exTme) {
		s.entity(EntityTelegram, "@"+norm[m[2]:m[3]], field, t, m[0], m[1])
	}
	for _, m := range find(exWa) {
		s.entity(EntityWhatsApp, "+"+norm[m[2]:m[3]], field, t, m[0], m[1])
	}
	var emails [][]int
	for _, m := range find(exEmail) {
		emails = append(emails, m)
		s.entity(EntityEmail, norm[m[0]:m[1]], field, t, m[0], m[1])
	}
	inEmail := func(i int) bool {
		for _, e := range emails {
			if i >= e[0] && i < e[1] {
				return true
			}
		}
		return false
	}
	// Whether the whole field names Telegram and not LINE, computed once.
	fieldTelegram := -1
	for _, m := range find(exHandle) {
		at := strings.IndexByte(norm[m[0]:m[1]], '@') + m[0]
		if inEmail(at) {
			continue
		}
		kind := EntityHandle
		line := lineAround(norm, at)
		switch {
		case s.ctx.telegramCtx(line):
			kind = EntityTelegram
		case s.ctx.lineCtx(line):
			kind = EntityLine
		default:
			if fieldTelegram < 0 {
				fieldTelegram = 0
				if s.ctx.telegramCtx(norm) && !s.ctx.lineCtx(norm) {
					fieldTelegram = 1
				}
			}
			if fieldTelegram == 1 {
				kind = EntityTelegram
			}
		}
		s.entity(kind, "@"+norm[m[2]:m[3]], field, t, at, m[1])
	}
	for _, m := range find(exID) {
		if inEmail(m[2]) {
			continue
		}
		id := norm[m[2]:m[3]]
		kind := EntityWeChat
		if l := norm[m[0]:m[2]]; strings.Contains(l, "line") || strings.Contains(l, "ไลน์") {
			kind = EntityLine
			id = "@" + id
		}
		s.entity(kind, id, field, t, m[2], m[3])
	}
	s.phones = phoneSpans(norm, s.phones[:0], maxEntities)
	for _, m := range s.phones {
		if inEmail(m[0]) {
			continue
		}
		// Not part of a longer token: "abc123456789", "usd1500000".
		if r, _ := utf8.DecodeLastRuneInString(norm[:m[0]]); m[0] > 0 && textnorm.IsWordRune(r) {
			continue
		}
		raw := norm[m[0]:m[1]]
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, raw)
		plus := raw[0] == '+'
		// ctx reports whether a word shortly before says it is a phone
		// number; it is looked up only when the decision needs it.
		ctx := func() bool { return phoneCtxDFA.Match(&s.ctx.phone, norm[max0(m[0]-30):m[0]]) }
		ok := false
		switch {
		case plus:
			ok = len(digits) >= 8 && len(digits) <= 15
		case digits[0] == '0':
			ok = len(digits) >= 9 && len(digits) <= 12 || len(digits) >= 7 && len(digits) <= 12 && ctx()
		default:
			ok = len(digits) >= 7 && len(digits) <= 15 && ctx()
		}
		if !ok || !plus && strings.Contains(raw, ".") && !ctx() {
			continue
		}
		if plus {
			digits = "+" + digits
		}
		s.entity(EntityPhone, digits, field, t, m[0], m[1])
	}
}

func max0(i int) int {
	if i < 0 {
		return 0
	}
	return i
}

// lineAround returns the line of norm that holds byte i.
func lineAround(norm string, i int) string {
	start := strings.LastIndexByte(norm[:i], '\n') + 1
	end := strings.IndexByte(norm[i:], '\n')
	if end < 0 {
		return norm[start:]
	}
	return norm[start : i+end]
}
