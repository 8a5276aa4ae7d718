package extract

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var languageCases = []struct{ in, want string }{
	{"Online support staff wanted in Sihanoukville. Free flight, free visa and food.", "en"},
	{"妙瓦底 园区 招 客服/打字员 底薪1.2w + 提成 飞机：@hr_fictional_02", "zh"},
	{"TUYỂN GẤP CSKH làm tại Poipet, Campuchia. Lương 18 triệu + thưởng", "vi"},
	{"รับสมัครพนักงาน เงินเดือน 35,000 บาท ไลน์ @fictional_th_01", "th"},
	{"ការងារ Online នៅប៉ោយប៉ែត ប្រាក់ខែ ១២០០ ដុល្លារ Telegram @kh_fictional_01", "km"},
	{"ຮັບສະໝັກພະນັກງານ ເງິນເດືອນດີ", "lo"},
	{"ထိုင်းနိုင်ငံ online အလုပ် လစာ ဘတ် ၃၀,၀၀၀", "my"},
	{"රැකියා අවස්ථා ඩුබායි වැටුප ඉහළයි", "si"},
	{"विदेशमा काम, तलब राम्रो छ। सम्पर्क गर्नुहोस् र आवेदन दिनुहोस्।", "ne"},
	{"विदेश में नौकरी, अच्छी सैलरी है और रहना मुफ्त है।", "hi"},
	{"বিদেশে চাকরি, বেতন ভালো", "bn"},
	{"Работа в Таиланде, зарплата высокая, перелёт бесплатно", "ru"},
	{"Dicari staf admin untuk kerja di Kamboja, gaji 16 juta per bulan, bisa berangkat tanpa pengalaman", "id"},
	{"Kerja kosong luar negara, gaji RM7,000 sebulan, tak perlu pengalaman, syarikat tanggung tiket", "ms"},
	{"Trabaho sa Laos, libre ang pamasahe at tirahan, walang kailangan na karanasan para sa mga aplikante", "tl"},
	{"Kazi nchini Thailand, mshahara mzuri, tiketi bure kwa vijana wa kike na wa kiume", "sw"},
	{"Trabajo en Tailandia con salario alto, vuelo gratis y sin experiencia para los candidatos", "es"},
	{"Trabalho na Tailândia com salário alto, voo grátis e sem experiência para você", "pt"},
	{"求人 タイ 高収入 未経験OK", "ja"},
	{"", ""},
	{"12345 !!!", ""},
}

