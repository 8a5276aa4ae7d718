package extract

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Salary is one statement of pay found in an ad: an amount or a range, its
// currency and period, and the pay normalised to US dollars per month.
type Salary struct {
	Span
	// Text is the statement as posted: text[Start:End].
	Text string `json:"text"`
	// Min and Max are the amounts in units of Currency, multipliers applied
	// ("1.5w" is 15000, "15 triệu" is 15000000). Max == Min for one amount.
	Min float64 `json:"min"`
	Max float64 `json:"max"`
	// Currency is an ISO 4217 code ("USD", "CNY", "THB"; "USDT" for
	// Tether), or "" when the ad does not say and nothing implies one.
	Currency string `json:"currency,omitempty"`
	// Period is "hour", "day", "week", "month" or "year", or "" when the
	// ad does not say.
	Period string `json:"period,omitempty"`
	// USDPerMonth is the midpoint of the range in US dollars per month,
	// using the Rates given and, when Period is "", assuming a month. It is
	// 0 when the currency is unknown or has no rate.
	USDPerMonth float64 `json:"usd_per_month,omitempty"`
	// Plus is set for open-ended amounts: "$1500++", "1万+", "8000以上".
	Plus bool `json:"plus,omitempty"`
}

// Rates maps a currency code to its value in US dollars per unit.
type Rates map[string]float64

// DefaultRates returns a table of approximate mid-market exchange rates in US
// dollars per unit, rounded, as of 2025 (compiled by hand from published
// central-bank and market reference rates; not a live feed). They are good
// enough to tell $300 from $3000 a month, which is all the detector needs;
// config can override any of them. Each call returns a new map.
func DefaultRates() Rates {
	return Rates{
		"USD":  1,
		"USDT": 1, // Tether, pegged to USD
		"CNY":  0.14,
		"HKD":  0.128,
		"MOP":  0.124,
		"TWD":  0.031,
		"THB":  0.029,
		"PHP":  0.0172,
		"IDR":  0.000062,
		"VND":  0.000039,
		"MYR":  0.22,
		"SGD":  0.76,
		"KHR":  0.00025,
		"MMK":  0.00048, // official rate; the market rate is far lower
		"LAK":  0.000046,
		"INR":  0.0117,
		"NPR":  0.0073,
		"LKR":  0.0033,
		"BDT":  0.0083,
		"PKR":  0.0036,
		"KES":  0.0077,
		"UGX":  0.00027,
		"TZS":  0.00038,
		"NGN":  0.00065,
		"GHS":  0.065,
		"AED":  0.2723,
		"EUR":  1.08,
		"GBP":  1.27,
		"JPY":  0.0066,
		"KRW":  0.00072,
		"RUB":  0.011,
		"UAH":  0.024,
		"KZT":  0.0019,
		"KGS":  0.0114,
		"UZS":  0.000078,
		"TJS":  0.092,
		"MNT":  0.00029,
		"GEL":  0.36,
		"AZN":  0.588,
		"TRY":  0.026,
		"ETB":  0.0075,
		"AFN":  0.0142,
	}
}

// Period factors: how many of a period make a month (173 working hours,
// 26 working days, 4.33 weeks, 1/12 year).
var periodPerMonth = map[string]float64{
	"hour": 173, "day": 26, "week": 4.33, "month": 1, "year": 1.0 / 12,
}

// Currency tokens, written before or after an amount, mapped to codes. The
// regular expressions below are built from these keys, longest first. "$" is
// read as USD and "¥" as CNY (the currencies these ads use). "Rs" is read as
// INR unless the text names Nepal or Sri Lanka (see rsCurrency).
var curPrefix = map[string]string{
	"us$": "USD", "u$": "USD", "usd": "USD", "$": "USD", "usdt": "USDT",
	"s$": "SGD", "sgd": "SGD", "hk$": "HKD", "hkd": "HKD", "nt$": "TWD",
	"rmb": "CNY", "cny": "CNY", "¥": "CNY", "￥": "CNY",
	"₱": "PHP", "php": "PHP",
	"rp": "IDR", "rp.": "IDR", "idr": "IDR",
	"rm": "MYR", "myr": "MYR",
	"thb": "THB", "฿": "THB",
	"₫": "VND", "vnd": "VND", "vnđ": "VND",
	"khr": "KHR", "៛": "KHR",
	"mmk": "MMK", "ks": "MMK", "ks.": "MMK", "kyat": "MMK",
	"lak": "LAK", "₭": "LAK",
	"inr": "INR", "₹": "INR", "rs": "Rs", "rs.": "Rs",
	"npr": "NPR", "lkr": "LKR", "bdt": "BDT", "৳": "BDT", "pkr": "PKR",
	"ksh": "KES", "ksh.": "KES", "kes": "KES", "ugx": "UGX", "ush": "UGX",
	"tzs": "TZS", "tsh": "TZS", "ngn": "NGN", "₦": "NGN", "ghs": "GHS",
	"aed": "AED", "dhs": "AED", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
	"රු": "LKR", "रु": "NPR", "रू": "NPR", "💲": "USD", "💵": "USD",
	"ဘတ်": "THB", "ကျပ်": "MMK", "ดอลลาร์": "USD", "ដុល្លារ": "USD", "ｕｓｄ": "USD",
	"ယွမ်": "CNY", "ဒေါ်လာ": "USD", "ໂດລາ": "USD", "ບາດ": "THB", "ກີບ": "LAK", "រៀល": "KHR", "បាត": "THB",
	// Chinese writes the currency's name before the amount as often as
	// after it ("月薪港幣 35,000", "美金2000").
	"港幣": "HKD", "港币": "HKD", "港元": "HKD", "mop$": "MOP", "澳門幣": "MOP", "澳门币": "MOP",
	"美金": "USD", "美元": "USD", "人民币": "CNY",
	// The dollar and local currencies of the other languages lures are
	// written in, where they come before the amount.
	"dala": "USD", "dola": "USD", "doolar": "USD", "₽": "RUB", "руб": "RUB", "₴": "UAH", "грн": "UAH",
	"₸": "KZT", "₮": "MNT", "₾": "GEL", "₼": "AZN", "₺": "TRY", "tl": "TRY",
	"ብር": "ETB", "birr": "ETB", "doolaara": "USD", "jpy": "JPY", "krw": "KRW", "rub": "RUB", "kzt": "KZT",
}

