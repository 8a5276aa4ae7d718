package extract

import (
	"fmt"
	"strings"
	"testing"
)

var contactCases = []struct {
	in     string
	region string
	want   []string // "kind:value:country"
}{
	{"DM Telegram @hr_fictional_01 or t.me/fictional_jobs_01", "",
		[]string{"telegram:@hr_fictional_01:", "telegram:@fictional_jobs_01:"}},
	{"telegram: hr_fictional_07", "", []string{"telegram:@hr_fictional_07:"}},
	{"TG: @HR_Fictional_07", "", []string{"telegram:@hr_fictional_07:"}},
	{"https://t.me/fictional_jobs_02.", "", []string{"telegram:@fictional_jobs_02:"}},
	{"telegram.me/fictional_jobs_03", "", []string{"telegram:@fictional_jobs_03:"}},
	{"join t.me/+AbCdEfictional", "", []string{"telegram:t.me/+AbCdEfictional:"}},
	{"飞机：@hr_fictional_02", "", []string{"telegram:@hr_fictional_02:"}},
	{"纸飞机 hr_fictional_08", "", []string{"telegram:@hr_fictional_08:"}},
	{"Contact us on Telegram for details", "", nil},
	{"wa.me/85510000007", "", []string{"whatsapp:+85510000007:KH"}},
	{"https://api.whatsapp.com/send?phone=66800000107", "", []string{"whatsapp:+66800000107:TH"}},
	{"WhatsApp +855 10 000 007", "", []string{"whatsapp:+85510000007:KH"}},
	{"WA: +66 80 000 0107", "", []string{"whatsapp:+66800000107:TH"}},
	{"WhatsApp +254 700 000 900", "", []string{"whatsapp:+254700000900:KE"}},
	{"Hubungi WhatsApp 0812 0000 0107", "ID", []string{"whatsapp:+6281200000107:ID"}},
	{"Call +63 917 000 0107 now", "", []string{"phone:+639170000107:PH"}},
	{"Tel: 081 000 0107", "TH", []string{"phone:+66810000107:TH"}},
	{"โทร 081 000 0107", "", []string{"phone:+66810000107:TH"}},
	{"phone 0300-0000900", "", []string{"phone:03000000900:"}},
	{"+977 980 000 0107", "", []string{"phone:+9779800000107:NP"}},
	{"line id: fictional_th_01", "", []string{"line:fictional_th_01:"}},
	{"ไลน์ @fictional_th_02", "", []string{"line:@fictional_th_02:"}},
	{"https://line.me/ti/p/~fictional_th_03", "", []string{"line:fictional_th_03:"}},
	{"add LINE: @fictional_th_04 today", "", []string{"line:@fictional_th_04:"}},
	{"微信: wx_fictional_09", "", []string{"wechat:wx_fictional_09:"}},
	{"wechat: Fictional_WX10", "", []string{"wechat:fictional_wx10:"}},
	{"vx: fictional11", "", []string{"wechat:fictional11:"}},
	{"V信 fictional_12", "", []string{"wechat:fictional_12:"}},
	{"Zalo 090 000 0900", "", []string{"zalo:+84900000900:VN"}},
	{"zalo: 0900000107", "", []string{"zalo:+84900000107:VN"}},
	{"QQ: 12345678", "", []string{"qq:12345678:"}},
	{"QQ号 100000107", "", []string{"qq:100000107:"}},
	{"mail hr.fictional@example.com please", "", []string{"email:hr.fictional@example.com:"}},
	{"HR@Example.ORG", "", []string{"email:hr@example.org:"}},
	{"see https://jobs.example.com/apply?id=7", "", []string{"url:jobs.example.com/apply?id=7:"}},
	{"www.example.net", "", []string{"url:example.net:"}},
	{"B.Com graduates, e.g. accounting", "", nil},
	{"@fictional_mwd_04 for info", "", []string{"telegram:@fictional_mwd_04:"}},
	{"Viber: +95 9 000 000 107", "", []string{"viber:+959000000107:"}},
	{"Tel. (+66) 80 000 0107", "", []string{"phone:+66800000107:TH"}},
	{"Line@ fictional_th_09", "", []string{"line:fictional_th_09:"}},
	{"zalo.me/0900000107", "", []string{"zalo:+84900000107:VN"}},
	{"https://line.me/R/ti/p/@fictional_oa", "", []string{"line:@fictional_oa:"}},
	{"t.me/s/fictional_ch", "", []string{"telegram:@fictional_ch:"}},
	{"Telegram: https://t.me/joinchat/AbCfictional", "", []string{"telegram:t.me/joinchat/AbCfictional:"}},
	{"mail: hr_fictional@example.co.th", "", []string{"email:hr_fictional@example.co.th:"}},
	// A URL's path is not a handle.
	{"see https://example.com/@fictional_user now", "", []string{"url:example.com/@fictional_user:"}},
	// Not contacts.
	{"Salary $1,500 per month, age 18-35", "", nil},
	{"Founded 2026, 1500 staff", "", nil},
	{"Interview on 15.11.2026", "", nil},
	{"Rp 12.000.000 per bulan", "ID", nil},
	{"email local part not a handle: someone@example.com", "", []string{"email:someone@example.com:"}},
	{"wait for the line to open", "", nil},
	{"Message us on Telegram. Hello everyone", "", nil},
}

// All numbers and handles below are fictional. Phone numbers use runs of
// zeros in the subscriber part (+855 10 000 007, +66 80 000 0107) that
// phonenumbers accepts as valid for the country's mobile ranges but that are
// not, to our knowledge, assigned to anyone.
func TestContacts(t *testing.T) {
	tests := contactCases
	for _, tt := range tests {
		got := Contacts(tt.in, tt.region)
		var gs []string
		for _, c := range got {
			gs = append(gs, fmt.Sprintf("%s:%s:%s", c.Kind, c.Value, c.Country))
			checkSpan(t, tt.in, c.Span, c.Text)
		}
		if strings.Join(gs, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Contacts(%q, %q) = %q, want %q", tt.in, tt.region, gs, tt.want)
		}
	}
}

func TestContactsRegionFromLanguage(t *testing.T) {
	// A Vietnamese ad: a number without +84 is read as Vietnamese.
	got := Contacts("Tuyển gấp nhân viên, liên hệ 090 000 0107 để được tư vấn", "")
	if len(got) != 1 || got[0].Value != "+84900000107" || got[0].Country != "VN" {
		t.Errorf("got %+v", got)
	}
	// A Turkish ad: read as Turkish (Language knows Turkish by its stop
	// words and letters).
	got = Contacts("Yurtdışı iş, maaş çok iyi ve konaklama ücretsiz. Başvuru için: 0532 000 01 07", "")
	if len(got) != 1 || got[0].Value != "+905320000107" || got[0].Country != "TR" {
		t.Errorf("Turkish ad: got %+v", got)
	}
	// No region and nothing to imply one: digits only, no country.
	got = Contacts("Call 0900000107", "")
	if len(got) != 1 || got[0].Value != "0900000107" || got[0].Country != "" {
		t.Errorf("got %+v", got)
	}
}
