package extract

import (
	"math"
	"testing"
)

type salaryWant struct {
	text     string
	min, max float64
	cur      string
	period   string
	plus     bool
}

var salaryCases = []struct {
	name string
	in   string
	want []salaryWant // nil: no salary
}{
	{"usd slash month", "Salary $1,300/month + bonus", []salaryWant{{"$1,300/month", 1300, 1300, "USD", "month", false}}},
	{"usd code per month", "USD 1,500 per month, food free", []salaryWant{{"USD 1,500 per month", 1500, 1500, "USD", "month", false}}},
	{"usd range both symbols", "Pay: $1,500 - $2,000/month", []salaryWant{{"$1,500 - $2,000/month", 1500, 2000, "USD", "month", false}}},
	{"usd plus plus", "💲1800++ monthly", []salaryWant{{"💲1800++ monthly", 1800, 1800, "USD", "month", true}}},
	{"dollar plus plus", "earn $1500++ fast", []salaryWant{{"$1500++", 1500, 1500, "USD", "", true}}},
	{"usd a month", "you get $900 a month", []salaryWant{{"$900 a month", 900, 900, "USD", "month", false}}},
	{"usd daily range", "Earn $50-$200 daily", []salaryWant{{"$50-$200 daily", 50, 200, "USD", "day", false}}},
	{"usd per day", "$50/day cash", []salaryWant{{"$50/day", 50, 50, "USD", "day", false}}},
	{"usd per hour", "$15/hr", []salaryWant{{"$15/hr", 15, 15, "USD", "hour", false}}},
	{"usd annually", "USD 36,000 annually", []salaryWant{{"USD 36,000 annually", 36000, 36000, "USD", "year", false}}},
	{"usd per annum", "$48,000 per annum", []salaryWant{{"$48,000 per annum", 48000, 48000, "USD", "year", false}}},
	{"usd pa dotted", "$30,000 p.a.", []salaryWant{{"$30,000 p.a.", 30000, 30000, "USD", "year", false}}},
	{"w shorthand", "底薪1.2w + 提成", []salaryWant{{"1.2w", 12000, 12000, "CNY", "month", false}}},
	{"w range", "月薪1.2-1.5w", []salaryWant{{"1.2-1.5w", 12000, 15000, "CNY", "month", false}}},
	{"wan plus", "1.5w起", []salaryWant{{"1.5w起", 15000, 15000, "CNY", "", true}}},
	{"wan han", "月薪3万", []salaryWant{{"3万", 30000, 30000, "CNY", "month", false}}},
	{"yuan monthly", "月薪1.5万", []salaryWant{{"1.5万", 15000, 15000, "CNY", "month", false}}},
	{"yuan range", "5000-7000元/月", []salaryWant{{"5000-7000元/月", 5000, 7000, "CNY", "month", false}}},
	{"hk dollars cantonese", "人工 18000蚊", []salaryWant{{"18000蚊", 18000, 18000, "HKD", "", false}}},
	{"hk dollars wan", "月薪2萬港幣", []salaryWant{{"2萬港幣", 20000, 20000, "HKD", "month", false}}},
	{"hk banknote", "實收 16000港紙/月", []salaryWant{{"16000港紙/月", 16000, 16000, "HKD", "month", false}}},
	{"macau pataca", "月薪15000澳門幣", []salaryWant{{"15000澳門幣", 15000, 15000, "MOP", "month", false}}},
	{"hk dollars named first", "月薪港幣 35,000", []salaryWant{{"港幣 35,000", 35000, 35000, "HKD", "month", false}}},
	{"macau dollar sign", "月薪 MOP$18,000", []salaryWant{{"MOP$18,000", 18000, 18000, "MOP", "month", false}}},
	{"meijin first", "底薪美金2000", []salaryWant{{"美金2000", 2000, 2000, "USD", "month", false}}},
	{"yen sign", "工资¥8000", []salaryWant{{"¥8000", 8000, 8000, "CNY", "", false}}},
	{"yuan suffix", "8000元以上", []salaryWant{{"8000元以上", 8000, 8000, "CNY", "", true}}},
	{"daily chinese", "日薪500", []salaryWant{{"500", 500, 500, "", "day", false}}},
	{"meijin", "月入3000美金", []salaryWant{{"3000美金", 3000, 3000, "USD", "month", false}}},
	{"usdt u", "保底1000U", []salaryWant{{"1000U", 1000, 1000, "USDT", "month", false}}},
	{"usdt code", "pay 1000 USDT weekly", []salaryWant{{"1000 USDT weekly", 1000, 1000, "USDT", "week", false}}},
	{"k shorthand", "Salary 15k/month", []salaryWant{{"15k/month", 15000, 15000, "", "month", false}}},
	{"k php", "40k PHP monthly", []salaryWant{{"40k PHP monthly", 40000, 40000, "PHP", "month", false}}},
	{"peso sign", "Sahod: ₱55,000 kada buwan", []salaryWant{{"₱55,000 kada buwan", 55000, 55000, "PHP", "month", false}}},
	{"trieu", "Lương 18 triệu + thưởng", []salaryWant{{"18 triệu", 18e6, 18e6, "VND", "", false}}},
	{"dollar sign after", "Lương cứng 1500$ + hh", []salaryWant{{"1500$", 1500, 1500, "USD", "month", false}}},
	{"k shorthand with decimal", "lg 1k2$/th", []salaryWant{{"1k2$", 1200, 1200, "USD", "", false}}},
	{"k shorthand range", "Salary 1k2-1k5 USD", []salaryWant{{"1k2-1k5 USD", 1200, 1500, "USD", "", false}}},
	{"tr shorthand", "lương 1tr5/ngày", []salaryWant{{"1tr5/ngày", 1.5e6, 1.5e6, "VND", "day", false}}},
	{"w shorthand", "月薪1w5", []salaryWant{{"1w5", 15000, 15000, "CNY", "month", false}}},
	{"wan shorthand", "底薪1万5起", []salaryWant{{"1万5起", 15000, 15000, "CNY", "month", true}}},
	{"k then dollar", "salary 3k$ monthly", []salaryWant{{"3k$ monthly", 3000, 3000, "USD", "month", false}}},
	{"euro after", "1800€ per month", []salaryWant{{"1800€ per month", 1800, 1800, "EUR", "month", false}}},
	{"baht in khmer digits and script", "ប្រាក់ខែ ៨,៥០០ បាត + កម្រៃលក់", []salaryWant{{"៨,៥០០ បាត", 8500, 8500, "THB", "month", false}}},
	{"kip a day", "ຄ່າແຮງ 120.000 ກີບ/ມື້", []salaryWant{{"120.000 ກີບ/ມື້", 120000, 120000, "LAK", "day", false}}},
	{"thai a day before the amount", "ค่าแรงวันละ 380 บาท จ่ายทุกวันเสาร์", []salaryWant{{"380 บาท", 380, 380, "THB", "day", false}}},
	{"lao a day before the amount", "ມື້ລະ 150.000 ກີບ", []salaryWant{{"150.000 ກີບ", 150000, 150000, "LAK", "day", false}}},
	{"burmese one day before the amount", "လုပ်ခ တစ်ရက် ၁၅,၀၀၀ ကျပ်", []salaryWant{{"၁၅,၀၀၀ ကျပ်", 15000, 15000, "MMK", "day", false}}},
	{"burmese one month after the amount", "၅၀၀,၀၀၀ ကျပ် တစ်လ", []salaryWant{{"၅၀၀,၀၀၀ ကျပ် တစ်လ", 500000, 500000, "MMK", "month", false}}},
	{"khmer per one day", "ប្រាក់ឈ្នួល 10 ដុល្លារ ក្នុងមួយថ្ងៃ", []salaryWant{{"10 ដុល្លារ ក្នុងមួយថ្ងៃ", 10, 10, "USD", "day", false}}},
	{"kip a month", "ເງິນເດືອນ 3.000.000 ກີບ/ເດືອນ", []salaryWant{{"3.000.000 ກີບ/ເດືອນ", 3e6, 3e6, "LAK", "month", false}}},
	{"yuan in thai", "เงินเดือน 3,000 หยวน", []salaryWant{{"3,000 หยวน", 3000, 3000, "CNY", "month", false}}},
	{"yuan before the amount in burmese", "လစာ ယွမ် ၅,၀၀၀", []salaryWant{{"ယွမ် ၅,၀၀၀", 5000, 5000, "CNY", "month", false}}},
	{"dollar before the amount in lao", "ເງິນເດືອນ ໂດລາ 500", []salaryWant{{"ໂດລາ 500", 500, 500, "USD", "month", false}}},
	{"yuan in vietnamese", "lương 5000 nhân dân tệ/tháng", []salaryWant{{"5000 nhân dân tệ/tháng", 5000, 5000, "CNY", "month", false}}},
	{"vietnamese tệ alone is not yuan", "lương 8 triệu tệ lắm", []salaryWant{{"8 triệu", 8e6, 8e6, "VND", "", false}}},
	{"vietnamese daily wage", "lương công nhật 250.000đ", []salaryWant{{"250.000đ", 250000, 250000, "VND", "day", false}}},
	{"not shorthand: three digits after k", "code 2k245 here", nil},
	{"a height is not shorthand", "Nữ cao 1m55 trở lên, lương 15tr", []salaryWant{{"15tr", 15e6, 15e6, "VND", "", false}}},
	{"trieu range month", "Lương 15-20 triệu/tháng", []salaryWant{{"15-20 triệu/tháng", 15e6, 20e6, "VND", "month", false}}},
	{"cu is slang for trieu", "tháng đầu đã hơn 20 củ rồi", []salaryWant{{"20 củ", 20e6, 20e6, "VND", "", false}}},
	{"cu range month", "lương 8-10 củ/tháng", []salaryWant{{"8-10 củ/tháng", 8e6, 10e6, "VND", "month", false}}},
	{"tether in persian", "حقوق ثابت ۹۰۰ تتر + درصد", []salaryWant{{"۹۰۰ تتر", 900, 900, "USDT", "", false}}},
	{"lao dollar tone mark", "ເງິນເດືອນ 1200 ໂດລ້າ", []salaryWant{{"1200 ໂດລ້າ", 1200, 1200, "USD", "month", false}}},
	{"vnd dong", "lương 12.000.000đ", []salaryWant{{"12.000.000đ", 12e6, 12e6, "VND", "", false}}},
	{"rp juta", "Gaji Rp 12 juta per bulan", []salaryWant{{"Rp 12 juta per bulan", 12e6, 12e6, "IDR", "month", false}}},
	{"rp dots", "Rp12.000.000/bulan", []salaryWant{{"Rp12.000.000/bulan", 12e6, 12e6, "IDR", "month", false}}},
	{"baht word", "24,000 baht per month", []salaryWant{{"24,000 baht per month", 24000, 24000, "THB", "month", false}}},
	{"baht thai", "เงินเดือน 35,000 บาท ต่อเดือน", []salaryWant{{"35,000 บาท ต่อเดือน", 35000, 35000, "THB", "month", false}}},
	{"rm", "Gaji RM6,500 sebulan", []salaryWant{{"RM6,500 sebulan", 6500, 6500, "MYR", "month", false}}},
	{"ringgit", "3000 ringgit a month", []salaryWant{{"3000 ringgit a month", 3000, 3000, "MYR", "month", false}}},
	{"ks mmk", "Ks 800,000 monthly", []salaryWant{{"Ks 800,000 monthly", 800000, 800000, "MMK", "month", false}}},
	{"kyat lakh burmese", "လစာ ကျပ် ၅ သိန်း", []salaryWant{{"ကျပ် ၅ သိန်း", 500000, 500000, "MMK", "month", false}}},
	{"khmer dollars", "ប្រាក់ខែ ១២០០ ដុល្លារ", []salaryWant{{"១២០០ ដុល្លារ", 1200, 1200, "USD", "month", false}}},
	// The dollar and local currencies of the other languages lures are
	// written in, with case endings, lakh and 万 in their scripts.
	{"ru dollars genitive", "зарплата 1500 долларов", []salaryWant{{"1500 долларов", 1500, 1500, "USD", "", false}}},
	{"ru thousand roubles", "оклад 150 тыс. руб", []salaryWant{{"150 тыс. руб", 150000, 150000, "RUB", "", false}}},
	{"uk dollars", "1 200 доларів", []salaryWant{{"1 200 доларів", 1200, 1200, "USD", "", false}}},
	{"fa dollar", "ماهانه 1200 دالر", []salaryWant{{"1200 دالر", 1200, 1200, "USD", "", false}}},
	{"am dollar", "ደሞዝ 1500 ዶላር", []salaryWant{{"1500 ዶላር", 1500, 1500, "USD", "", false}}},
	{"ha dala before", "Albashi: Dala 3,000", []salaryWant{{"Dala 3,000", 3000, 3000, "USD", "", false}}},
	{"om doolaara before", "ji'aan doolaara 1000", []salaryWant{{"doolaara 1000", 1000, 1000, "USD", "", false}}},
	{"pa dollar", "ਤਨਖਾਹ 1200 ਡਾਲਰ", []salaryWant{{"1200 ਡਾਲਰ", 1200, 1200, "USD", "", false}}},
	{"ta dollar", "சம்பளம் 1000 டாலர்", []salaryWant{{"1000 டாலர்", 1000, 1000, "USD", "", false}}},
	{"bn lakh taka", "বেতন 1.5 লাখ টাকা", []salaryWant{{"1.5 লাখ টাকা", 150000, 150000, "BDT", "", false}}},
	{"ml lakh rupees", "2 ലക്ഷം രൂപ", []salaryWant{{"2 ലക്ഷം രൂപ", 200000, 200000, "INR", "", false}}},
	{"si lakh rupees", "1 ලක්ෂ රුපියල්", []salaryWant{{"1 ලක්ෂ රුපියල්", 100000, 100000, "LKR", "", false}}},
	{"ja dollars", "月給1500ドル", []salaryWant{{"1500ドル", 1500, 1500, "USD", "", false}}},
	{"ja man yen", "月給15万円", []salaryWant{{"15万円", 150000, 150000, "JPY", "", false}}},
	{"ko dollars", "월급 1500달러", []salaryWant{{"1500달러", 1500, 1500, "USD", "", false}}},
	{"ko man won", "월급 200만원", []salaryWant{{"200만원", 2e6, 2e6, "KRW", "", false}}},
	{"tr bin tl", "maaş 45 bin TL", []salaryWant{{"45 bin TL", 45000, 45000, "TRY", "", false}}},
	{"ka dollars", "ხელფასი 1500 დოლარი", []salaryWant{{"1500 დოლარი", 1500, 1500, "USD", "", false}}},
	{"try is no currency", "try 3 times", nil},
	{"rs default inr", "Rs 80,000 per month", []salaryWant{{"Rs 80,000 per month", 80000, 80000, "INR", "month", false}}},
	{"rs nepal", "Nepal office. Salary Rs. 80,000", []salaryWant{{"Rs. 80,000", 80000, 80000, "NPR", "", false}}},
	{"npr code", "NPR 150,000 monthly", []salaryWant{{"NPR 150,000 monthly", 150000, 150000, "NPR", "month", false}}},
	{"lkr code", "LKR 300,000 per month", []salaryWant{{"LKR 300,000 per month", 300000, 300000, "LKR", "month", false}}},
	{"ksh", "KSh 50,000 per month", []salaryWant{{"KSh 50,000 per month", 50000, 50000, "KES", "month", false}}},
	{"ugx", "UGX 2,500,000 monthly", []salaryWant{{"UGX 2,500,000 monthly", 2.5e6, 2.5e6, "UGX", "month", false}}},
	{"khr", "KHR 4,000,000", []salaryWant{{"KHR 4,000,000", 4e6, 4e6, "KHR", "", false}}},
	{"sgd", "S$3,200 per month", []salaryWant{{"S$3,200 per month", 3200, 3200, "SGD", "month", false}}},
	{"aed", "AED 4,500 monthly", []salaryWant{{"AED 4,500 monthly", 4500, 4500, "AED", "month", false}}},
	{"salary word bare", "Salary: 1500-2000", []salaryWant{{"1500-2000", 1500, 2000, "", "", false}}},
	{"to range", "USD 1,000 to 1,500 per month", []salaryWant{{"USD 1,000 to 1,500 per month", 1000, 1500, "USD", "month", false}}},
	{"two salaries", "Pay $1,200/month, fee $300", []salaryWant{{"$1,200/month", 1200, 1200, "USD", "month", false}, {"$300", 300, 300, "USD", "", false}}},
	{"indian grouping", "₹1,20,000 per month", []salaryWant{{"₹1,20,000 per month", 120000, 120000, "INR", "month", false}}},
	{"lakh", "₹1.2 lakh per month", []salaryWant{{"₹1.2 lakh per month", 120000, 120000, "INR", "month", false}}},
	{"thai muen range", "4-6 หมื่น/เดือน", []salaryWant{{"4-6 หมื่น/เดือน", 40000, 60000, "THB", "month", false}}},
	{"k range", "40k–55k PHP per month", []salaryWant{{"40k–55k PHP per month", 40000, 55000, "PHP", "month", false}}},
	{"usdt range", "1000U – 1800U", []salaryWant{{"1000U – 1800U", 1000, 1800, "USDT", "", false}}},
	{"naira million", "₦2 million every month", []salaryWant{{"₦2 million every month", 2e6, 2e6, "NGN", "month", false}}},
	{"rb", "Rp 500rb per hari", []salaryWant{{"Rp 500rb per hari", 500000, 500000, "IDR", "day", false}}},
	{"dot thousands usd", "2.000 USD", []salaryWant{{"2.000 USD", 2000, 2000, "USD", "", false}}},
	{"fullwidth digits", "ＵＳＤ １，６００ monthly", []salaryWant{{"ＵＳＤ １，６００ monthly", 1600, 1600, "USD", "month", false}}},

	// Not pay.
	{"year", "Since 2026 we have grown", nil},
	{"phone", "WhatsApp +855 10 000 007", nil},
	{"age range", "Age 18-35, no experience", nil},
	{"age after salary word", "Salary negotiable, age 18-35", nil},
	{"age chinese", "年龄18-35岁", nil},
	{"date", "Interview on 15/11/2026", nil},
	{"licence", "DMW License No. 000-LB-000000-R", nil},
	{"percent", "get 30% commission", nil},
	{"months count", "3 months' accommodation", nil},
	{"contract years", "2 years contract", nil},
	{"people", "招聘30人", nil},
	{"wan people", "月入过万，3万人报名", nil},
	{"typing speed", "typing 20 wpm", nil},
	{"plain number", "Room 1500 on floor 3", nil},
	{"leading zero", "Salary: call 0900 000 900", nil},
	{"khmer age", "អាយុ ១៨-៣០ ឆ្នាំ", nil},
	{"height", "height 160 cm", nil},
	{"k in word", "15kg luggage", nil},
}