var curSuffix = map[string]string{
	"usd": "USD", "usdt": "USDT", "u": "USDT", "dollars": "USD", "dollar": "USD", "$": "USD", "€": "EUR",
	"us dollars": "USD", "美金": "USD", "美元": "USD", "刀": "USD", "đô": "USD", "ดอลลาร์": "USD",
	"sgd": "SGD", "新币": "SGD",
	// Hong Kong's and Macau's dollars as Cantonese writes them: 蚊 is the
	// spoken "dollar" ("兩萬蚊"), 港紙 the banknote.
	"hkd": "HKD", "港幣": "HKD", "港币": "HKD", "港元": "HKD", "港紙": "HKD", "港纸": "HKD", "蚊": "HKD",
	"mop": "MOP", "澳門幣": "MOP", "澳门币": "MOP", "葡幣": "MOP", "葡币": "MOP",
	"rmb": "CNY", "cny": "CNY", "元": "CNY", "块": "CNY", "人民币": "CNY", "yuan": "CNY",
	"php": "PHP", "peso": "PHP", "pesos": "PHP", "piso": "PHP", "比索": "PHP",
	"idr": "IDR", "rupiah": "IDR", "印尼盾": "IDR",
	"myr": "MYR", "ringgit": "MYR", "令吉": "MYR", "马币": "MYR",
	"thb": "THB", "baht": "THB", "บาท": "THB", "泰铢": "THB", "฿": "THB",
	"vnd": "VND", "vnđ": "VND", "đ": "VND", "₫": "VND", "đồng": "VND", "dong": "VND", "越南盾": "VND",
	"khr": "KHR", "riel": "KHR", "riels": "KHR", "រៀល": "KHR", "៛": "KHR",
	"mmk": "MMK", "kyat": "MMK", "kyats": "MMK", "ks": "MMK", "ကျပ်": "MMK", "缅币": "MMK",
	"lak": "LAK", "kip": "LAK", "ກີບ": "LAK", "ដុល្លារ": "USD", "ដុលា្លរ": "USD", "ဒေါ်လာ": "USD", "ໂດລາ": "USD",
	"ဘတ်": "THB", "ບາດ": "THB", "ดอลลาร์สหรัฐ": "USD", "ដុល្លា": "USD",
	// Each neighbour's currency in the others' scripts: baht in Khmer, kip
	// and riel in Thai and Chinese, yuan in Thai, Lao, Burmese and
	// Vietnamese.
	"បាត": "THB", "กีบ": "LAK", "เรียล": "KHR", "瑞尔": "KHR", "基普": "LAK", "หยวน": "CNY", "ຢວນ": "CNY",
	"ယွမ်": "CNY", "nhân dân tệ": "CNY", // not "tệ" alone, which is also "bad" ("8 triệu tệ lắm")
	"inr": "INR", "rupees": "Rs", "rupee": "Rs", "रुपये": "INR", "रुपैयाँ": "NPR",
	"npr": "NPR", "lkr": "LKR", "bdt": "BDT", "taka": "BDT", "টাকা": "BDT", "pkr": "PKR",
	"kes": "KES", "ksh": "KES", "shillings": "KES", "ugx": "UGX", "tzs": "TZS",
	"aed": "AED", "dirham": "AED", "dirhams": "AED", "ghs": "GHS", "cedis": "GHS", "naira": "NGN",
	"eur": "EUR", "euro": "EUR", "euros": "EUR", "gbp": "GBP",
	// The dollar in the other languages lures are written in, then their
	// local currencies. A token ends where the word does, so the case
	// forms that follow an amount are listed ("доллар", "долларов").
	"доллар": "USD", "долларов": "USD", "доллара": "USD", "долларах": "USD", "долларам": "USD", "долл": "USD",
	"долл.": "USD", "долар": "USD", "доларів": "USD", "долари": "USD", "долара": "USD", "долларға": "USD",
	"доллардан": "USD", "доллары": "USD", "doolaara": "USD", "doolarii": "USD", "dolara": "USD", "dolar": "USD", "dólar": "USD", "dólares": "USD",
	"dolares": "USD", "doolar": "USD", "doollar": "USD", "dola": "USD", "dala": "USD", "დოლარი": "USD", "დოლარს": "USD", "დოლარზე": "USD",
	"دلار": "USD", "دولار": "USD", "ډالر": "USD", "ڈالر": "USD", "دالر": "USD", "ዶላር": "USD",
	// Tether in Persian ("۹۰۰ تتر"), and the Lao dollar with its tone mark.
	"تتر": "USDT", "ໂດລ້າ": "USD",
	"डॉलर": "USD", "डालर": "USD", "डलर": "USD", "ডলার": "USD", "ডলারের": "USD", "ডলারে": "USD", "ਡਾਲਰ": "USD", "ડોલર": "USD", "ડૉલર": "USD",
	"டாலர்": "USD", "டொலர்": "USD", "డాలర్": "USD", "ಡಾಲರ್": "USD", "ഡോളർ": "USD", "ඩොලර්": "USD",
	"ドル": "USD", "米ドル": "USD", "달러": "USD", "불": "USD",
	"円": "JPY", "원": "KRW", "руб": "RUB", "руб.": "RUB", "рублей": "RUB", "рубля": "RUB", "₽": "RUB", "грн": "UAH", "грн.": "UAH", "гривень": "UAH", "тенге": "KZT", "теңге": "KZT",
	"₸": "KZT", "сом": "KGS", "so'm": "UZS", "сўм": "UZS", "сомонӣ": "TJS", "сомони": "TJS", "төгрөг": "MNT",
	"₮": "MNT", "ლარი": "GEL", "ლარს": "GEL", "₾": "GEL", "manat": "AZN", "₼": "AZN", "lira": "TRY", "tl": "TRY", "₺": "TRY",
	"ብር": "ETB", "birr": "ETB", "افغانی": "AFN", "روپے": "PKR", "روپیه": "INR",
	"रुपया": "INR", "रुपए": "INR", "रुपैया": "NPR", "টাকার": "BDT", "ਰੁਪਏ": "INR", "રૂપિયા": "INR",
	"ரூபாய்": "INR", "ரூபா": "LKR", "రూపాయ": "INR", "ರೂಪಾಯಿ": "INR", "രൂപ": "INR", "රුපියල්": "LKR",
}

