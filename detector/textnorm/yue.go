package textnorm

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// Written Cantonese, as Hong Kong and Macau post it, says in words of its
// own what the Chinese phrase lists say in Mandarin: 唔使經驗 for 不需经验,
// 冇 for 没, 嘅 for 的, 人工 for 薪资, 屋企人 for 家里人, 包食包住 for 包吃包住.
// FoldCantonese rewrites those words as the Mandarin ones, so that the
// Mandarin lists read Cantonese ads too. The detector folds the text of an
// ad that Cantonese reports as written in Cantonese, and every phrase,
// whose folded form counts only in such an ad.
//
// The table is small and conservative: words Cantonese alone writes, and a
// few it writes in its own sense (人工 is a wage, not "artificial"; 係 is
// "is", not 關係's "relation"), each kept out of the compounds where it
// means what Mandarin means. Every word folds to one of as many characters
// and bytes, so that offsets into the normalised text stay valid.

// yueWord is one fold, Cantonese → Mandarin.
type yueWord struct {
	from, to string
	// The fold is skipped when the character before the word is one of
	// notAfter, or the one after it one of notBefore (normalised).
	notAfter, notBefore string
}

// yueSource is the table as written, in traditional characters, longer
// words first; yueTable normalises it (so to simplified characters) and
// keys it by first character.
var yueSource = []yueWord{
	// Words of two characters.
	{from: "唔使", to: "不需"}, {from: "唔駛", to: "不需"}, {from: "唔好", to: "不要"},
	{from: "包食", to: "包吃"}, {from: "人工", to: "薪资", notBefore: "智湖島岛"},
	{from: "返工", to: "上班"}, {from: "放工", to: "下班"}, {from: "見工", to: "面试"},
	{from: "份工", to: "职位"}, {from: "出糧", to: "发薪"}, {from: "份糧", to: "薪资"},
	{from: "屋企", to: "家里"}, {from: "老細", to: "老板"}, {from: "傾偈", to: "聊天"},
	{from: "搞掂", to: "搞定"}, {from: "做嘢", to: "做事"}, {from: "乜嘢", to: "什么"},
	{from: "邊度", to: "哪里"}, {from: "呢度", to: "这里"}, {from: "嗰度", to: "那里"},
	{from: "呢個", to: "这个"}, {from: "呢份", to: "这份"}, {from: "呢間", to: "这间"},
	{from: "一齊", to: "一起"}, {from: "琴日", to: "昨天"}, {from: "聽日", to: "明天"},
	{from: "點樣", to: "怎样"}, {from: "即係", to: "就是"},
	{from: "揸車", to: "开车"}, {from: "食住", to: "食宿", notAfter: "包"}, {from: "禮拜", to: "星期", notAfter: "做"},
	// Characters.
	{from: "嘅", to: "的"}, {from: "唔", to: "不"}, {from: "咗", to: "了"},
	{from: "喺", to: "在"}, {from: "冇", to: "没"}, {from: "佢", to: "他"},
	{from: "啲", to: "些"}, {from: "嚟", to: "来"}, {from: "睇", to: "看"},
	{from: "哋", to: "们"}, {from: "俾", to: "给"}, {from: "畀", to: "给"},
	{from: "攞", to: "拿"}, {from: "搵", to: "找"}, {from: "諗", to: "想"},
	{from: "嗰", to: "那"}, {from: "瞓", to: "睡"},
	{from: "識", to: "会", notAfter: "知認意常見學共標賞結辨"},
	{from: "係", to: "是", notAfter: "關聯體派直旁世譜水星父母", notBefore: "統列數譜"},
	{from: "仲", to: "还", notBefore: "裁介夏秋冬春"},
	{from: "覆", to: "回", notAfter: "答反顛傾翻", notBefore: "蓋滅沒轍水"},
}

// yueMarks are characters that Cantonese writes and Mandarin does not.
const yueMarks = "嘅唔咗喺冇佢啲嚟睇哋嘢攞搵嗰諗咩啱瞓攰嘥揸"

// minYueMarks is how many of yueMarks' characters make a text Cantonese:
// one could be a quoted word.
const minYueMarks = 2

type yueTables struct {
	words map[rune][]yueWord // by first character
	// marks holds a bit for each of yueMarks (all in the BMP, three bytes
	// in UTF-8): a map lookup for every character of a Chinese ad cost
	// the detector 0.8%.
	marks [0x10000 / 64]uint64
}

// isMark reports whether r is one of yueMarks.
func (t *yueTables) isMark(r rune) bool {
	return r < 0x10000 && t.marks[r>>6]&(1<<(r&63)) != 0
}

var yueTable = sync.OnceValue(func() *yueTables {
	t := &yueTables{words: map[rune][]yueWord{}}
	for _, w := range yueSource {
		n := yueWord{from: String(w.from), to: String(w.to), notAfter: String(w.notAfter), notBefore: String(w.notBefore)}
		if len(n.from) != len(n.to) || utf8.RuneCountInString(n.from) != utf8.RuneCountInString(n.to) {
			panic("textnorm: Cantonese fold " + w.from + " → " + w.to + " changes the length")
		}
		first, _ := utf8.DecodeRuneInString(n.from)
		t.words[first] = append(t.words[first], n) // longer words come first in yueSource
	}
	for _, r := range String(yueMarks) {
		if utf8.RuneLen(r) != 3 {
			panic("textnorm: Cantonese mark " + string(r) + " is not three bytes in UTF-8")
		}
		t.marks[r>>6] |= 1 << (r & 63)
	}
	return t
})

// Cantonese reports whether the normalised texts (valid UTF-8), together,
// read as written Cantonese: they hold at least two characters that only
// Cantonese writes.
func Cantonese(norms ...string) bool {
	tab := yueTable()
	n := 0
	for _, s := range norms {
		// Every mark is a character of three bytes in UTF-8 (checked in
		// yueTable), led by 0xE0-0xEF: the loop decodes only those.
		for i := 0; i+2 < len(s); {
			c := s[i]
			if c&0xF0 != 0xE0 {
				i++
				continue
			}
			r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			if tab.isMark(r) {
				if n++; n >= minYueMarks {
					return true
				}
			}
			i += 3
		}
	}
	return false
}

// FoldCantonese returns the normalised text s with its written Cantonese
// words as the Mandarin ones (see yueSource): of the same length, each
// character where it was, so offsets into s hold for the result.
func FoldCantonese(s string) string {
	words := yueTable().words
	var b []byte // nil until the first fold
	prev := rune(-1)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r < 0x3400 {
			prev = r
			i += n
			continue
		}
		w, ok := yueWordAt(words[r], s, i, prev)
		if !ok {
			prev = r
			i += n
			continue
		}
		if b == nil {
			b = []byte(s)
		}
		copy(b[i:], w.to)
		prev, _ = utf8.DecodeLastRuneInString(w.from)
		i += len(w.from)
	}
	if b == nil {
		return s
	}
	return string(b)
}

// yueWordAt returns the first of ws that s holds at i and may fold there,
// prev being the character before i.
func yueWordAt(ws []yueWord, s string, i int, prev rune) (yueWord, bool) {
	for _, w := range ws {
		if !strings.HasPrefix(s[i:], w.from) {
			continue
		}
		if prev >= 0 && strings.ContainsRune(w.notAfter, prev) {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(s[i+len(w.from):]); next != utf8.RuneError && strings.ContainsRune(w.notBefore, next) {
			continue
		}
		return w, true
	}
	return yueWord{}, false
}