func TestSalaries(t *testing.T) {
	tests := salaryCases
	rates := DefaultRates()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Salaries(tt.in, rates)
			if len(got) != len(tt.want) {
				t.Fatalf("Salaries(%q) = %d results %+v, want %d", tt.in, len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Text != w.text || g.Min != w.min || g.Max != w.max || g.Currency != w.cur || g.Period != w.period || g.Plus != w.plus {
					t.Errorf("Salaries(%q)[%d] = {%q %v-%v %q %q plus=%v}, want {%q %v-%v %q %q plus=%v}",
						tt.in, i, g.Text, g.Min, g.Max, g.Currency, g.Period, g.Plus, w.text, w.min, w.max, w.cur, w.period, w.plus)
				}
				checkSpan(t, tt.in, g.Span, g.Text)
			}
		})
	}
}

func TestSalaryUSDPerMonth(t *testing.T) {
	rates := DefaultRates()
	for _, tt := range []struct {
		in   string
		want float64
	}{
		{"$1,300/month", 1300},
		{"$50/day", 1300},               // ×26
		{"$10/hr", 1730},                // ×173
		{"$500 weekly", 2165},           // ×4.33
		{"$36,000 per year", 3000},      // ÷12
		{"$1,000 - $2,000/month", 1500}, // midpoint
		{"1.5w", 2100},                  // CNY 15,000 × 0.14, month assumed
		{"Salary 15k/month", 0},         // no currency: no rate
	} {
		got := Salaries(tt.in, rates)
		if len(got) != 1 || math.Abs(got[0].USDPerMonth-tt.want) > 0.01 {
			t.Errorf("Salaries(%q) USDPerMonth = %+v, want %v", tt.in, got, tt.want)
		}
	}
	// Config overrides a rate.
	custom := Rates{"THB": 0.03}
	if got := Salaries("30,000 baht monthly", custom); len(got) != 1 || got[0].USDPerMonth != 900 {
		t.Errorf("custom rate: got %+v, want 900", got)
	}
	if got := Salaries("30,000 baht monthly", Rates{}); len(got) != 1 || got[0].USDPerMonth != 0 {
		t.Errorf("missing rate: got %+v, want 0", got)
	}
}

