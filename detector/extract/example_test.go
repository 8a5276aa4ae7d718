package extract_test

import (
	"fmt"

	"github.com/lurewatch/lurewatch/detector/extract"
)

func ExampleSalaries() {
	ad := "Salary $1,300/month + bonus. 底薪1.2w + 提成. Lương 15-20 triệu/tháng. Age 18-35."
	for _, s := range extract.Salaries(ad, extract.DefaultRates()) {
		fmt.Printf("%q %s %.0f-%.0f %s ≈ $%.0f/month\n", s.Text, s.Currency, s.Min, s.Max, s.Period, s.USDPerMonth)
	}
	// Output:
	// "$1,300/month" USD 1300-1300 month ≈ $1300/month
	// "1.2w" CNY 12000-12000 month ≈ $1680/month
	// "15-20 triệu/tháng" VND 15000000-20000000 month ≈ $682/month
}

func ExamplePlaces() {
	for _, p := range extract.Places("Fly to Bangkok, then 妙瓦底 (Myawaddy), Myanmar") {
		fmt.Println(p.Text, p.ID, p.Country, p.Kind)
	}
	// Output:
	// Bangkok bangkok TH transit
	// 妙瓦底 myawaddy MM hotspot
	// Myawaddy myawaddy MM hotspot
	// Myanmar myanmar MM country
}

func ExampleContacts() {
	ad := "DM Telegram @hr_fictional_01 or WhatsApp +855 10 000 007, mail hr@example.com"
	for _, c := range extract.Contacts(ad, "") {
		fmt.Printf("%s %s %q\n", c.Kind, c.Value, c.Country)
	}
	// Output:
	// telegram @hr_fictional_01 ""
	// whatsapp +85510000007 "KH"
	// email hr@example.com ""
}

func ExampleEmployer() {
	name, span, ok := extract.Employer("Employer: Formosa Circuits Co., Ltd. (verified job order)")
	fmt.Println(name, span.Start, span.End, ok)
	// Output:
	// Formosa Circuits Co., Ltd. 10 36 true
}

func ExampleLanguage() {
	fmt.Println(extract.Language("TUYỂN GẤP CSKH làm tại Poipet, Lương 18 triệu"))
	fmt.Println(extract.Language("รับสมัครพนักงาน เงินเดือน 35,000 บาท"))
	// Output:
	// vi
	// th
}
