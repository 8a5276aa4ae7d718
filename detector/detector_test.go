package detector_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector"
)

const rulesPath = "../configs/rules/lures.yaml"

func loadShipped(t testing.TB) *detector.Detector {
	t.Helper()
	data, err := os.ReadFile(rulesPath)
	if err != nil {
		t.Fatal(err)
	}
	d, err := detector.Load("lures.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// small is a rules file for engine tests, independent of the shipped rules.
const small = `version: "small-1"
` + smallLevels + `categories:
  - {id: visa, cap: 100}
  - {id: place, cap: 100}
  - {id: pay, cap: 100}
  - {id: legit, effect: lower, cap: 50}
  - {id: warning, effect: lower, cap: 50, mutes_quoted: true}
indicators:
  - {id: visa.word, category: visa, weight: 100, phrases: {en: [visa]}}
  - {id: visa.kk, category: visa, weight: 10, phrases: {en: [kk]}}
  - {id: place.shv, category: place, weight: 20, phrases: {zh: [西港], th: [สีหนุวิลล์], en: [sihanoukville]}}
  - {id: place.suffix, category: place, weight: 5, phrases: {en: ["vill"]}}
  - {id: pay.usd, category: pay, weight: 15, patterns: ['(?:^|\s)(?P<m>\$[0-9]{4})\b']}
  - {id: legit.licence, category: legit, weight: 20, phrases: {en: [licence no]}}
  - {id: warn, category: warning, weight: 5, phrases: {en: [beware]}}
  - {id: place.stem, category: place, weight: 5, phrases: {uk: ['таїланд*'], ar: ['*تايلاند']}}
`

func loadSmall(t testing.TB) *detector.Detector {
	t.Helper()
	return loadRules(t, "small.yaml", small)
}

// loadRules loads rules, named name, or fails the test.
func loadRules(t testing.TB, name, rules string) *detector.Detector {
	t.Helper()
	d, err := detector.Load(name, []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func ids(a lurewatch.Assessment) []string {
	var out []string
	for _, ind := range a.Indicators {
		out = append(out, ind.ID)
	}
	slices.Sort(out)
	return out
}

func TestWordBoundaries(t *testing.T) {
	d := loadSmall(t)
	tests := []struct {
		text string
		want []string
	}{
		{"visa", []string{"visa.word"}},
		{"Free VISA!", []string{"visa.word"}},
		{"e-visa", []string{"visa.word"}},
		{"visage", nil},
		{"envisage", nil},
		{"visa_handle", nil},
		{"@visa_team", nil},
		{"visas", nil},
		{"ｖｉｓａ", []string{"visa.word"}},
		{"vi\u200bsa", []string{"visa.word"}},
		{"KK Park", []string{"visa.kk"}},
		{"kkk", nil},
		{"kk2", nil},
		{"签证visa", []string{"visa.word"}},
		{"去西港工作", []string{"place.shv"}},
		{"ที่สีหนุวิลล์ประเทศกัมพูชา", []string{"place.shv"}},
		{"Sihanoukville", []string{"place.shv"}}, // "vill" is not a word in it
		{"pay $1500 now", []string{"pay.usd"}},
		{"pay $15000", nil},
		// Stems: open where the phrase has '*', bounded elsewhere.
		{"роботу в Таїланді", []string{"place.stem"}},
		{"Таїланд", []string{"place.stem"}},
		{"петаїланд", nil},
		{"السفر بتايلاند", []string{"place.stem"}},
		{"تايلاند", []string{"place.stem"}},
		{"تايلاندي", nil},
	}
	for _, tt := range tests {
		got := ids(d.AssessText(tt.text))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: matched %v, want %v", tt.text, got, tt.want)
		}
	}
}

// TestPhraseAcrossLineBreak: a phrase matches in text wrapped in
// mid-sentence, with its evidence spanning the break as posted, but not
// across into a line that starts with a capital letter (a new sentence or
// a list's item).
func TestPhraseAcrossLineBreak(t *testing.T) {
	d := loadSmall(t)
	tests := []struct {
		text, want string // want: the evidence of legit.licence, "" for none
	}{
		{"our licence\nno. is 123", "licence\nno"},
		{"our licence \r\n\n  no. is 123", "licence \r\n\n  no"},
		{"licence\u200b\nno", "licence\u200b\nno"},
		{"Valid licence\nNo fees", ""},
		{"VALID LICENCE\nNO FEES", ""},
		{"licence\nǅo", ""}, // a title-case letter
		{"licence\n- no", ""},
	}
	for _, tt := range tests {
		var got string
		for _, ind := range d.AssessText(tt.text).Indicators {
			if ind.ID == "legit.licence" {
				got = ind.Evidence[0].Snippet
			}
		}
		if got != tt.want {
			t.Errorf("%q: legit.licence evidence %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestOneCategoryNeverMedium: however strong, one category alone stays
// below medium.
func TestOneCategoryNeverMedium(t *testing.T) {
	d := loadSmall(t)
	a := d.AssessText("visa visa VISA kk")
	if a.Score != 100 {
		t.Errorf("score = %d, want 100", a.Score)
	}
	if a.Level != lurewatch.LevelLow {
		t.Errorf("level = %v, want low: one category alone must not reach medium", a.Level)
	}
	if !strings.Contains(a.Summary, "medium needs 2 categories") {
		t.Errorf("summary %q does not say why", a.Summary)
	}
	if a := d.AssessText("visa in 西港"); a.Level < lurewatch.LevelMedium {
		t.Errorf("two categories: level = %v (score %d), want medium or above", a.Level, a.Score)
	}
}

// TestHonestAdsNotFlagged: ads with one lure-like cue, assessed with the
// shipped rules, are not flagged.
func TestHonestAdsNotFlagged(t *testing.T) {
	d := loadShipped(t)
	for _, text := range []string{
		"Free housing provided",
		"Sihanoukville hotel receptionist, apply with CV",
		"Customer service representative, Manila. No experience required. Apply on our careers page.",
		"Urgent: line cook needed, Calgary. Drop off a resume.",
		"Contact us on WhatsApp for details about our bakery job.",
		"Free accommodation and meals for farm workers. Must hold a valid work visa.",
		"Work in Cambodia: ESL teacher, USD 1,500, work permit and contract signed before you travel.",
		"Data entry clerk, Rs. 45,000, apply at our office with CV.",
	} {
		a := d.AssessText(text)
		if a.Level.Flagged() {
			t.Errorf("%q flagged: %s", text, a.Summary)
		}
	}
}

func TestLuresFlagged(t *testing.T) {
	d := loadShipped(t)
	for _, text := range []string{
		"Customer service in Thailand, $1,500/month, free flight and visa, no experience, contact @hr_fictional_01 on Telegram",
		"西港客服 高薪 包吃包住 包机票 不需要经验 飞机 @hr_fictional_02",
		"Typing job near the Myanmar border. Salary USD 1,200. Go on a tourist visa; passports are kept by HR. WhatsApp +855 12 000 000",
	} {
		a := d.AssessText(text)
		if !a.Level.Flagged() {
			t.Errorf("%q not flagged: %s", text, a.Summary)
		}
	}
}

// TestQuotedLureInWarning: a warning post quoting a lure is muted; the same
// text without the warning is not.
func TestQuotedLureInWarning(t *testing.T) {
	d := loadSmall(t)
	lure := `"visa jobs in 西港, $1500"`
	if a := d.AssessText("Hiring: " + lure); !a.Level.Flagged() {
		t.Fatalf("lure alone not flagged: %s", a.Summary)
	}
	a := d.AssessText("Beware of posts like " + lure)
	if a.Level.Flagged() || slices.Contains(ids(a), "visa.word") {
		t.Errorf("quoted lure in a warning counted: %s", a.Summary)
	}
	if !slices.Contains(ids(a), "warn") {
		t.Errorf("warning cue not reported: %v", ids(a))
	}
}

func TestLegitimacyLowers(t *testing.T) {
	d := loadSmall(t)
	a := d.AssessText("kk 西港")
	b := d.AssessText("kk 西港, licence no 123")
	if b.Score >= a.Score {
		t.Errorf("score with licence %d, without %d: want lower", b.Score, a.Score)
	}
	if !slices.Contains(b.Categories, "legit") {
		t.Errorf("categories %v lack the lowering category", b.Categories)
	}
}

// An overriding indicator cancels the evidence it overlaps in the same
// field, and only that: an indicator left with none is not reported.
func TestOverrides(t *testing.T) {
	// withholdRules with an indicator that overrides another where they
	// overlap, with a pattern and a phrase: "keep your own passport"
	// holds "keep your passport".
	rules := strings.Replace(withholdRules, "  - {id: kin, effect: context, cap: 20}\n", "  - {id: kin, effect: context, cap: 20}\n  - {id: docs, cap: 100}\n  - {id: own, effect: lower, cap: 10}\n", 1) +
		"  - {id: docs.kept, category: docs, weight: 20, patterns: ['\\bkeeps? (?:your )?passport\\b'], phrases: {en: [hr holds passports]}}\n" +
		"  - {id: own.passport, category: own, weight: 5, overrides: [docs.kept], phrases: {en: [keep your own passport, you keep your passport]}}\n"
	d, err := detector.Load("override.yaml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	lure := d.AssessText("Sihanoukville. The company will keep your passport.")
	if got := ids(lure); !slices.Equal(got, []string{"docs.kept", "place.shv"}) || lure.Score != 60 {
		t.Fatalf("retention: indicators %v, score %d; want docs.kept and place.shv, 60", got, lure.Score)
	}
	own := d.AssessText("Sihanoukville. You keep your passport; staff keep your own passport too.")
	if got := ids(own); !slices.Equal(got, []string{"own.passport", "place.shv"}) || own.Score != 35 {
		t.Errorf("own passport: indicators %v, score %d; want own.passport and place.shv, 35", got, own.Score)
	}
	// Retention said elsewhere in the text still counts, with only its
	// own evidence.
	both := d.AssessText("Sihanoukville. You keep your passport. Later HR holds passports.")
	var kept []string
	for _, ind := range both.Indicators {
		if ind.ID == "docs.kept" {
			for _, e := range ind.Evidence {
				kept = append(kept, e.Snippet)
			}
		}
	}
	if !slices.Equal(kept, []string{"HR holds passports"}) {
		t.Errorf("both: docs.kept evidence %q; want only \"HR holds passports\"", kept)
	}
	// Overlap is judged within a field: the title's cue does not cancel
	// the text's.
	ad := &lurewatch.Ad{Title: "You keep your passport", Text: "Sihanoukville. We keep your passport."}
	if got := ids(d.Assess(ad)); !slices.Contains(got, "docs.kept") {
		t.Errorf("title and text: indicators %v; want docs.kept from the text", got)
	}
}

// A phrase of an indicator with negated_as counts as that other indicator
// when a negation cue stands beside it in the same clause, or when it is in
// a list with a negated one; the cue is part of its evidence.
func TestNegation(t *testing.T) {
	rules := strings.Replace(withholdRules, "  - {id: kin, effect: context, cap: 20}\n", "  - {id: kin, effect: context, cap: 20}\n  - {id: req, cap: 10}\n  - {id: qual, effect: lower, cap: 10}\n", 1) +
		"  - {id: req.none, category: req, weight: 6, phrases: {en: [no experience]}}\n" +
		"  - {id: qual.degree, category: qual, weight: 6, negated_as: req.none, phrases: {en: [degree, tefl, celta], th: [ปริญญาตรี], ko: [학력]}}\n" +
		"negation: {max_gap: 12, before: {en: [\"no\", without], th: [ไม่ต้องมี]}, after: {en: [not required], th: [ไม่จำเป็นต้องมี], ko: [무관]}}\n"
	d, err := detector.Load("negation.yaml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	// evidence returns the snippets of each indicator matched in text.
	evidence := func(text string) map[string][]string {
		out := map[string][]string{}
		for _, ind := range d.AssessText(text).Indicators {
			for _, e := range ind.Evidence {
				out[ind.ID] = append(out[ind.ID], e.Snippet)
			}
		}
		return out
	}
	tests := []struct {
		text      string
		req, qual []string
	}{
		{"Degree required.", nil, []string{"Degree"}},
		{"No degree needed.", []string{"No degree"}, nil},
		{"Work without a TEFL.", []string{"without a TEFL"}, nil},
		{"TEFL not required.", []string{"TEFL not required"}, nil},
		// A list carries the negation forward and back.
		{"No TEFL, CELTA or degree.", []string{"No TEFL", "CELTA", "degree"}, nil},
		{"TEFL, CELTA or degree not required.", []string{"TEFL", "CELTA or degree not required"}, nil},
		// A clause break, a sentence break or distance stops it.
		{"No experience, degree required.", []string{"No experience"}, []string{"degree"}},
		{"No. Degree required.", nil, []string{"Degree"}},
		{"No doubt our best staff hold a degree.", nil, []string{"degree"}},
		{"Degree. Passport not required.", nil, []string{"Degree"}},
		{"TEFL required; Thai not required.", nil, []string{"TEFL"}},
		// A cue inside a word is no cue.
		{"Casino degree holders.", nil, []string{"degree"}},
		// In a script written without spaces between words a space parts
		// clauses: a degree required, experience not needed. Korean puts
		// spaces between words.
		{"ไม่ต้องมีปริญญาตรี", []string{"ไม่ต้องมีปริญญาตรี"}, nil},
		{"ปริญญาตรีไม่จำเป็นต้องมี", []string{"ปริญญาตรีไม่จำเป็นต้องมี"}, nil},
		{"ต้องมีปริญญาตรี ไม่จำเป็นต้องมีประสบการณ์", nil, []string{"ปริญญาตรี"}},
		{"학력 무관", []string{"학력 무관"}, nil},
	}
	for _, tt := range tests {
		got := evidence(tt.text)
		if !slices.Equal(got["req.none"], tt.req) || !slices.Equal(got["qual.degree"], tt.qual) {
			t.Errorf("%q: req.none %q, qual.degree %q; want %q, %q", tt.text, got["req.none"], got["qual.degree"], tt.req, tt.qual)
		}
	}
	// A cue in the title does not reach the text.
	a := d.Assess(&lurewatch.Ad{Title: "No", Text: "degree holders"})
	if got := ids(a); !slices.Equal(got, []string{"qual.degree"}) {
		t.Errorf("title cue: indicators %v; want qual.degree", got)
	}
}

// An indicator with unless_any does not count when the ad matched one of
// those categories, wherever in the ad.
func TestUnlessAny(t *testing.T) {
	rules := strings.Replace(withholdRules, "  - {id: kin, effect: context, cap: 20}\n", "  - {id: kin, effect: context, cap: 20}\n  - {id: real, cap: 10}\n", 1) +
		"  - {id: real.claim, category: real, weight: 5, phrases: {en: [100% real]}}\n" +
		"  - {id: account.question, category: account, weight: 15, unless_any: [real], phrases: {en: [is this real]}}\n"
	d, err := detector.Load("unless-any.yaml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	asked := d.AssessText("Is this real? Sihanoukville, high pay")
	if !slices.Contains(ids(asked), "account.question") || asked.Score != 65 {
		t.Fatalf("question: indicators %v, score %d; want account.question, 65", ids(asked), asked.Score)
	}
	answered := d.AssessText("Is this real? Yes, 100% real. Sihanoukville, high pay")
	if slices.Contains(ids(answered), "account.question") || answered.Score != 85 {
		t.Errorf("answered: indicators %v, score %d; want no account.question, 85", ids(answered), answered.Score)
	}
}

// withholdRules has a withhold rule on medium, fed by a lowering and a
// context category.
const withholdRules = `version: "w-1"
levels:
  low: {min_score: 10}
  medium: {min_score: 30, min_categories: 2, withhold: {categories: [account, kin], min_score: 25}}
  high: {min_score: 90, min_categories: 3}
  critical: {min_score: 95, min_categories: 4}
categories:
  - {id: place, cap: 100}
  - {id: pay, cap: 100}
  - {id: account, effect: lower, cap: 50}
  - {id: kin, effect: context, cap: 20}
indicators:
  - {id: place.shv, category: place, weight: 40, phrases: {en: [sihanoukville]}}
  - {id: pay.high, category: pay, weight: 40, phrases: {en: [high pay]}}
  - {id: account.story, category: account, weight: 15, phrases: {en: [my story]}}
  - {id: kin.brother, category: kin, weight: 10, phrases: {en: [my brother]}}
`

func TestWithholdAndContext(t *testing.T) {
	d, err := detector.Load("withhold.yaml", []byte(withholdRules))
	if err != nil {
		t.Fatal(err)
	}
	lure := d.AssessText("Sihanoukville, high pay")
	if lure.Score != 80 || lure.Level != lurewatch.LevelMedium {
		t.Fatalf("lure: score %d, level %s; want 80, medium", lure.Score, lure.Level)
	}
	// A context cue alone leaves the score and the level alone.
	kin := d.AssessText("My brother says: Sihanoukville, high pay")
	if kin.Score != lure.Score || kin.Level != lurewatch.LevelMedium || !slices.Contains(ids(kin), "kin.brother") {
		t.Errorf("context cue: score %d, level %s, indicators %v; want %d, medium, with kin.brother", kin.Score, kin.Level, ids(kin), lure.Score)
	}
	if !slices.Contains(kin.Categories, "kin") || strings.Contains(kin.Summary, "lowered by") {
		t.Errorf("context cue: categories %v, summary %q; want kin listed, not as lowering", kin.Categories, kin.Summary)
	}
	// A lowering cue lowers; under the withhold score the level stands.
	story := d.AssessText("My story: Sihanoukville, high pay")
	if story.Score != 65 || story.Level != lurewatch.LevelMedium {
		t.Errorf("lowering cue: score %d, level %s; want 65, medium", story.Score, story.Level)
	}
	// Together they reach the withhold score: medium is withheld.
	both := d.AssessText("My story, and my brother's: Sihanoukville, high pay")
	if both.Score != 65 || both.Level != lurewatch.LevelLow {
		t.Errorf("withheld: score %d, level %s; want 65, low", both.Score, both.Level)
	}
	if !strings.Contains(both.Summary, "medium withheld") {
		t.Errorf("withheld: summary %q does not say why", both.Summary)
	}
	if one := d.AssessText("Sihanoukville"); !strings.Contains(one.Summary, ": 1 lure cue category: ") {
		t.Errorf("one category: summary %q; want it counted in the singular", one.Summary)
	}
	if !strings.Contains(lure.Summary, ": 2 lure cue categories: ") {
		t.Errorf("two categories: summary %q; want them counted in the plural", lure.Summary)
	}
}

// A withhold rule's unless categories keep it from withholding: a
// recruiter who tells his own story ("I was scared too, but it is real")
// is not writing about a lure.
func TestWithholdUnless(t *testing.T) {
	rules := strings.Replace(withholdRules, "min_score: 25}}", "min_score: 25, unless: [real]}}", 1)
	rules = strings.Replace(rules, "  - {id: kin, effect: context, cap: 20}\n", "  - {id: kin, effect: context, cap: 20}\n  - {id: real, cap: 10}\n", 1)
	rules += "  - {id: real.insist, category: real, weight: 5, phrases: {en: [it is real]}}\n"
	d, err := detector.Load("unless.yaml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	if a := d.AssessText("My story, and my brother's: Sihanoukville, high pay"); a.Level != lurewatch.LevelLow {
		t.Errorf("without the unless cue: level %s; want low (withheld)", a.Level)
	}
	a := d.AssessText("My story, and my brother's: it is real. Sihanoukville, high pay")
	if a.Level != lurewatch.LevelMedium || strings.Contains(a.Summary, "withheld") {
		t.Errorf("with the unless cue: level %s, summary %q; want medium, not withheld", a.Level, a.Summary)
	}
	// Inside quotation marks, in a post whose lowering cue mutes quotes,
	// the cue does not count, and the post is withheld again.
	rules = strings.Replace(rules, "{id: account, effect: lower, cap: 50}", "{id: account, effect: lower, cap: 50, mutes_quoted: true}", 1)
	if d, err = detector.Load("unless.yaml", []byte(rules)); err != nil {
		t.Fatal(err)
	}
	if a := d.AssessText("My story, and my brother's: they said \"it is real\". Sihanoukville, high pay"); a.Level != lurewatch.LevelLow {
		t.Errorf("quoted unless cue: level %s, summary %q; want low (withheld)", a.Level, a.Summary)
	}
}

// proseRules adds a prose cue to withholdRules' categories; WITHHOLD is the
// withhold rule's min_score.
const proseRules = `version: "p-1"
levels:
  low: {min_score: 10}
  medium: {min_score: 30, min_categories: 2, withhold: {categories: [kin, shape], min_score: WITHHOLD}}
  high: {min_score: 90, min_categories: 3}
  critical: {min_score: 95, min_categories: 4}
categories:
  - {id: place, cap: 100}
  - {id: pay, cap: 100}
  - {id: kin, effect: context, cap: 20}
  - {id: shape, effect: context, cap: 20}
indicators:
  - {id: place.shv, category: place, weight: 40, phrases: {en: [sihanoukville]}}
  - {id: pay.high, category: pay, weight: 40, phrases: {en: [high pay]}}
  - {id: kin.brother, category: kin, weight: 10, phrases: {en: [my brother]}}
  - {id: shape.prose, category: shape, weight: 15, prose: {min_avg_line: 60, min_chars: 100}}
`

// A prose cue counts toward withholding; it is measured only when it can
// matter, and its evidence is the start of the longest line.
func TestProse(t *testing.T) {
	load := func(withhold string) *detector.Detector {
		t.Helper()
		d, err := detector.Load("prose.yaml", []byte(strings.Replace(proseRules, "WITHHOLD", withhold, 1)))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	story := "We heard of a job in Sihanoukville with high pay, and nobody in the village had ever been offered so much money for so little.\n" +
		"Now the phone is silent and we wait for news every evening, hoping that someone will tell us where they are kept."
	list := "Job in Sihanoukville\nHigh pay\nFree room\nApply today\nNo experience\nStart next week\nAge 18 to 30\nCall now"
	kin := "My brother went too. " + story

	gated := load("25") // prose (cap 20) cannot withhold alone
	if a := gated.AssessText(story); slices.Contains(ids(a), "shape.prose") || a.Level != lurewatch.LevelMedium {
		t.Errorf("gated, no other withhold cue: indicators %v, level %s; want no shape.prose, medium", ids(a), a.Level)
	}
	a := gated.AssessText(kin)
	if !slices.Contains(ids(a), "shape.prose") || a.Level != lurewatch.LevelLow {
		t.Errorf("gated, with a kin cue: indicators %v, level %s; want shape.prose, low (withheld)", ids(a), a.Level)
	}
	for _, ind := range a.Indicators {
		if ind.ID != "shape.prose" {
			continue
		}
		ev := ind.Evidence[0]
		if ev.Start != 0 || ev.End-ev.Start > 80 || kin[ev.Start:ev.End] != ev.Snippet || !strings.HasPrefix(ev.Snippet, "My brother went too. We heard") {
			t.Errorf("prose evidence %+v: want the start of the longest line, at most 80 bytes", ev)
		}
	}

	alone := load("15") // prose can withhold alone: always measured
	if a := alone.AssessText(story); !slices.Contains(ids(a), "shape.prose") || a.Level != lurewatch.LevelLow {
		t.Errorf("alone: indicators %v, level %s; want shape.prose, low (withheld)", ids(a), a.Level)
	}
	if a := alone.AssessText(list); slices.Contains(ids(a), "shape.prose") || a.Level != lurewatch.LevelMedium {
		t.Errorf("a list: indicators %v, level %s; want no shape.prose, medium", ids(a), a.Level)
	}
	if a := alone.AssessText("Sihanoukville, high pay, and a long line but one that is far too short in all."); slices.Contains(ids(a), "shape.prose") {
		t.Errorf("under min_chars: indicators %v; want no shape.prose", ids(a))
	}
}

// quotedRules has a quoted-offer cue that mutes what it finds quoted.
const quotedRules = `version: "q-1"
levels:
  low: {min_score: 10}
  medium: {min_score: 30, min_categories: 2}
  high: {min_score: 90, min_categories: 3}
  critical: {min_score: 95, min_categories: 4}
categories:
  - {id: place, cap: 100}
  - {id: pay, cap: 100}
  - {id: travel, cap: 100}
  - {id: quoted, effect: lower, cap: 5, mutes_quoted: true}
indicators:
  - {id: place.shv, category: place, weight: 30, phrases: {en: [sihanoukville]}}
  - {id: pay.high, category: pay, weight: 30, phrases: {en: [high pay]}}
  - {id: travel.free, category: travel, weight: 30, phrases: {en: [free flight]}}
  - {id: shape.quoted_offer, category: quoted, weight: 5, quoted: {min_categories: 2}}
`

// An ad whose cues of two categories or more are all inside quotation
// marks quotes an offer: the quoted cues do not count. One quoted category,
// or a category also named outside the quotes, is no quoted offer.
func TestQuotedOffer(t *testing.T) {
	d, err := detector.Load("quoted.yaml", []byte(quotedRules))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text   string
		quoted bool
		level  lurewatch.Level
	}{
		{`My cousin got this: "Sihanoukville, high pay, free flight". He never came back.`, true, lurewatch.LevelNone},
		// The price of the rule: cues of two kinds put in quotes for
		// emphasis are lost too (no lure in the labelled and dev sets
		// does so).
		{`Sihanoukville job! "high pay" and "free flight", message me`, true, lurewatch.LevelLow},
		{`Sihanoukville, high pay, "free flight"`, false, lurewatch.LevelHigh},
		{`"Sihanoukville, high pay" - yes, Sihanoukville, free flight`, false, lurewatch.LevelHigh},
		{`Sihanoukville, high pay, free flight`, false, lurewatch.LevelHigh},
	} {
		a := d.AssessText(tt.text)
		if got := slices.Contains(ids(a), "shape.quoted_offer"); got != tt.quoted || a.Level != tt.level {
			t.Errorf("%q: quoted offer %v, level %s (score %d); want %v, %s", tt.text, got, a.Level, a.Score, tt.quoted, tt.level)
		}
		for _, ind := range a.Indicators {
			for _, ev := range ind.Evidence {
				if tt.text[ev.Start:ev.End] != ev.Snippet {
					t.Errorf("%q: %s evidence %+v is not the text at its offsets", tt.text, ind.ID, ev)
				}
			}
		}
	}
}

func TestAssessmentFields(t *testing.T) {
	d := loadShipped(t)
	ad := &lurewatch.Ad{ID: "ad-1", ContentHash: "hash-1", Title: "Customer service – Sihanoukville",
		Text: "Free flight and visa. No experience. Telegram @hr_fictional_01", Employer: "Confidential"}
	a := d.Assess(ad)
	if a.AdID != "ad-1" || a.ContentHash != "hash-1" || a.SchemaVersion != lurewatch.SchemaVersion ||
		a.RulesVersion != d.RulesVersion() || a.RulesVersion == "" || a.DetectorVersion != detector.Version || !a.AssessedAt.IsZero() {
		t.Errorf("identity fields: %+v", a)
	}
	if a.Summary == "" || !strings.HasPrefix(a.Summary, a.Level.String()) {
		t.Errorf("summary %q", a.Summary)
	}
	if !slices.IsSorted(a.Categories) {
		t.Errorf("categories not sorted: %v", a.Categories)
	}
	// Strongest first among raising indicators.
	for i := 1; i < len(a.Indicators); i++ {
		p, c := a.Indicators[i-1], a.Indicators[i]
		if !strings.HasPrefix(c.ID, "legit.") && !strings.HasPrefix(p.ID, "legit.") && c.Weight > p.Weight {
			t.Errorf("indicator %s (%v) after %s (%v)", c.ID, c.Weight, p.ID, p.Weight)
		}
	}
	fields := map[string]bool{}
	for _, ind := range a.Indicators {
		for _, e := range ind.Evidence {
			fields[e.Field] = true
		}
	}
	if !fields[lurewatch.FieldTitle] || !fields[lurewatch.FieldText] {
		t.Errorf("evidence fields %v, want title and text", fields)
	}
	b, err := json.Marshal(a)
	if err != nil || !strings.Contains(string(b), `"level":"`) {
		t.Errorf("marshal: %s, %v", b, err)
	}
	// Empty ad.
	e := d.Assess(&lurewatch.Ad{})
	if e.Level != lurewatch.LevelNone || e.Score != 0 || e.Categories == nil || e.Indicators == nil {
		t.Errorf("empty ad: %+v", e)
	}
}

func TestEntities(t *testing.T) {
	d := loadShipped(t)
	text := "Apply: Telegram @hr_fictional_01 or t.me/fictional_jobs_01\n" +
		"WhatsApp wa.me/85512000000 or call +855 12 000 001\n" +
		"Mail hr.fictional@example.com\n" +
		"ไลน์ @fictional_line_01\n" +
		"微信：fictional_wx_01\n" +
		"Local: 0812 0000 0102. Years 2012-2014 and 1,000,000 are not phones."
	a := d.AssessText(text)
	got := map[string]bool{}
	for _, e := range a.Entities {
		got[e.Kind+" "+e.Value] = true
		if e.Evidence == nil || text[e.Evidence.Start:e.Evidence.End] != e.Evidence.Snippet {
			t.Errorf("entity %v: bad evidence", e)
		}
	}
	for _, w := range []string{
		"telegram @hr_fictional_01", "telegram @fictional_jobs_01", "whatsapp +85512000000",
		"phone +85512000001", "email hr.fictional@example.com", "line @fictional_line_01",
		"wechat fictional_wx_01", "phone 081200000102",
	} {
		if !got[w] {
			t.Errorf("missing entity %q; got %v", w, got)
		}
	}
	for k := range got {
		if strings.Contains(k, "2012") || strings.Contains(k, "1000000") {
			t.Errorf("false entity %q", k)
		}
	}
}

// checkEvidence asserts the evidence invariant: every span points into the
// named field of the ad as posted, and Snippet == field[Start:End].
func checkEvidence(t *testing.T, ad *lurewatch.Ad, a lurewatch.Assessment) {
	t.Helper()
	fields := map[string]string{}
	for _, f := range ad.Fields() {
		fields[f.Name] = f.Value
	}
	check := func(what string, e lurewatch.Evidence) {
		f, ok := fields[e.Field]
		switch {
		case !ok:
			t.Errorf("%s: %s: evidence in unknown field %q", ad.ID, what, e.Field)
		case e.Start < 0 || e.Start >= e.End || e.End > len(f):
			t.Errorf("%s: %s: span [%d,%d) out of field of %d bytes", ad.ID, what, e.Start, e.End, len(f))
		case f[e.Start:e.End] != e.Snippet:
			t.Errorf("%s: %s: snippet %q != field[%d:%d] %q", ad.ID, what, e.Snippet, e.Start, e.End, f[e.Start:e.End])
		}
	}
	for _, ind := range a.Indicators {
		if len(ind.Evidence) == 0 {
			t.Errorf("%s: indicator %s without evidence", ad.ID, ind.ID)
		}
		for _, e := range ind.Evidence {
			check(ind.ID, e)
		}
	}
	for _, en := range a.Entities {
		if en.Evidence == nil {
			t.Errorf("%s: entity %v without evidence", ad.ID, en)
			continue
		}
		check("entity "+en.Kind, *en.Evidence)
	}
}

type corpusAd struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text"`
	Label string `json:"label"`
}

func readAds(t testing.TB, path string) []corpusAd {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("%s not found (it is only in the lurewatch workspace): skipping", path)
		}
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusAd
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var c corpusAd
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// variants returns the text, a copy with zero-width characters inserted
// between letters, and a copy in full-width forms.
func variants(s string) []string {
	var zw, fw strings.Builder
	for i, r := range s {
		zw.WriteRune(r)
		if i%3 == 0 {
			zw.WriteString("\u200b")
		}
		if r > ' ' && r < 0x7f {
			fw.WriteRune(r - 0x21 + 0xff01)
		} else {
			fw.WriteRune(r)
		}
	}
	return []string{s, zw.String(), fw.String()}
}

func TestEvidenceInvariantTestdata(t *testing.T) {
	d := loadShipped(t)
	for _, c := range readAds(t, "testdata/ads.jsonl") {
		for i, v := range variants(c.Text) {
			ad := &lurewatch.Ad{ID: fmt.Sprintf("%s/%d", c.ID, i), Title: c.Title, Text: v}
			checkEvidence(t, ad, d.Assess(ad))
		}
	}
}

// TestEvidenceInvariantDevCorpus runs over the shared development corpus
// when the workspace has it.
func TestEvidenceInvariantDevCorpus(t *testing.T) {
	ads := readAds(t, "../../shared/corpus/dev.jsonl")
	d := loadShipped(t)
	for _, c := range ads {
		for i, v := range variants(c.Text) {
			ad := &lurewatch.Ad{ID: fmt.Sprintf("%s/%d", c.ID, i), Title: c.Title, Text: v}
			checkEvidence(t, ad, d.Assess(ad))
		}
	}
}

// TestFullWidthAndZeroWidthSameVerdict: disguising text with zero-width
// characters or full-width forms does not change what is found.
func TestFullWidthAndZeroWidthSameVerdict(t *testing.T) {
	d := loadShipped(t)
	for _, c := range readAds(t, "testdata/ads.jsonl") {
		vs := variants(c.Text)
		base := ids(d.AssessText(vs[0]))
		if got := ids(d.AssessText(vs[2])); !slices.Equal(got, base) {
			t.Errorf("%s: full-width indicators %v, plain %v", c.ID, got, base)
		}
	}
}

func TestHostileInput(t *testing.T) {
	d := loadShipped(t)
	huge := strings.Repeat("visa Telegram @a_b_c_d 西港 ", 1<<16) // ~1.9 MB
	junk := strings.Repeat("\xff\xfe\u200b\u0301e\u0301", 1<<14)
	for name, text := range map[string]string{"huge": huge, "junk": junk, "aaaa": strings.Repeat("a", 1<<20),
		"spaced": strings.Repeat("a ", 1<<17), "quotes": strings.Repeat(`"`, 1<<16), "apostrophes": strings.Repeat("'a ", 1<<16)} {
		ad := &lurewatch.Ad{ID: name, Title: text, Text: text}
		a := d.Assess(ad)
		for _, ind := range a.Indicators {
			if len(ind.Evidence) > 8 {
				t.Errorf("%s: %d evidence spans for %s", name, len(ind.Evidence), ind.ID)
			}
			for _, e := range ind.Evidence {
				if e.End > detector.MaxFieldBytes {
					t.Errorf("%s: evidence beyond MaxFieldBytes: %d", name, e.End)
				}
				if !utf8.ValidString(e.Snippet) && name != "junk" {
					t.Errorf("%s: invalid snippet", name)
				}
			}
		}
		if len(a.Entities) > 64 {
			t.Errorf("%s: %d entities", name, len(a.Entities))
		}
		checkEvidence(t, &lurewatch.Ad{ID: name, Title: text[:min(len(text), detector.MaxFieldBytes+10)]}, d.Assess(&lurewatch.Ad{ID: name, Title: text[:min(len(text), detector.MaxFieldBytes+10)]}))
	}
}

func TestConcurrentAssess(t *testing.T) {
	d := loadShipped(t)
	ads := readAds(t, "testdata/ads.jsonl")
	want := make([]lurewatch.Assessment, len(ads))
	for i, c := range ads {
		want[i] = d.Assess(&lurewatch.Ad{ID: c.ID, Title: c.Title, Text: c.Text})
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, c := range ads {
				a := d.Assess(&lurewatch.Ad{ID: c.ID, Title: c.Title, Text: c.Text})
				if a.Score != want[i].Score || a.Summary != want[i].Summary {
					t.Errorf("%s: concurrent result differs", c.ID)
				}
			}
		}()
	}
	wg.Wait()
}

func TestLoadErrors(t *testing.T) {
	_, err := detector.Load("bad.yaml", []byte("version: x\nbogus: 1\n"))
	if err == nil || !errors.Is(err, lurewatch.ErrInvalid) || !strings.HasPrefix(err.Error(), "bad.yaml:2:1: ") {
		t.Errorf("Load error = %v, want bad.yaml:2:1: ... wrapping ErrInvalid", err)
	}
}

func FuzzAssess(f *testing.F) {
	d := loadShipped(f)
	for _, s := range []string{"Free visa Ｔｅｌｅｇｒａｍ @hr_x", "西港 包吃住", "T e l e g r a m", "a\xffb\u200b", `"quoted" beware`,
		"C4mbodia $ihanoukville Теlеgrаm ✈️🛫 🏨 🍜 💰", "age 18-25, $1,500/month, wechat: fictional_x, +855 12 000 000",
		"佢哋話唔使經驗，食住全包，人工 HK$28,000，唔好同屋企人講"} {
		f.Add(s, s)
	}
	// The test ads and, when the workspace has it, the dev corpus.
	for _, path := range []string{"testdata/ads.jsonl", "../../shared/corpus/dev.jsonl"} {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			var c corpusAd
			if json.Unmarshal([]byte(line), &c) == nil {
				f.Add(c.Title, c.Text)
			}
		}
	}
	f.Fuzz(func(t *testing.T, title, text string) {
		ad := &lurewatch.Ad{ID: "fuzz", Title: title, Text: text}
		a := d.Assess(ad)
		if a.Score < 0 || a.Score > 100 || a.Level < lurewatch.LevelNone || a.Level > lurewatch.LevelCritical {
			t.Fatalf("score %d level %v", a.Score, a.Level)
		}
		checkEvidence(t, ad, a)
	})
}

// A post written wholly in "fancy text" letters is guessed on what it
// reads; a word or two so written leaves the guess to the text as posted,
// whose accents say more.
func TestLanguageOfStyledText(t *testing.T) {
	d := loadSmall(t)
	// script writes s in mathematical bold script, as "fancy text" does.
	script := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r >= 'a' && r <= 'z':
				b.WriteRune(0x1d4ea + r - 'a')
			case r >= 'A' && r <= 'Z':
				b.WriteRune(0x1d4d0 + r - 'A')
			default:
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	pt := "Vagas para atendimento ao cliente, salário em dólar, passagem paga pela empresa, não precisa de experiência, chama no Telegram"
	if a := d.AssessText(script(pt)); a.Lang != "pt" {
		t.Errorf("all in script: lang %q; want pt", a.Lang)
	}
	// Read as posted, the handle's letters are the only ones the guess
	// knows: it said "en" before posts in fancy text were read plainly.
	id := "Lowongan kerja admin online, gaji besar, tiket dan tempat tinggal gratis, hubungi kami di @fic_admin"
	if a := d.AssessText(script(id[:strings.Index(id, "@")]) + id[strings.Index(id, "@"):]); a.Lang != "id" {
		t.Errorf("all in script but the handle: lang %q; want id", a.Lang)
	}
	if a := d.AssessText(script("ɐıpoqɯɐɔ") + " " + script(pt)); a.Lang != "pt" {
		t.Errorf("script with a word upside down: lang %q; want pt", a.Lang)
	}
	vi := "Tuyển nhân viên chăm sóc khách hàng, lương cao, bao ăn ở, không cần kinh nghiệm, liên hệ " + script("Telegram")
	if a := d.AssessText(vi); a.Lang != "vi" {
		t.Errorf("one word in script: lang %q; want vi", a.Lang)
	}
}

// TestArabiziDigitsAreLetters checks that in Arabic typed in Latin letters
// ("Arabizi"), whose digits between letters are letters ("3amal", "7aga"),
// the digits are no leetspeak signal, while a digit inside a word of any
// other text, or of Arabizi written beside Arabic letters, still is.
func TestArabiziDigitsAreLetters(t *testing.T) {
	rules := strings.Replace(small, "  - {id: visa, cap: 100}\n", "  - {id: visa, cap: 100}\n  - {id: obfuscation, cap: 10}\n", 1) +
		"  - {id: obfuscation.evasion, category: obfuscation, weight: 6, signals: [leetspeak]}\n"
	d := loadRules(t, "arabizi.yaml", rules)
	for _, tt := range []struct {
		text string
		want bool // obfuscation.evasion expected
	}{
		{"Matloub shabab lel 3amal fi Tayland, el ma3ash kwayes, visa siya7iya, mesh mehtag khebra, kalemni ba3d el 3asr", false},
		{"Customer service job in Th4iland, no experience needed, apply with your passport today", true},
		{"مطلوب شباب للعمل في تايلاند. Matloub shabab lel 3amal fi Tayland, el ma3ash kwayes, visa siya7iya, mesh mehtag khebra", true},
	} {
		a := d.AssessText(tt.text)
		if got := slices.Contains(ids(a), "obfuscation.evasion"); got != tt.want {
			t.Errorf("%q (lang %s): obfuscation.evasion %v, want %v", tt.text, a.Lang, got, tt.want)
		}
	}
}

// TestUnlessLang checks that an indicator with unless_lang does not count in
// ads the detector reads as one of those languages, whatever found it: a
// phrase, or a salary condition, whose cues come after the phrases'.
func TestUnlessLang(t *testing.T) {
	rules := small +
		"  - {id: place.bkk, category: place, weight: 10, phrases: {en: [bangkok], th: [กรุงเทพ]}, unless_lang: [th]}\n" +
		"  - {id: pay.high, category: pay, weight: 10, salary: {min_usd_per_month: 900}, unless_lang: [th]}\n"
	d := loadRules(t, "unless_lang.yaml", rules)
	for _, tt := range []struct {
		text string
		want []string // of place.bkk and pay.high, those expected
	}{
		{"Chat support in Bangkok, salary $1,500 a month, free room.", []string{"pay.high", "place.bkk"}},
		{"รับสมัครพนักงานร้านกาแฟ สาขาสีลม กรุงเทพ เงินเดือน 40,000 บาท มีที่พักให้ สนใจทักไลน์", nil},
	} {
		a := d.AssessText(tt.text)
		var got []string
		for _, id := range ids(a) {
			if id == "place.bkk" || id == "pay.high" {
				got = append(got, id)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q (lang %s): %v, want %v", tt.text, a.Lang, got, tt.want)
		}
	}
}

// salaryCase is an ad text and whether a salary indicator must match it.
type salaryCase struct {
	text string
	want bool
}

// checkSalaryRule adds indicator id, with salary condition cond, to the
// small rules and checks it against cases.
func checkSalaryRule(t *testing.T, id, cond string, cases []salaryCase) {
	t.Helper()
	d := loadRules(t, "salary.yaml", small+"  - {id: "+id+", category: pay, weight: 10, salary: "+cond+"}\n")
	for _, tt := range cases {
		if got := slices.Contains(ids(d.AssessText(tt.text)), id); got != tt.want {
			t.Errorf("%q: %s %v, want %v", tt.text, id, got, tt.want)
		}
	}
}

// TestSalaryMax checks a salary condition's upper bound: an ordinary wage
// counts, a higher one does not.
func TestSalaryMax(t *testing.T) {
	checkSalaryRule(t, "pay.wage", "{min_usd_per_month: 40, max_usd_per_month: 450}", []salaryCase{
		{"Hotel housekeeping staff, salary $300 a month, room provided.", true},
		{"Chat support, salary $1,200 a month, room provided.", false},
		{"Cleaner, salary $30 a month.", false},
	})
}

// TestSalaryMinIn: a minimum by currency replaces the rule's minimum for
// pay stated in that currency, and only for it.
func TestSalaryMinIn(t *testing.T) {
	checkSalaryRule(t, "pay.high", "{min_usd_per_month: 900, min_usd_per_month_in: {HKD: 2400}}", []salaryCase{
		{"Shop assistant, salary HK$15,000 a month.", false}, // USD 1,920: a Hong Kong wage
		{"Shop assistant, salary HK$25,000 a month.", true},  // USD 3,200
		{"Shop assistant, salary $1,000 a month.", true},     // USD: the rule's minimum
		{"Shop assistant, salary $800 a month.", false},
	})
}

// smallLevels are the levels of the small rules files of these tests.
const smallLevels = `levels:
  low: {min_score: 10}
  medium: {min_score: 30, min_categories: 2}
  high: {min_score: 60, min_categories: 3}
  critical: {min_score: 90, min_categories: 4}
`

// cantonese is a rules file with a Mandarin phrase and a Cantonese one.
const cantonese = `version: "yue-1"
` + smallLevels + `categories:
  - {id: req, cap: 100}
  - {id: secret, cap: 100}
indicators:
  - {id: req.none, category: req, weight: 10, phrases: {zh: [不需经验]}}
  - {id: secret.family, category: secret, weight: 10, phrases: {zh: [唔好同屋企人講]}}
`

// TestCantoneseFold: an ad written in Cantonese is read in Mandarin words,
// so a Mandarin phrase matches its Cantonese wording, with evidence in the
// text as posted; a phrase written in Cantonese matches it in either form,
// and its Mandarin form counts in no other ad.
func TestCantoneseFold(t *testing.T) {
	d := loadRules(t, "yue.yaml", cantonese)
	tests := []struct {
		text string
		want map[string]string // indicator → evidence snippet
	}{
		// Two marks of Cantonese (唔, 佢): folded.
		{"佢哋話唔使經驗", map[string]string{"req.none": "唔使經驗"}},
		{"佢話唔使經驗，記住唔好同屋企人講", map[string]string{"req.none": "唔使經驗", "secret.family": "唔好同屋企人講"}},
		// The same words in mixed forms, as posted.
		{"佢話唔使經驗，記住不要同家里人讲", map[string]string{"req.none": "唔使經驗", "secret.family": "不要同家里人讲"}},
		// One mark only: not read as Cantonese.
		{"唔使經驗", map[string]string{}},
		// Mandarin: the Cantonese phrase's Mandarin form does not count.
		{"不需经验，不要同家里人讲", map[string]string{"req.none": "不需经验"}},
	}
	for _, tt := range tests {
		a := d.Assess(&lurewatch.Ad{ID: "x", Text: tt.text})
		got := map[string]string{}
		for _, ind := range a.Indicators {
			ev := ind.Evidence[0]
			got[ind.ID] = ev.Snippet
			if tt.text[ev.Start:ev.End] != ev.Snippet {
				t.Errorf("%q: %s evidence [%d,%d) is %q in the text, snippet %q", tt.text, ind.ID, ev.Start, ev.End, tt.text[ev.Start:ev.End], ev.Snippet)
			}
		}
		if !maps.Equal(got, tt.want) {
			t.Errorf("%q: indicators %v, want %v", tt.text, got, tt.want)
		}
	}
	// Cantonese is told from the title and text: a second mark in the
	// employer's name does not make a Mandarin ad Cantonese.
	a := d.Assess(&lurewatch.Ad{ID: "x", Text: "唔使經驗", Employer: "佢記茶餐廳"})
	for _, ind := range a.Indicators {
		if ind.ID == "req.none" {
			t.Errorf("one mark in the text and one in the employer's name: folded (%s %q)", ind.ID, ind.Evidence[0].Snippet)
		}
	}
}
