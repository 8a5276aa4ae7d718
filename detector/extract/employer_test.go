package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var employerCases = []struct {
	in   string
	want string // "" for none
}{
	{"Employer: Formosa Circuits Co., Ltd. (verified job order)", "Formosa Circuits Co., Ltd."},
	{"Agency: Bituin Overseas (DMW License No. 000-LB-000000-R)\nEmployer: Formosa Circuits Co., Ltd.", "Formosa Circuits Co., Ltd."},
	{"Agency: Bituin Overseas (DMW License No. 000-LB-000000-R)", "Bituin Overseas"},
	{"Company: Blue Lotus Trading", "Blue Lotus Trading"},
	{"Company name: Fictional Harbour Logistics. Apply now", "Fictional Harbour Logistics"},
	{"Company: confidential", ""},
	{"Ocean Pearl Hospitality Co., Ltd. is hiring", "Ocean Pearl Hospitality Co., Ltd."},
	{"Join Lion City Fictional Pte Ltd in Singapore", "Lion City Fictional Pte Ltd"},
	{"Kedai Fictional Maju Sdn Bhd perlukan juruwang", "Kedai Fictional Maju Sdn Bhd"},
	{"Acme Fictional Inc. is hiring", "Acme Fictional Inc."},
	{"PT Logistik Nusantara membuka lowongan", "PT Logistik Nusantara"},
	{"Công ty TNHH Phần mềm Sông Hồng tuyển kỹ sư", "Công ty TNHH Phần mềm Sông Hồng"},
	{"บริษัท ล้านนาค้าปลีก จำกัด รับสมัคร", "บริษัท ล้านนาค้าปลีก จำกัด"},
	{"杭州某电商有限公司招聘客服", "杭州某电商有限公司"},
	{"公司：金边某某科技", "金边某某科技"},
	{"Employer: Liffeyside Fictional Services Ltd, 00 Example Quay, Dublin", "Liffeyside Fictional Services Ltd"},
	{"Housekeeping\nAnchorfell Fictional Services Pvt Ltd", "Anchorfell Fictional Services Pvt Ltd"},
	{"CÔNG TY CP HỢP TÁC LAO ĐỘNG BÌNH MINH tuyển", "CÔNG TY CP HỢP TÁC LAO ĐỘNG BÌNH MINH"},
	// None named.
	{"Employer: a licensed security services company in Dubai", ""},
	{"Send CV and CNIC to HR", ""},
	{"PT Staff needed, apply now", ""},
	{"làm cho công ty bên Poipet", ""},
	{"Earn $50-$200 daily. Message @task_fictional_06. Limited slots today!", ""},
	{"护照由公司保管", ""},
	{"Our company offers free visa", ""},
	{"", ""},
}

func TestEmployer(t *testing.T) {
	tests := employerCases
	for _, tt := range tests {
		name, span, ok := Employer(tt.in)
		if ok != (tt.want != "") || name != tt.want {
			t.Errorf("Employer(%q) = %q, %v, want %q", tt.in, name, ok, tt.want)
			continue
		}
		if ok {
			checkSpan(t, tt.in, span, name)
		}
	}
}

func TestIndexColon(t *testing.T) {
	for _, s := range []string{"", "abc", "a:b", "公司：X", "x\xef\xbc", "\xef\xbc\x9a:", "ab：c:d", "\xef\xbd\x9a:"} {
		want := strings.IndexAny(s, ":：")
		wantLen := 0
		if want >= 0 {
			_, wantLen = utf8.DecodeRuneInString(s[want:])
		}
		if got, n := indexColon(s); got != want || n != wantLen {
			t.Errorf("indexColon(%q) = %d, %d; want %d, %d", s, got, n, want, wantLen)
		}
	}
}