// Multipliers written after a number. Some imply a currency when none is
// given: 万/w (CNY), triệu/tr (VND), juta/jt (IDR), lakh (INR).
var multipliers = map[string]struct {
	f   float64
	cur string
}{
	"k": {1e3, ""}, "千": {1e3, "CNY"}, "ribu": {1e3, "IDR"}, "rb": {1e3, "IDR"},
	"nghìn": {1e3, "VND"}, "ngàn": {1e3, "VND"}, "พัน": {1e3, "THB"},
	"w": {1e4, "CNY"}, "万": {1e4, "CNY"}, "萬": {1e4, "CNY"}, "หมื่น": {1e4, "THB"},
	"lakh": {1e5, "INR"}, "lakhs": {1e5, "INR"}, "lac": {1e5, "INR"},
	"m": {1e6, ""}, "mil": {1e6, ""}, "million": {1e6, ""},
	"triệu": {1e6, "VND"}, "trieu": {1e6, "VND"}, "tr": {1e6, "VND"}, "củ": {1e6, "VND"}, // củ: slang for triệu ("lương 20 củ")
	"juta": {1e6, "IDR"}, "jt": {1e6, "IDR"}, "ล้าน": {1e6, "THB"},
	"သိန်း": {1e5, "MMK"}, "ലക്ഷം": {1e5, "INR"}, "लाख": {1e5, "INR"},
	"লাখ": {1e5, "BDT"}, "লক্ষ": {1e5, "INR"}, "ਲੱਖ": {1e5, "INR"}, "ਲਖ": {1e5, "INR"}, "લાખ": {1e5, "INR"},
	"லட்ச": {1e5, "INR"}, "లక్ష": {1e5, "INR"}, "ಲಕ್ಷ": {1e5, "INR"}, "ලක්ෂ": {1e5, "LKR"},
	"만": {1e4, "KRW"}, "万円": {1e4, "JPY"}, "тыс": {1e3, ""}, "тыс.": {1e3, ""}, "тысяч": {1e3, ""}, "мың": {1e3, "KZT"}, "bin": {1e3, ""},
}