func TestDigitValue(t *testing.T) {
	for r, want := range map[rune]int{'7': 7, '๗': 7, '៧': 7, '၇': 7, '७': 7, '７': 7, 'a': -1, '٣': 3} {
		if got := digitValue(r); got != want {
			t.Errorf("digitValue(%q) = %d, want %d", r, got, want)
		}
	}
}

// checkSpan fails t unless span lies inside s, on rune boundaries, and text
// is s[span].
func checkSpan(t testing.TB, s string, span Span, text string) {
	t.Helper()
	if span.Start < 0 || span.End > len(s) || span.Start > span.End {
		t.Fatalf("span %v outside input of %d bytes", span, len(s))
	}
	if !runeBoundary(s, span.Start) || !runeBoundary(s, span.End) {
		t.Fatalf("span %v not on rune boundaries of %q", span, s)
	}
	if s[span.Start:span.End] != text {
		t.Fatalf("text %q != input[%d:%d] %q", text, span.Start, span.End, s[span.Start:span.End])
	}
}

// runeBoundary reports whether i is where a rune starts when s is decoded
// from the beginning (an invalid byte counts as a one-byte rune), or len(s).
func runeBoundary(s string, i int) bool {
	if i == len(s) {
		return true
	}
	for k := range s {
		if k == i {
			return true
		}
		if k > i {
			break
		}
	}
	return false
}
