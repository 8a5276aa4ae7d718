package detector_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector"
)

// salaryRules is an engine-test rules file: pay counts only for a low-skill
// role, never when a licence is named, and one category alone is low.
const salaryRules = `version: "salary-1"
levels:
  low: {min_score: 5, min_categories: 1}
  medium: {min_score: 20, min_categories: 2}
  high: {min_score: 60, min_categories: 3}
  critical: {min_score: 90, min_categories: 4}
rates: {THB: 0.03}
categories:
  - {id: role, cap: 10, description: "low-skill role"}
  - {id: pay, cap: 15, description: "pay"}
  - {id: licence, effect: lower, cap: 20, description: "licensed"}
indicators:
  - id: role.cs
    category: role
    weight: 10
    phrases: {en: [customer service, typist]}
  - id: pay.high_for_role
    category: pay
    weight: 15
    salary: {min_usd_per_month: 900, with_any: [role], unless_any: [licence]}
  - id: legit.licence
    category: licence
    weight: 20
    phrases: {en: [licence no]}
`

func TestSalaryJudgedAgainstRole(t *testing.T) {
	d, err := detector.Load("salary.yaml", []byte(salaryRules))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
		want       bool // pay.high_for_role fires
	}{
		{"low-skill role, high pay", "Customer service staff wanted, $1,500/month.", true},
		{"low-skill role, pay in baht via the rules' rate", "Typist, 40,000 baht per month.", true},
		{"low-skill role, ordinary pay", "Customer service staff wanted, $400/month.", false},
		{"senior role, high pay", "Senior backend engineer, $9,000/month.", false},
		{"licensed recruitment", "Customer service, $1,500/month. Licence no 000-000.", false},
		{"pay in a yearly figure under the bar", "Customer service, USD 9,000 per year.", false},
		// A numbered list of jobs, each with its pay: the pay counts with
		// the cues of its own item, so the cook's is not the typist's.
		{"list of jobs, the high pay another job's", "We are hiring:\n1. Head cook, $1,200/month\n2. Typist, $450/month", false},
		{"list of jobs, the high pay the typist's", "We are hiring:\n1. Head cook, $600/month\n2. Typist, $1,200/month", true},
		{"one offer's points, not a list of jobs", "Typist wanted.\n1. Salary $1,200/month\n2. Bonus $300", true},
		{"a number that starts a line is not an item", "Typist wanted.\n1.200$ a month\n2) Trainee typist, 450$ a month", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as := d.Assess(&lurewatch.Ad{Text: tt.text})
			var got *lurewatch.Indicator
			for i := range as.Indicators {
				if as.Indicators[i].ID == "pay.high_for_role" {
					got = &as.Indicators[i]
				}
			}
			if (got != nil) != tt.want {
				t.Fatalf("pay.high_for_role fired = %v, want %v (%s)", got != nil, tt.want, as.Summary)
			}
			if got == nil {
				return
			}
			for _, ev := range got.Evidence {
				if tt.text[ev.Start:ev.End] != ev.Snippet || !strings.ContainsAny(ev.Snippet, "0123456789") {
					t.Errorf("evidence %+v does not point at the pay in the text", ev)
				}
			}
			if !as.Level.Flagged() {
				t.Errorf("role + high pay: level %v, want medium or above", as.Level)
			}
		})
	}
}

// Pay quoted in a warning ("they promised “$1,500 a month”") is not the
// ad's own offer: with a muting category matched it does not count.
func TestQuotedSalaryIsMutedInWarnings(t *testing.T) {
	d := loadShipped(t)
	text := "WARNING from a fictional NGO: fake recruiters promise “customer service in Myawaddy, $1,500 a month, no experience” " +
		"and then keep your passport. Do not apply; call the hotline if someone you know was recruited."
	as := d.Assess(&lurewatch.Ad{Text: text})
	if as.Level.Flagged() {
		t.Errorf("warning post flagged: %s", as.Summary)
	}
	for _, ind := range as.Indicators {
		if ind.ID == "pay.far_above_role" {
			t.Errorf("quoted pay counted in a warning: %+v", ind)
		}
	}
}

func TestFlaggedAdsDescribeLanguagePlacesAndPay(t *testing.T) {
	d := loadShipped(t)
	ad := &lurewatch.Ad{Title: "Customer service – Sihanoukville",
		Text: "Employer: Fictional Star Co., Ltd. Customer service staff in Sihanoukville, Cambodia. Salary $1,500/month, " +
			"no experience needed, free flight and visa. Telegram @hr_fictional_55"}
	as := d.Assess(ad)
	if !as.Level.Flagged() {
		t.Fatalf("lure not flagged: %s", as.Summary)
	}
	if as.Lang != "en" {
		t.Errorf("Lang = %q, want en", as.Lang)
	}
	kinds := map[string][]string{}
	for _, e := range as.Entities {
		kinds[e.Kind] = append(kinds[e.Kind], e.Value)
		f := map[string]string{"title": ad.Title, "text": ad.Text}[e.Evidence.Field]
		if f[e.Evidence.Start:e.Evidence.End] != e.Evidence.Snippet {
			t.Errorf("entity %+v: evidence does not point into the ad", e)
		}
	}
	if len(kinds[detector.EntityPlace]) == 0 || len(kinds[detector.EntitySalary]) == 0 || len(kinds[detector.EntityEmployer]) == 0 {
		t.Errorf("entities %v lack a place, a salary or the employer", kinds)
	}
	if !slices.ContainsFunc(kinds[detector.EntitySalary], func(v string) bool { return strings.Contains(v, "≈ 1500 USD/month") }) {
		t.Errorf("salary entities %v lack the USD per month", kinds[detector.EntitySalary])
	}
	honest := d.Assess(&lurewatch.Ad{Text: "Barista wanted at a cafe in Leeds. Apply with your CV."})
	if len(honest.Entities) != 0 {
		t.Errorf("an ad with no lure cue was described: %+v", honest.Entities)
	}
}