func sortLongestFirst(s []string) {
	// Insertion sort: the lists are small and this runs once at init.
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && (len(s[j]) > len(s[j-1]) || len(s[j]) == len(s[j-1]) && s[j] < s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Token tables for the parts of a salary statement.
var (
	prefixTab = newTokenTable(keysOf(curPrefix)...)
	suffixTab = newTokenTable(keysOf(curSuffix)...)
	multTab   = newTokenTable(keysOf(multipliers)...)
	rangeTab  = newTokenTable("-", "–", "—", "~", "～", "〜", "to", "至", "到", "đến", "den", "hingga", "sampai", "hanggang", "ถึง")
	plusTab   = newTokenTable("++", "+", "以上", "起", "trở lên", "and above", "or more", "ขึ้นไป", "above")
	// A rate: a connector then a period word ("/month", "per day", "a
	// month", "/tháng", "ต่อเดือน", "每月"), or an adverb ("monthly").
	periodConnTab = newTokenTable("/", "per", "a", "an", "each", "every", "mỗi", "một", "ต่อ", "kada", "bawat", "sa isang",
		"每个", "每", "一个", "/个", "/1", "1", "ຕໍ່", "ក្នុងមួយ", "ក្នុង១", "មួយ", "တစ်", "၁")
	periodWordTab = newTokenTable("month", "months", "mo", "mth", "mnth", "tháng", "thang", "bulan", "buwan", "เดือน", "月",
		"महिना", "mwezi", "mes", "day", "days", "ngày", "ngay", "hari", "araw", "วัน", "日", "天", "दिन", "siku", "día",
		"hour", "hours", "hr", "hrs", "h", "jam", "giờ", "oras", "ชั่วโมง", "ชม.", "ชม", "小时", "hora",
		"week", "weeks", "wk", "tuần", "minggu", "linggo", "สัปดาห์", "周", "星期", "wiki",
		"year", "years", "yr", "năm", "tahun", "taon", "ปี", "年", "año",
		"ខែ", "ថ្ងៃ", "ម៉ោង", "ເດືອນ", "ມື້", "ຊົ່ວໂມງ", "ອາທິດ", "ရက်", "နေ့", "နာရီ")
	periodAdvTab = newTokenTable("monthly", "/mo", "p.m.", "p.m", "sebulan", "bulanan", "hàng tháng", "mensual", "mensal",
		"daily", "sehari", "harian", "hàng ngày", "diario", "hourly", "weekly", "mingguan", "seminggu",
		"annually", "yearly", "per annum", "p.a.", "p. a.", "pa", "setahun",
		"ប្រចាំខែ", "ប្រចាំថ្ងៃ", "တစ်လ", "လစဉ်")
	// notPayTab: words right after a number that make it an age, a count,
	// a percentage or a measure.
	notPayTab = newTokenTable("%", "岁", "歲", "周岁", "tuổi", "tahun", "year", "years", "yrs", "yo", "y/o", "ปี", "ขวบ",
		"people", "persons", "person", "staff", "pax", "位", "名", "人", "个", "個", "次", "号", "年", "月份", "日", "cm", "kg",
		"wpm", "ឆ្នាំ", "នាក់", "နှစ်", "ဦး", "ປີ", "คน", "orang", "người", "months", "month", "days", "hours", "weeks")
)

// Keywords read in the words just before an amount.
var (
	// periodBeforeWords give the period: "月薪", "monthly salary".
	periodBeforeTab = newTokenTable("月薪", "月入", "月工资", "底薪", "保底", "月收入", "每月", "ប្រាក់ខែ", "လစာ", "ເງິນເດືອນ",
		"日薪", "日结", "日工资", "每天", "时薪", "年薪", "周薪",
		"monthly", "per month", "a month", "lương tháng", "lương cứng", "gaji bulanan", "gaji pokok", "sebulan", "per bulan",
		"เงินเดือน", "รายเดือน", "daily", "per day", "a day", "lương ngày", "gaji harian", "ค่าแรงรายวัน", "รายวัน",
		"hourly", "per hour", "an hour", "annual", "yearly", "per annum",
		// "a day" and "a month" before the amount in Thai, Lao, Khmer,
		// Burmese and Vietnamese: "วันละ 380 บาท", "ມື້ລະ 120.000 ກີບ".
		"วันละ", "เดือนละ", "ชั่วโมงละ", "ชม.ละ", "ມື້ລະ", "ເດືອນລະ", "ລາຍວັນ", "ប្រចាំថ្ងៃ", "ប្រចាំខែ",
		"နေ့စား", "တစ်ရက်", "တစ်နေ့", "တစ်လ", "လစဉ်", "công nhật")
	// payWords say the number that follows is pay.
	payTab = newTokenTable("salary", "salaries", "pay", "paid", "wage", "income", "earn", "commission", "allowance",
		"lương", "thu nhập", "gaji", "pendapatan", "upah", "sweldo", "sahod", "kita",
		"薪", "工资", "月入", "收入", "待遇", "保底", "提成",
		"เงินเดือน", "รายได้", "ค่าจ้าง", "ค่าแรง", "လစာ", "ប្រាក់ខែ", "ເງິນເດືອນ", "ຄ່າແຮງ", "ຄ່າຈ້າງ", "ប្រាក់ឈ្នួល", "လုပ်ခ", "तलब", "वेतन", "mshahara", "salario", "salário",
		"зарплата", "зп", "оклад", "заработок", "зарплатня", "maaş", "maosh", "маош", "айлық", "жалақы", "айлык", "цалин",
		"ხელფასი", "حقوق", "معاش", "راتب", "تنخواه", "ደሞዝ", "ደመወዝ", "mushahar", "albashi", "mindaa",
		"पगार", "तनख्वाह", "तनखा", "বেতন", "ਤਨਖਾਹ", "ਤਨਖ਼ਾਹ", "પગાર", "சம்பளம்", "జీతం", "ಸಂಬಳ", "ശമ്പളം",
		"වැටුප", "給料", "月給", "給与", "월급", "급여", "salaire", "sueldo")
	// ageWords make the number that follows an age.
	ageTab = newTokenTable("age", "aged", "tuổi", "usia", "umur", "edad", "idade", "年龄", "年齡", "อายุ", "उमेर", "उम्र",
		"வயது", "អាយុ", "အသက်", "ອາຍຸ", "umri")
)

// scanNumber reads an amount at text[i:]: digits of any script, with
// thousands grouped by , . ' or a space ("1,500", "12.000.000", "15 000")
// and a decimal part of one or two digits ("1.5", "1,5"). It returns the
// value and the byte after the number.
func scanNumber(text string, i int) (float64, int, bool) {
	var v float64
	j, nd := i, 0
	for j < len(text) {
		if c := text[j]; c >= '0' && c <= '9' {
			v = v*10 + float64(c-'0')
			nd++
			j++
			continue
		} else if c < utf8.RuneSelf {
			break
		}
		r, size := utf8.DecodeRuneInString(text[j:])
		d := digitValue(r)
		if d < 0 {
			break
		}
		v = v*10 + float64(d)
		nd++
		j += size
	}
	if nd == 0 || nd > 15 {
		return 0, j, false
	}
	grouped := nd <= 3
	for groups := 0; j < len(text) && groups < 5; groups++ {
		sep, size := rune(text[j]), 1
		if sep >= utf8.RuneSelf {
			sep, size = utf8.DecodeRuneInString(text[j:])
		}
		if !isNumberSep(sep) {
			break
		}
		k, n, dv := j+size, 0, 0.0
		for k < len(text) && n < 4 {
			if c := text[k]; c >= '0' && c <= '9' {
				dv = dv*10 + float64(c-'0')
				n++
				k++
				continue
			} else if c < utf8.RuneSelf {
				break
			}
			r, sz := utf8.DecodeRuneInString(text[k:])
			d := digitValue(r)
			if d < 0 {
				break
			}
			dv = dv*10 + float64(d)
			n++
			k += sz
		}
		if n == 3 && grouped {
			v = v*1000 + dv
			j = k
			continue
		}
		// Indian grouping: "1,20,000" (1.2 lakh), "12,50,000".
		if n == 2 && sep == ',' && k+1 < len(text) && text[k] == ',' && text[k+1] >= '0' && text[k+1] <= '9' {
			v = v*100 + dv
			j = k
			grouped = true
			continue
		}
		if (n == 1 || n == 2) && strings.ContainsRune(",.．", sep) {
			if n == 1 {
				dv /= 10
			} else {
				dv /= 100
			}
			v += dv
			j = k
		}
		break
	}
	return v, j, true
}

// isNumberSep reports whether scanNumber reads r between groups of digits:
// one of ",.' ，．".
func isNumberSep(r rune) bool {
	switch r {
	case ',', '.', '\'', ' ', '，', '．':
		return true
	}
	return false
}

// amount is one amount of a salary statement.
type amount struct {
	v       float64
	end     int
	mult    float64
	implied string // the currency a multiplier implies
	cur     string // a currency written after it
	hasMult bool
	numEnd  int // the byte after the number, as scanNumber returns it
}

// scanAmount reads a number, an optional multiplier and an optional currency
// after it.
func scanAmount(text string, i int) (amount, bool) {
	v, j, ok := scanNumber(text, i)
	if !ok {
		return amount{numEnd: j}, false
	}
	a := amount{v: v, end: j, mult: 1, numEnd: j}
	if k, frac, n := infixShort(text, j); n > 0 {
		mv := multipliers[k]
		a.v += frac
		a.mult, a.implied, a.hasMult = mv.f, mv.cur, true
		j += n
		a.end = j
	} else if k, n := multTab.at(text, skipSpace(text, j, 1)); n > 0 {
		mv := multipliers[k]
		a.mult, a.implied, a.hasMult = mv.f, mv.cur, true
		j = skipSpace(text, j, 1) + n
		a.end = j
	}
	if k, n := suffixTab.at(text, skipSpace(text, j, 1)); n > 0 {
		if k != "u" || j < len(text) && text[j] == 'U' { // "1000U", not "1000 u..."
			a.cur = lookupFold(curSuffix, k)
			a.end = skipSpace(text, j, 1) + n
		}
	}
	return a, true
}

// infixKeys are the multipliers that shorthand writes between an amount's
// whole part and its first decimals (see infixShort).
var infixKeys = [...]string{"k", "tr", "w", "万", "萬", "jt"}

// infixShort reads at text[i:], right after a number, the shorthand that
// writes a multiplier between the whole part and one or two decimals:
// "1k2" is 1,200, "1tr5" 1.5 million, "1w5" and "1万5" 15,000 (not "m":
// "1m55" is a height in Vietnamese ads). It returns the multiplier's key
// in multipliers, the decimals as a fraction (0.2 for "k2") and the bytes
// read, or n == 0 when there is no such shorthand.
func infixShort(text string, i int) (key string, frac float64, n int) {
	if i >= len(text) {
		return "", 0, 0
	}
	for _, k := range infixKeys {
		if len(text)-i <= len(k) || !equalFoldASCII(text[i:i+len(k)], k) {
			continue
		}
		q := i + len(k)
		d := q
		for d < len(text) && d-q < 3 && text[d] >= '0' && text[d] <= '9' {
			d++
		}
		if d == q || d-q > 2 || d < len(text) && isLatinWord(runeAt(text, d)) {
			continue
		}
		v := float64(text[q] - '0')
		if d-q == 2 {
			v = v*10 + float64(text[q+1]-'0')
		}
		return k, v / math.Pow10(d-q), d - i
	}
	return "", 0, 0
}

// lookupFold looks k up in m as given, then lower-cased.
func lookupFold(m map[string]string, k string) string {
	if k == "" {
		return "" // no table has "": skip two lookups
	}
	if c, ok := m[k]; ok {
		return c
	}
	return m[strings.ToLower(k)]
}

// Salaries returns the statements of pay in text, in order, converted to US
// dollars per month with rates (use DefaultRates, or a table from config).
//
// A number counts as pay only when something says so: a currency (symbol,
// code or word), a multiplier that implies one (万, triệu, juta), a rate
// period ("/month", "日薪"), or a pay word just before it ("Salary:",
// "lương", "gaji", "เงินเดือน"). Years, phone numbers, ages, dates,
// percentages, counts and durations ("3 months' accommodation") are not pay.
// Digits of any script are read ("១២០០ ដុល្លារ", "ＵＳＤ １，６００").
//
// Salaries uses no regular expressions: it visits each number once and
// reads the words around it from token tables.
func Salaries(text string, rates Rates) []Salary {
	// Collect on the stack, then allocate once, at the size found.
	var buf [4]Salary
	out := AppendSalaries(buf[:0], text, rates)
	if len(out) == 0 {
		return nil
	}
	return slices.Clone(out)
}

// AppendSalaries appends the salaries of Salaries(text, rates) to dst and
// returns the extended slice, so that a caller can reuse one buffer across
// texts.
func AppendSalaries(dst []Salary, text string, rates Rates) []Salary {
	text = clip(text)
	n0 := len(dst)
	sc := salaryCtx{rates: rates}
	var sal Salary
	for i := 0; i < len(text) && len(dst)-n0 < MaxResults; {
		// Find the next digit: the only place a salary can be anchored.
		if i = nextDigit(text, i); i == len(text) {
			break
		}
		floor := 0
		if len(dst) > n0 {
			floor = dst[len(dst)-1].End
		}
		end, ok := salaryAt(text, i, floor, &sc, &sal)
		if ok {
			dst = append(dst, sal)
			i = end
			continue
		}
		// Skip the rest of this number (salaryAt returns its end when it
		// has read it).
		j := end
		if j <= i {
			_, j, _ = scanNumber(text, i)
		}
		if j <= i {
			j = i + 1
		}
		i = j
	}
	return dst
}

// nextDigit returns the position of the first decimal digit (of any
// script) that starts at or after byte i of text, or len(text). Eight bytes
// are judged at a time: ASCII digits by their value, and the lead bytes of
// other characters by the bit of digitBMP they select (mayBeDigit), then
// decoded when it is set.
func nextDigit(text string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(text); i += 8 {
		w := load64(text, i)
		hi := w & highs
		x := w &^ highs
		m := (x + (0x80-'0')*ones) &^ (x + (0x80-'9'-1)*ones) & highs &^ hi
		// Lead bytes that may start a digit: D9 to E1, EA, and EF up
		// (see TestDigitLeads), told apart by their low seven bits.
		a, b := x+(0x80-0x59)*ones, x+(0x80-0x62)*ones
		c, d, e := x+(0x80-0x6A)*ones, x+(0x80-0x6B)*ones, x+(0x80-0x6F)*ones
		lead := hi & (w << 1) & (a&^b | c&^d | e)
		if i+10 > len(text) {
			// Near the end: a character may be cut short.
			for ; lead != 0; lead &= lead - 1 {
				b := bits.TrailingZeros64(lead)
				if q := i + b>>3; mayBeDigit(text, q) && isDigit(decodeDigitRune(text, q)) {
					m |= 1 << b
				}
			}
		}
		for ; lead != 0; lead &= lead - 1 {
			// mayBeDigit, written out without branches but one that is
			// rarely taken: the bit of digitBMP for a character of two
			// or three bytes, as if the bytes were valid.
			b := bits.TrailingZeros64(lead)
			q := i + b>>3
			c, b1, b2 := uint(text[q]), uint(text[q+1]&0x3F), uint(text[q+2]&0x3F)
			blk, bit := c&0x1F, b1
			if c >= 0xE0 {
				blk, bit = (c&0x0F)<<6|b1, b2
			}
			if (c >= 0xF0 || digitBMP[blk]&(1<<bit) != 0) && isDigit(decodeDigitRune(text, q)) {
				m |= 1 << b
			}
		}
		if m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	for ; i < len(text); i++ {
		if c := text[i]; c >= '0' && c <= '9' || c >= 0xC0 && mayBeDigit(text, i) && isDigit(decodeDigitRune(text, i)) {
			return i
		}
	}
	return i
}

// mayBeDigit reports whether the lead byte text[i] may start a decimal
// digit: false only when it does not. It reads the bits of digitBMP that
// the bytes from i would select if they were valid UTF-8, so it decodes
// nothing.
func mayBeDigit(text string, i int) bool {
	c := text[i]
	switch {
	case c < 0xE0:
		return i+1 >= len(text) || digitBMP[c&0x1F]&(1<<(text[i+1]&0x3F)) != 0
	case c < 0xF0:
		return i+2 >= len(text) || digitBMP[rune(c&0x0F)<<6|rune(text[i+1]&0x3F)]&(1<<(text[i+2]&0x3F)) != 0
	}
	return mayStartDigit(text, i)
}

// decodeDigitRune returns the character at text[i], or utf8.RuneError.
func decodeDigitRune(text string, i int) rune {
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}

// salaryAt reads a salary whose first number starts at byte i of text and
// that does not start before floor (the end of the previous one). It returns
// the salary, the byte after it, and whether there is one; when there is
// none, the byte after the number if it read the number, else 0. The
// salary goes to *out, which is left as it was when there is none.
func salaryAt(text string, i, floor int, sc *salaryCtx, out *Salary) (int, bool) {
	// The leading-zero test of below, first: it rejects the groups of
	// phone numbers cheaply, and a rejection is the same whichever test
	// makes it.
	if text[i] == '0' && isDigitRune(runeAt(text, i+1)) {
		return 0, false // leading zero: a phone number or an id
	}
	s := i
	prefixTok := ""
	// A currency before the number ("$", "USD ", "Rp", "RM"), or else
	// nothing glued to the number.
	if k, n := prefixTab.before(text, i); n > 0 && i-n >= floor {
		prefixTok, s = k, i-n
	} else if b := skipBack(text, i); b < i {
		if k, n := prefixTab.before(text, b); n > 0 && b-n >= floor {
			prefixTok, s = k, b-n
		}
	}
	if r := runeBefore(text, s); r >= 0 && r < utf8.RuneSelf && (isASCIIAlnum(r) || gluedBefore[r]) {
		if prefixTok == "" || isASCIIAlnum(r) || r == '_' {
			return 0, false
		}
	}
	a1, ok := scanAmount(text, i)
	if !ok {
		return a1.numEnd, false
	}
	if r, n := utf8.DecodeRuneInString(text[i:]); digitValue(r) == 0 && i+n < len(text) && isDigitRune(runeAt(text, i+n)) {
		return a1.numEnd, false // leading zero: a phone number or an id
	}
	e := a1.end
	var a2 amount
	var pc2 string
	hasRange := false
	if _, n := rangeTab.at(text, skipSpace(text, e, 1)); n > 0 {
		j := skipSpace(text, skipSpace(text, e, 1)+n, 1)
		if k2, n2 := prefixTab.at(text, j); n2 > 0 {
			pc2 = k2
			j = skipSpace(text, j+n2, 1)
		}
		if b, ok := scanAmount(text, j); ok {
			a2, hasRange = b, true
			e = b.end
		}
	}
	// Not glued to a word or a longer number after it.
	if r := runeAt(text, e); isDigitRune(r) || isLatinWord(r) && isLatinWord(runeBefore(text, e)) {
		return a1.numEnd, false
	}
	plus := false
	if k, n := plusTab.at(text, e); n > 0 && (k == "+" || k == "++" || k == "起") {
		if !(k == "+" && e+1 < len(text) && isDigitRune(runeAt(text, e+1))) {
			plus, e = true, e+n
		}
	} else if k, n := plusTab.at(text, skipSpace(text, e, 1)); n > 0 && k != "+" && k != "++" {
		plus, e = true, skipSpace(text, e, 1)+n
	}
	before := lineBeforeDigits(text, s, 64)
	// The positions of before where a key of ageTab, periodBeforeTab or
	// payTab may end, found once for the three.
	ends := beforeEnds.mask(before, 0, 8) // and 9 to 30 when needed
	endsAll := false
	if _, ok := ageTab.nearEndIn(before, 8, ends); ok {
		return a1.numEnd, false
	}
	if _, n := notPayTab.at(text, skipSpace(text, e, 1)); n > 0 {
		return a1.numEnd, false
	}
	min, max := a1.v, a1.v
	implied := a1.implied
	if hasRange {
		max = a2.v * a2.mult
		if implied == "" {
			implied = a2.implied
		}
		if !a1.hasMult && a2.hasMult && a1.v < a2.v {
			a1.mult = a2.mult // "1.2-1.5w", "15-20 triệu"
		}
	}
	min *= a1.mult
	if max <= 0 || min > 1e12 || max > 1e12 {
		return a1.numEnd, false // no one is paid that: an id or a run of digits
	}
	if !hasRange {
		max = min
	} else if max < min {
		return a1.numEnd, false // "10-3": not a range of pay
	}
	cur := ""
	for _, c := range []string{lookupFold(curPrefix, prefixTok), a1.cur, lookupFold(curPrefix, pc2), a2.cur} {
		if c != "" && cur == "" {
			cur = c
		}
	}
	period, rate := "", false
	if p, n := periodAt(text, e); n > 0 {
		period, rate, e = p, true, e+n
	}
	if period == "" {
		ends, endsAll = ends|beforeEnds.mask(before, 9, 30), true
		if k, ok := periodBeforeTab.nearEndIn(before, 30, ends); ok {
			period = periodOf(k)
			rate = period != ""
		}
	}
	if cur == "" {
		cur = implied
	}
	if cur == "Rs" {
		if sc.lower == "" {
			sc.lower = strings.ToLower(text)
		}
		cur = rsCurrency(sc.lower)
	}
	// A pay word before the amount matters only to the two checks below
	// that read ctx: look for one only when they will.
	ctx := false
	if !rate && (cur == "" || cur == "CNY" && implied == "CNY" && prefixTok == "" && a1.cur == "" && a2.cur == "") {
		if !endsAll {
			ends = ends | beforeEnds.mask(before, 9, 30)
		}
		_, ctx = payTab.nearEndIn(before, 24, ends)
	}
	// Without a currency, a bare number needs a pay word or a rate, and
	// must be big enough to be pay.
	if cur == "" && !rate && !ctx {
		return a1.numEnd, false
	}
	if cur == "" && implied == "" && max < 10 {
		return a1.numEnd, false
	}
	if cur == "CNY" && implied == "CNY" && prefixTok == "" && a1.cur == "" && a2.cur == "" && !ctx && !rate {
		// "3万" with no pay word: only when not followed by a Han noun ("3万人").
		if r := runeAt(text, e); r > 0x2E80 && !strings.ContainsRune("元块起以+", r) {
			return a1.numEnd, false
		}
	}
	*out = Salary{Span: Span{s, e}, Text: text[s:e], Min: min, Max: max, Currency: cur, Period: period, Plus: plus}
	if r, ok := sc.rate(cur); ok && cur != "" {
		f := 1.0
		if period != "" {
			f = periodPerMonth[period]
		}
		out.USDPerMonth = round2((min + max) / 2 * r * f)
	}
	return e, true
}

// salaryCtx is what salaryAt keeps across the amounts of one text.
type salaryCtx struct {
	rates Rates
	// lower is the text in lower case, made when "Rs" needs it.
	lower string
	// cur, r and ok are the last currency looked up in rates and what
	// the lookup gave: a text states most of its pay in one currency.
	cur    string
	r      float64
	ok     bool
	cached bool
}

// rate returns rates[cur] and whether cur is in rates.
func (c *salaryCtx) rate(cur string) (float64, bool) {
	if !c.cached || cur != c.cur {
		c.r, c.ok = c.rates[cur]
		c.cur, c.cached = cur, true
	}
	return c.r, c.ok
}

// beforeEnds is the union of the tables that salaryAt looks for just
// before an amount.
var beforeEnds = newTailUnion(ageTab, periodBeforeTab, payTab)

// lineBeforeDigits is afterDigits(lineBefore(text, i, n)) in one
// backward pass: up to n bytes before byte i, after the last line break and
// the last ASCII digit, starting on a rune boundary.
func lineBeforeDigits(text string, i, n int) string {
	s := max(i-n, 0)
	for s < i && !utf8.RuneStart(text[s]) {
		s++
	}
	j := i
	for ; j-8 >= s; j -= 8 {
		// Eight bytes at a time: the last that is a line break or a digit.
		const ones, highs = 0x0101010101010101, 0x8080808080808080
		w := load64(text, j-8)
		x := w &^ highs
		digit := (x + (0x80-'0')*ones) &^ (x + (0x80-'9'-1)*ones)
		nl := ^(x ^ '\n'*ones + 0x7F*ones)
		if m := (digit | nl) & highs &^ (w & highs); m != 0 {
			return text[j-8+(63-bits.LeadingZeros64(m))>>3+1 : i]
		}
	}
	for j--; j >= s; j-- {
		if c := text[j]; c == '\n' || c >= '0' && c <= '9' {
			return text[j+1 : i]
		}
	}
	return text[s:i]
}

// gluedBefore marks the ASCII punctuation that glues a number to what is
// before it (see salaryAt).
var gluedBefore = func() (t [utf8.RuneSelf]bool) {
	for _, c := range "+_.,@#/\\&=-" {
		t[c] = true
	}
	return t
}()

// skipBack returns i moved back over one space or tab.
func skipBack(text string, i int) int {
	if i > 0 && (text[i-1] == ' ' || text[i-1] == '\t') {
		return i - 1
	}
	return i
}

// periodAt reads a rate period right after an amount at text[e:] ("/month",
// " per day", " monthly", "/tháng", "ต่อเดือน", "每月"); it returns the
// period and the bytes read, or "" and 0.
func periodAt(text string, e int) (string, int) {
	j := skipSpace(text, e, 2)
	if k, n := periodAdvTab.at(text, j); n > 0 {
		return periodOf(k), j + n - e
	}
	if _, n := periodConnTab.at(text, j); n > 0 {
		j2 := skipSpace(text, j+n, 1)
		if k, n2 := periodWordTab.at(text, j2); n2 > 0 {
			return periodOf(k), j2 + n2 - e
		}
	}
	return "", 0
}

func round2(f float64) float64 {
	return float64(int64(f*100+0.5)) / 100
}

// rsCurrency resolves "Rs" and "rupees": NPR when the text names Nepal, LKR
// when it names Sri Lanka, otherwise INR.
func rsCurrency(lower string) string {
	switch {
	case strings.Contains(lower, "nepal") || strings.Contains(lower, "नेपाल") || strings.Contains(lower, "npr"):
		return "NPR"
	case strings.Contains(lower, "sri lanka") || strings.Contains(lower, "srilanka") || strings.Contains(lower, "ශ්‍රී") || strings.Contains(lower, "lkr"):
		return "LKR"
	}
	return "INR"
}

// periodOf maps a period word or phrase to hour, day, week, month or year.
func periodOf(w string) string {
	w = strings.ToLower(strings.TrimSpace(w))
	if p, ok := periodWords[w]; ok {
		return p
	}
	w = strings.TrimRight(w, ".s")
	return periodWords[w]
}

var periodWords = func() map[string]string {
	m := map[string]string{}
	for p, ws := range map[string][]string{
		"month": {"month", "mo", "mth", "mnth", "tháng", "thang", "bulan", "buwan", "เดือน", "月", "महिना", "mwezi", "mes",
			"monthly", "/mo", "p.m", "pm", "sebulan", "bulanan", "hàng tháng", "mensual", "mensal",
			"月薪", "月入", "月工资", "底薪", "保底", "月收入", "每月", "per month", "a month", "lương tháng", "lương cứng",
			"gaji bulanan", "gaji pokok", "per bulan", "เงินเดือน", "รายเดือน", "ប្រាក់ខែ", "လစာ", "ເງິນເດືອນ",
			"ខែ", "ເດືອນ", "ប្រចាំខែ", "တစ်လ", "လစဉ်", "เดือนละ", "ເດືອນລະ"},
		"day": {"day", "ngày", "ngay", "hari", "araw", "วัน", "日", "天", "दिन", "siku", "día", "daily", "sehari", "harian",
			"hàng ngày", "diario", "日薪", "日结", "日工资", "每天", "per day", "a day", "lương ngày", "gaji harian", "ค่าแรงรายวัน", "รายวัน",
			"ថ្ងៃ", "ມື້", "ရက်", "နေ့", "ប្រចាំថ្ងៃ", "วันละ", "ມື້ລະ", "ລາຍວັນ", "နေ့စား", "တစ်ရက်", "တစ်နေ့", "công nhật"},
		"hour": {"hour", "hr", "h", "jam", "giờ", "oras", "ชั่วโมง", "ชม", "小时", "hora", "hourly", "时薪", "per hour", "an hour",
			"ម៉ោង", "ຊົ່ວໂມງ", "နာရီ", "ชั่วโมงละ", "ชม.ละ"},
		"week": {"week", "wk", "tuần", "minggu", "linggo", "สัปดาห์", "周", "星期", "wiki", "weekly", "mingguan", "周薪", "ອາທິດ"},
		"year": {"year", "yr", "năm", "tahun", "taon", "ปี", "年", "año", "annually", "yearly", "per annum", "p.a", "pa", "p. a",
			"setahun", "annual", "年薪"},
	} {
		for _, w := range ws {
			m[w] = p
		}
	}
	return m
}()

// digitBMP is the set of decimal digits of the Basic Multilingual Plane as
// bits, and digitStarts the bytes that may start a digit: ASCII digits and
// the first bytes of UTF-8 sequences that may encode one. They let Salaries
// skip letters without decoding them and read digits without searching
// unicode's tables.
var digitBMP, digitStarts = func() (set [0x10000 / 64]uint64, starts [256]bool) {
	for c := '0'; c <= '9'; c++ {
		starts[c] = true
	}
	var buf [utf8.UTFMax]byte
	for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
		if !unicode.IsDigit(r) {
			continue
		}
		if r < 0x10000 {
			set[r>>6] |= 1 << (r & 63)
		}
		utf8.EncodeRune(buf[:], r)
		starts[buf[0]] = true
	}
	return set, starts
}()

// isDigit is unicode.IsDigit, with digitBMP for the Basic Multilingual Plane.
func isDigit(r rune) bool {
	if r >= 0 && r < 0x10000 {
		return digitBMP[r>>6]&(1<<(r&63)) != 0
	}
	return unicode.IsDigit(r)
}

// mayStartDigit reports whether the non-ASCII byte text[i] may start a
// decimal digit. When it reports false, no digit starts at i: text[i] is a
// continuation byte, invalid, or starts a character in a block of 64 of the
// Basic Multilingual Plane that holds no digit.
func mayStartDigit(text string, i int) bool {
	c := text[i]
	if !digitStarts[c] {
		return false
	}
	switch {
	case c < 0xE0:
		return digitBMP[c&0x1F] != 0
	case c < 0xF0 && i+1 < len(text):
		return digitBMP[rune(c&0x0F)<<6|rune(text[i+1]&0x3F)] != 0
	}
	return true
}

// digitValue returns the value of a decimal digit in any script (ASCII,
// Thai, Khmer, Lao, Myanmar, Devanagari, full-width, ...), or -1.
func digitValue(r rune) int {
	if r >= '0' && r <= '9' {
		return int(r - '0')
	}
	if r < 0x80 || !isDigit(r) {
		return -1
	}
	// Decimal digits come in runs that start at a multiple of ten from the
	// run's first digit; find the run's start.
	base := r
	for k := 0; k < 64 && isDigit(base-1); k++ {
		base--
	}
	return int(r-base) % 10
}
