package extract

import (
	"strings"
	"testing"
)

var placeCases = []struct {
	in   string
	want []string // "text=id"
}{
	{"Online support staff wanted in Sihanoukville", []string{"Sihanoukville=sihanoukville"}},
	{"work in SIHANOUKVILLE now", []string{"SIHANOUKVILLE=sihanoukville"}},
	{"Preah Sihanouk province", []string{"Preah Sihanouk=sihanoukville"}},
	{"西港高薪招聘", []string{"西港=sihanoukville"}},
	{"西哈努克港客服", []string{"西哈努克港=sihanoukville"}},
	{"SHV office, fly now", []string{"SHV=sihanoukville"}},
	{"shv is not an abbreviation in lower case", nil},
	{"ការងារនៅក្រុងព្រះសីហនុ", []string{"ក្រុងព្រះសីហនុ=sihanoukville"}},
	{"งานที่สีหนุวิลล์", []string{"สีหนุวิลล์=sihanoukville"}},
	{"Office in Phnom Penh, Cambodia", []string{"Phnom Penh=phnom_penh", "Cambodia=cambodia"}},
	{"金边客服", []string{"金边=phnom_penh"}},
	{"ភ្នំពេញ", []string{"ភ្នំពេញ=phnom_penh"}},
	{"Myawaddy border office", []string{"Myawaddy=myawaddy"}},
	{"妙瓦底园区", []string{"妙瓦底=myawaddy"}},
	{"မြဝတီ အလုပ်", []string{"မြဝတီ=myawaddy"}},
	{"KK Park compound", []string{"KK Park=kk_park"}},
	{"KK园区招聘", []string{"KK园区=kk_park"}},
	{"Shwe Kokko new city", []string{"Shwe Kokko=shwe_kokko"}},
	{"亚太新城", []string{"亚太新城=shwe_kokko"}},
	{"Golden Triangle SEZ, Laos", []string{"Golden Triangle SEZ=golden_triangle", "Laos=laos"}},
	{"金三角特区", []string{"金三角=golden_triangle"}},
	{"สามเหลี่ยมทองคำ", []string{"สามเหลี่ยมทองคำ=golden_triangle"}},
	{"Bavet casino", []string{"Bavet=bavet"}},
	{"Poipet, Campuchia", []string{"Poipet=poipet", "Campuchia=cambodia"}},
	{"波贝", []string{"波贝=poipet"}},
	{"Tachileik / 大其力 / ท่าขี้เหล็ก", []string{"Tachileik=tachileik", "大其力=tachileik", "ท่าขี้เหล็ก=tachileik"}},
	{"Bokeo province", []string{"Bokeo=bokeo"}},
	{"ບໍ່ແກ້ວ", []string{"ບໍ່ແກ້ວ=bokeo"}},
	{"meet at Mae Sot", []string{"Mae Sot=mae_sot"}},
	{"แม่สอด", []string{"แม่สอด=mae_sot"}},
	{"果敢老街", []string{"果敢=laukkaing"}},
	{"Kings Romans casino", []string{"Kings Romans=kings_romans"}},
	{"O'Smach border", []string{"O'Smach=o_smach"}},
	{"Koh Kong, Chrey Thom", []string{"Koh Kong=koh_kong", "Chrey Thom=chrey_thom"}},
	{"Transit via Dubai", []string{"Dubai=dubai"}},
	{"柬埔寨、缅甸、老挝", []string{"柬埔寨=cambodia", "缅甸=myanmar", "老挝=laos"}},
	{"Kamboja dan Myanmar", []string{"Kamboja=cambodia", "Myanmar=myanmar"}},
	{"làm việc tại Lào và Miến Điện", []string{"Lào=laos", "Miến Điện=myanmar"}},
	{"Burma", []string{"Burma=myanmar"}},
	{"ไปทำงานกัมพูชา", []string{"กัมพูชา=cambodia"}},
	{"Thái Lan, Malaysia, Việt Nam", []string{"Thái Lan=thailand", "Malaysia=malaysia", "Việt Nam=vietnam"}},
	// Word boundaries for spaced scripts.
	{"Laoshan tea", nil},
	{"the Myanmarese", nil},
	{"unBurma", nil},
	{"lao động xuất khẩu", nil},
	{"KK Parkway", nil},
}

func TestPlaces(t *testing.T) {
	tests := placeCases
	for _, tt := range tests {
		got := Places(tt.in)
		var gs []string
		for _, p := range got {
			gs = append(gs, p.Text+"="+p.ID)
			checkSpan(t, tt.in, p.Span, p.Text)
			if p.Name == "" || p.Country == "" || p.Kind == "" {
				t.Errorf("Places(%q): incomplete %+v", tt.in, p)
			}
		}
		if strings.Join(gs, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Places(%q) = %v, want %v", tt.in, gs, tt.want)
		}
	}
}

func TestPlaceKinds(t *testing.T) {
	got := Places("Fly to Bangkok, then Mae Sot, work in Myawaddy, Myanmar")
	want := []string{PlaceTransit, PlaceTransit, PlaceHotspot, PlaceCountry}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i, p := range got {
		if p.Kind != want[i] {
			t.Errorf("%s: kind %s, want %s", p.Text, p.Kind, want[i])
		}
	}
	if got[2].Country != "MM" || got[2].Name != "Myawaddy" {
		t.Errorf("Myawaddy: %+v", got[2])
	}
}
