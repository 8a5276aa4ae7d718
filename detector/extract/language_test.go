package extract

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
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
