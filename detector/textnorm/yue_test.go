package textnorm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFoldCantonese(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Words, and the characters Cantonese alone writes.
		{"唔使經驗，冇經驗都得", "不需经验,没经验都得"},
		{"包食包住，人工兩萬", "包吃包住,薪资两万"},
		{"唔好同屋企人講", "不要同家里人讲"},
		{"佢哋話識打字就得", "他们话会打字就得"},
		{"我細佬喺泰國做咗三個月", "我细佬在泰国做了三个月"},
		// Where the word means what Mandarin means, it stays.
		{"關係好，聯繫我", "关系好,联系我"},
		{"人工智能公司", "人工智能公司"},
		{"知識同認識", "知识同认识"},
		{"仲介費、仲裁", "仲介费、仲裁"},
		{"系統工程師", "系统工程师"},
		// Cantonese's own senses.
		{"真係好", "真是好"},
		{"仲有雙糧", "还有双粮"},
		{"食住全包，下個禮拜出發，覆客人訊息", "食宿全包,下个星期出发,回客人讯息"},
		{"包食住", "包吃住"},
		{"覆蓋全港，答覆查詢，做禮拜", "覆盖全港,答覆查询,做礼拜"},
		// Nothing to fold: the same string back.
		{"包吃包住,无需经验", "包吃包住,无需经验"},
		{"free flight", "free flight"},
		{"", ""},
	} {
		in := String(c.in)
		got := FoldCantonese(in)
		if got != String(c.want) {
			t.Errorf("FoldCantonese(%q) = %q, want %q", in, got, String(c.want))
		}
		if len(got) != len(in) {
			t.Errorf("FoldCantonese(%q): %d bytes, want %d", in, len(got), len(in))
		}
	}
}

func TestCantonese(t *testing.T) {
	for _, c := range []struct {
		texts []string
		want  bool
	}{
		{[]string{"唔使經驗，包食包住"}, false}, // one mark: could be a quoted word
		{[]string{"唔使經驗，冇問題"}, true},
		// 諗 is 谂 once normalised, led by 0xE8 in UTF-8, unlike the
		// other marks: a byte loop that looked only at 0xE4-0xE7 missed it.
		{[]string{"我諗佢會去"}, true},
		{[]string{"泰國客服", "佢話唔使經驗"}, true}, // the marks of title and text together
		{[]string{"包吃包住，无需经验，月薪两万"}, false},
		{[]string{"關係、聯繫、系統"}, false},
		{[]string{"free flight, no experience"}, false},
	} {
		norms := make([]string, len(c.texts))
		for i, s := range c.texts {
			norms[i] = String(s)
		}
		if got := Cantonese(norms...); got != c.want {
			t.Errorf("Cantonese(%q) = %v, want %v", c.texts, got, c.want)
		}
	}
}

// TestYueTable: every fold keeps its word's length in bytes and
// characters, and none folds to a word another fold would rewrite again,
// alone or after the first character of a word of two ("人人工" would
// fold to "人工资" and then "工资资" were 人工's Mandarin 工资), so that
// folding is idempotent.
func TestYueTable(t *testing.T) {
	tab := yueTable()
	for _, ws := range tab.words {
		for _, w := range ws {
			if len(w.from) != len(w.to) || utf8.RuneCountInString(w.from) != utf8.RuneCountInString(w.to) {
				t.Errorf("%q → %q changes the length", w.from, w.to)
			}
			if again := FoldCantonese(w.to); again != w.to {
				t.Errorf("%q → %q folds again to %q", w.from, w.to, again)
			}
			for _, ws2 := range tab.words {
				for _, k := range ws2 {
					first, n := utf8.DecodeRuneInString(k.from)
					if len(k.from) > n && strings.HasPrefix(w.to, k.from[n:]) && !strings.ContainsRune(w.notAfter, first) {
						t.Errorf("%q → %q: after %c it makes %q", w.from, w.to, first, k.from)
					}
				}
			}
		}
	}
}

// FuzzFoldCantonese: folding keeps the length and every character's place,
// and is idempotent, on any input.
func FuzzFoldCantonese(f *testing.F) {
	for _, s := range []string{"唔使經驗，冇經驗都得", "佢哋話人工兩萬蚊", "關係", "真係", "\xff唔\xe5", "仲"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := FoldCantonese(s)
		if len(got) != len(s) {
			t.Fatalf("FoldCantonese(%q) = %q: %d bytes, want %d", s, got, len(got), len(s))
		}
		for i := 0; i < len(s); {
			_, n := utf8.DecodeRuneInString(s[i:])
			if _, m := utf8.DecodeRuneInString(got[i:]); m != n {
				t.Fatalf("FoldCantonese(%q) = %q: the character at %d changed its length", s, got, i)
			}
			i += n
		}
		if again := FoldCantonese(got); again != got {
			t.Fatalf("FoldCantonese not idempotent: %q → %q → %q", s, got, again)
		}
	})
}

// cantoneseRef is Cantonese decoded the plain way, rune by rune.
func cantoneseRef(norms ...string) bool {
	n := 0
	for _, s := range norms {
		for _, r := range s {
			if yueTable().isMark(r) {
				n++
			}
		}
	}
	return n >= minYueMarks
}

// FuzzCantonese: the byte loop of Cantonese agrees with decoding every
// rune, on valid UTF-8 (normalised text is), and does not panic on any.
func FuzzCantonese(f *testing.F) {
	for _, s := range []string{"唔使經驗，冇問題", "佢", "\xe5\x94", "a唔b嘅", "包吃包住", "谂"} {
		f.Add(s, "冇")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		got := Cantonese(a, b)
		if utf8.ValidString(a) && utf8.ValidString(b) && got != cantoneseRef(a, b) {
			t.Fatalf("Cantonese(%q, %q) = %v, decoding every rune says %v", a, b, got, !got)
		}
	})
}