func TestLanguage(t *testing.T) {
	tests := languageCases
	for _, tt := range tests {
		if got := Language(tt.in); got != tt.want {
			t.Errorf("Language(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestBlockClass checks the block table against the Unicode ranges it
// stands for, character by character.
func TestBlockClass(t *testing.T) {
	in := func(r rune, lo, hi rune) bool { return r >= lo && r <= hi }
	for r := rune(0x80); r < 0x10000; r++ {
		want := classNone
		switch {
		case in(r, 0xC0, 0x24F) || in(r, 0x1E00, 0x1EFF):
			want = classLatin
		case in(r, 0x4E00, 0x9FFF) || in(r, 0x3400, 0x4DBF):
			want = classHan
		case in(r, 0x3040, 0x30FF):
			want = classKana
		case in(r, 0xAC00, 0xD7AF) || in(r, 0x1100, 0x11FF):
			want = classHangul
		}
		for k, ranges := range scriptRanges {
			for _, rg := range ranges {
				if in(r, rg[0], rg[1]) {
					want = classScript + uint8(k)
				}
			}
		}
		if got := blockClass[r>>4]; got != want {
			t.Fatalf("blockClass[%U] = %d, want %d", r, got, want)
		}
	}
}

// TestLanguageOfParts: the guess for an ad's title and text given apart is
// the guess for the two joined by a line break.
func TestLanguageOfParts(t *testing.T) {
	data, err := os.ReadFile("../testdata/ads.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var ad struct{ Title, Text string }
		if err := json.Unmarshal([]byte(line), &ad); err != nil {
			t.Fatal(err)
		}
		if got, want := LanguageOf(ad.Title, ad.Text), Language(ad.Title+"\n"+ad.Text); got != want {
			t.Errorf("%q: LanguageOf = %q, Language of the joined text = %q", ad.Title, got, want)
		}
		n++
	}
	if n < 10 {
		t.Fatalf("only %d ads read", n)
	}
}

// languageRef is LanguageOf as it was before its fast paths (commit
// 8f3e200): the reference the tests hold it to. It shares only the tables
// whose contents define the result (blockClass, checked by TestBlockClass,
// and stopIndex).
func languageRef(parts ...string) string {
	var capped []string
	budget := languageSample
	for _, p := range parts {
		p = prefix(p, budget)
		capped = append(capped, p)
		budget -= len(p)
	}
	parts = capped
	var latin, viet, han, kana, hangul int
	var scripts [len(scriptNames)]int
	for _, text := range parts {
		for _, r := range text {
			switch {
			case r < utf8.RuneSelf:
				if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
					latin++
				}
				continue
			case r >= 0x10000:
				continue
			}
			switch k := blockClass[r>>4]; k {
			case classNone:
			case classLatin:
				if r != 0xD7 && r != 0xF7 {
					latin++
					if isVietnamese(r) {
						viet++
					}
				}
			case classHan:
				han++
			case classKana:
				kana++
			case classHangul:
				hangul++
			default:
				scripts[k-classScript]++
			}
		}
	}
	best, bestN := "", 0
	if han+kana > 0 {
		best, bestN = "zh", han+kana
		if kana > 0 && kana*5 >= han {
			best = "ja"
		}
	}
	if hangul > bestN {
		best, bestN = "ko", hangul
	}
	for k, lang := range scriptNames {
		if n := scripts[k]; n > bestN {
			best, bestN = lang, n
		}
	}
	if bestN > 0 && bestN*3 >= latin {
		if best == "hi" {
			return hindiOrNepaliRef(parts)
		}
		return best
	}
	if latin < 3 {
		return ""
	}
	if viet >= 3 || viet*20 >= latin && viet > 0 {
		return "vi"
	}
	var score [len(stopOrder)]int
	n := 0
	for _, text := range parts {
		for i := 0; i < len(text) && n < 2000; {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !(r < utf8.RuneSelf && asciiLetter[r] || r >= utf8.RuneSelf && unicode.IsLetter(r)) {
				i += size
				continue
			}
			j := i
			for j < len(text) {
				r, size := utf8.DecodeRuneInString(text[j:])
				if !(r < utf8.RuneSelf && asciiLetter[r] || r >= utf8.RuneSelf && unicode.IsLetter(r)) {
					break
				}
				j += size
			}
			w := text[i:j]
			i = j
			n++
			if len(w) > maxStopWord {
				continue
			}
			langs := stopIndex[strings.ToLower(w)]
			for k := range stopOrder {
				if langs&(1<<k) != 0 {
					score[k]++
				}
			}
		}
	}
	best, bestN = "en", 0
	for k, lang := range stopOrder {
		if score[k] > bestN {
			best, bestN = lang, score[k]
		}
	}
	return best
}

// hindiOrNepaliRef is hindiOrNepali as it was at commit 8f3e200.
func hindiOrNepaliRef(parts []string) string {
	ne, hi := 0, 0
	var words []string
	for _, text := range parts {
		words = append(words, strings.FieldsFunc(text, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsPunct(r) || r == '।'
		})...)
	}
	for _, w := range words {
		switch w {
		case "छ", "छन्", "हो", "र", "गर्न", "हुन्छ", "तपाईं", "तपाईंलाई", "पर्ने", "भएको", "गर्नुहोस्", "मा", "लागि", "नेपाल", "रु", "छैन":
			ne++
		case "है", "हैं", "और", "में", "का", "की", "के", "लिए", "आप", "करें", "नहीं", "भी", "रुपये", "यह":
			hi++
		}
	}
	if ne > hi {
		return "ne"
	}
	return "hi"
}

func checkLanguageRef(t *testing.T, title, text string) {
	t.Helper()
	got := LanguageOf(title, text)
	if want := languageRef(title, text); got != want {
		t.Errorf("LanguageOf(%q, %q) = %q, reference %q", title, text, got, want)
	}
}

func TestLanguageMatchesReference(t *testing.T) {
	for _, text := range corpusTexts(t) {
		title, body, _ := strings.Cut(text, "\n")
		checkLanguageRef(t, title, body)
		checkLanguageRef(t, "", text)
	}
	for _, c := range languageCases {
		checkLanguageRef(t, c.in, "")
	}
}

func FuzzLanguageMatchesReference(f *testing.F) {
	for _, text := range corpusTexts(f) {
		title, body, _ := strings.Cut(text, "\n")
		f.Add(title, body)
	}
	f.Add("Trabalho \u212Aazi não você ſalário", "KAZI ſana Ⱥ")
	f.Fuzz(checkLanguageRef)
}
