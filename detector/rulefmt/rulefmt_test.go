package rulefmt

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector/textnorm"
	"github.com/lurewatch/lurewatch/internal/yamlfile"
)

const valid = `version: "t1"
levels:
  low: {min_score: 10}
  medium: {min_score: 40, min_categories: 2, require_any: [place]}
  high: {min_score: 60, min_categories: 3}
  critical: {min_score: 80, min_categories: 4}
categories:
  - {id: place, cap: 30}
  - {id: pay, cap: 20}
  - {id: legit, effect: lower, cap: 20, mutes_quoted: true}
indicators:
  - id: place.shv
    category: place
    weight: 25
    description: Sihanoukville
    phrases:
      en: [Sihanoukville, SHV]
      zh: [西港]
  - id: pay.usd
    category: pay
    weight: 10
    patterns: ['\$[0-9]{4}']
  - id: obf
    category: pay
    weight: 5
    signals: [spaced_letters]
  - id: legit.licence
    category: legit
    weight: 10
    phrases:
      en: [licence no]
`

func TestParseValid(t *testing.T) {
	f, err := Parse("r.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if f.Version != "t1" || len(f.Categories) != 3 || len(f.Indicators) != 4 {
		t.Fatalf("parsed %+v", f)
	}
	if c := f.Category("place"); c == nil || c.Effect != EffectRaise {
		t.Errorf("category place = %+v, want effect raise by default", c)
	}
	if !f.Category("legit").MutesQuoted {
		t.Error("mutes_quoted lost")
	}
	shv := f.Indicators[0]
	want := []Phrase{{Lang: "en", Text: "sihanoukville"}, {Lang: "en", Text: "shv"}, {Lang: "zh", Text: "西港"}}
	if len(shv.NormPhrases) != len(want) {
		t.Fatalf("NormPhrases = %v, want %v", shv.NormPhrases, want)
	}
	for i := range want {
		if shv.NormPhrases[i] != want[i] {
			t.Errorf("NormPhrases = %v, want %v", shv.NormPhrases, want)
		}
	}
	if len(f.Indicators[1].Regexps) != 1 || !f.Indicators[1].Regexps[0].MatchString("$1500") {
		t.Error("pattern not compiled")
	}
	if len(f.Indicators[2].SignalValues) != 1 {
		t.Error("signal not parsed")
	}
	if f.Levels.Get(lurewatch.LevelMedium).MinScore != 40 || f.Levels.Get(lurewatch.LevelNone) != nil {
		t.Error("Levels.Get")
	}
	if f.Combination != nil {
		t.Errorf("Combination = %+v, want nil when the file has none", f.Combination)
	}
	withModel := strings.Replace(valid, `version: "t1"`, `version: "t1"
combination:
  fitted: by hand
  threshold: 0.7
  bias: -3
  per_category: 0.5
  categories: {place: 1.5}
  indicators: {place.shv: 2, pay.usd: -0.5}`, 1)
	f, err = Parse("r.yaml", []byte(withModel))
	if err != nil {
		t.Fatal(err)
	}
	if c := f.Combination; c == nil || c.Threshold != 0.7 || c.Bias != -3 || c.PerCategory != 0.5 || c.Categories["place"] != 1.5 || c.Indicators["pay.usd"] != -0.5 || c.Fitted != "by hand" {
		t.Errorf("Combination = %+v", f.Combination)
	}
}

// TestStems checks that a '*' at either edge makes a phrase a stem open
// there.
func TestStems(t *testing.T) {
	src := strings.Replace(valid, "en: [licence no]", "en: [licence no, '*licen*', 'Licen*', 'licence no']", 1)
	f, err := Parse("r.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := f.Indicators[3].NormPhrases
	want := []Phrase{{Lang: "en", Text: "licence no"}, {Lang: "en", Text: "licen", OpenLeft: true, OpenRight: true}, {Lang: "en", Text: "licen", OpenRight: true}}
	if !slices.Equal(got, want) {
		t.Errorf("NormPhrases = %+v, want %+v", got, want)
	}
}

// compiledPhrases parses the valid rules with the phrase lists langs (YAML
// lines of one indicator's phrases) added to its fourth indicator, and
// returns the set of that indicator's compiled phrases.
func compiledPhrases(t *testing.T, langs string) map[Phrase]bool {
	t.Helper()
	src := strings.Replace(valid, "en: [licence no]", "en: [licence no]\n      "+langs, 1)
	f, err := Parse("r.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	has := map[Phrase]bool{}
	for _, p := range f.Indicators[3].NormPhrases {
		has[p] = true
	}
	return has
}

// TestViramaStems checks that a stem ending in a virama also matches the
// forms where a vowel sign takes the virama's place, and that a stem of
// two letters, or a whole word, gets no such forms.
func TestViramaStems(t *testing.T) {
	has := compiledPhrases(t, "ta: ['அண்ணன்*', 'துபாய்*', 'அண்ணன்']\n      kn: ['ಕಾಲ್*']\n      si: ['ඩොලර්*']")
	for _, p := range []Phrase{
		{Lang: "ta", Text: "அண்ணன்", OpenRight: true},
		{Lang: "ta", Text: "அண்ணனை", OpenRight: true}, // accusative
		{Lang: "ta", Text: "அண்ணனு", OpenRight: true}, // அண்ணனுக்கு, dative
		{Lang: "ta", Text: "அண்ணனொ", OpenRight: true}, // a two-part vowel sign, composed
		{Lang: "ta", Text: "துபாயி", OpenRight: true}, // துபாயில், locative
		{Lang: "ta", Text: "அண்ணன்"},                  // the whole word
		{Lang: "si", Text: "ඩොලරි", OpenRight: true},  // Sinhala
		{Lang: "kn", Text: "ಕಾಲ್", OpenRight: true},   // the stem itself
	} {
		if !has[p] {
			t.Errorf("no phrase %+v", p)
		}
	}
	for _, p := range []Phrase{
		{Lang: "kn", Text: "ಕಾಲೇ", OpenRight: true}, // two letters: ಕಾಲೇಜು is "college"
		{Lang: "ta", Text: "அண்ணனை"},                // only a stem gets the forms
	} {
		if has[p] {
			t.Errorf("unexpected phrase %+v", p)
		}
	}
	n := 0
	for p := range has {
		if p.Lang == "ta" && strings.HasPrefix(p.Text, "அண்ணன") && p.Text != "அண்ணன்" {
			n++
		}
	}
	if n != 11 { // the Tamil vowel signs ா ி ீ ு ூ ெ ே ை ொ ோ ௌ
		t.Errorf("%d vowel forms of அண்ணன், want 11", n)
	}
}

// TestChilluStems checks that a Malayalam stem ending in a chillu also
// matches the forms where a suffix turns the chillu back into its
// consonant with a vowel sign, and the older encoding of the chillu.
func TestChilluStems(t *testing.T) {
	has := compiledPhrases(t, "ml: ['കോൾ സെന്റർ*', 'ഡോളറിൽ*', 'കെയർ']")
	for _, p := range []Phrase{
		{Lang: "ml", Text: "കോൾ സെന്റർ", OpenRight: true},
		{Lang: "ml", Text: "കോൾ സെന്ററി", OpenRight: true}, // സെന്ററിൽ, "in the centre"
		{Lang: "ml", Text: "കോൾ സെന്ററാ", OpenRight: true}, // സെന്ററായി
		{Lang: "ml", Text: "കോൾ സെന്ററ്", OpenRight: true}, // the older encoding
		{Lang: "ml", Text: "കോൾ സെന്റരി", OpenRight: true}, // ർ as ര, as in അവരുടെ
		{Lang: "ml", Text: "ഡോളറിലാ", OpenRight: true},     // ഡോളറിലാണ്, "is in dollars"
	} {
		if !has[p] {
			t.Errorf("no phrase %+v", p)
		}
	}
	for p := range has {
		if p.Lang == "ml" && p.Text != "കെയർ" && strings.HasPrefix(p.Text, "കെയ") {
			t.Errorf("unexpected phrase %+v: only a stem gets the forms", p)
		}
	}
}

// TestPoliteForms checks that a Tagalog phrase also matches with a
// particle of respect between its words, the linker moved onto the
// particle, and that other languages, single words and phrases that hold a
// particle already get no such forms.
func TestPoliteForms(t *testing.T) {
	has := compiledPhrases(t, "tl: ['libreng pamasahe', 'huwag mong sabihin', 'kailangang magbayad', 'paano po malaman', 'sahod*']\n      id: ['libreng pamasahe']")
	for _, p := range []Phrase{
		{Lang: "tl", Text: "libreng pamasahe"},
		{Lang: "tl", Text: "libre pong pamasahe"},     // the linker on the particle
		{Lang: "tl", Text: "libre hong pamasahe"},     // the plainer particle
		{Lang: "tl", Text: "libreng po pamasahe"},     // as some type it
		{Lang: "tl", Text: "huwag mo pong sabihin"},   // after the pronoun
		{Lang: "tl", Text: "huwag po mong sabihin"},   // every gap gets one
		{Lang: "tl", Text: "kailangan pong magbayad"}, // -g after n
		{Lang: "tl", Text: "paano po malaman"},        // as written
	} {
		if !has[p] {
			t.Errorf("no phrase %+v", p)
		}
	}
	for p := range has {
		switch {
		case p.Lang == "id" && p.Text != "libreng pamasahe":
			t.Errorf("unexpected phrase %+v: only Tagalog gets the forms", p)
		case p.Lang == "tl" && strings.HasPrefix(p.Text, "paano") && p.Text != "paano po malaman":
			t.Errorf("unexpected phrase %+v: the phrase has a particle already", p)
		case p.Lang == "tl" && strings.HasPrefix(p.Text, "sahod") && p.Text != "sahod":
			t.Errorf("unexpected phrase %+v: one word has no gap", p)
		}
	}
	// Each gap gets the two particles bare, and a gap after a word that
	// ends in -ng also both linked to each of its two stems: 6 forms of
	// "libreng pamasahe", 2 + 6 of "huwag mong sabihin", 6 of "kailangang
	// magbayad", and the three phrases themselves.
	n := 0
	for p := range has {
		if p.Lang == "tl" && !strings.HasPrefix(p.Text, "paano") && !strings.HasPrefix(p.Text, "sahod") {
			n++
		}
	}
	if want := 3 + 6 + (2 + 6) + 6; n != want {
		t.Errorf("%d Tagalog forms of the three phrases, want %d", n, want)
	}
}

// TestBurmesePoliteForms checks that a Burmese phrase also matches with
// the polite particle before its verb ending, that a phrase that has it
// already, the words that only look like an ending (ဖောက်သည်, "customer";
// တယ်လီ, "Telegram"; နာမည်, "name") and နဲ့ as "with" after a noun (ကားနဲ့,
// "by car"; ပါမစ်နဲ့, "with a permit") get no such form, and that every
// form is already normalised.
func TestBurmesePoliteForms(t *testing.T) {
	has := compiledPhrases(t, "my: ['ထမင်းကျွေးမယ်', 'မိဘကို မပြောနဲ့', 'လစာပေးပါမယ်', 'ဖောက်သည်ဝန်ဆောင်မှု', 'တယ်လီဂရမ်', 'ကားနဲ့ကြို', 'အလုပ်ပါမစ်နဲ့', 'ငါ့နာမည်ပြောလိုက်']")
	for _, p := range []Phrase{
		{Lang: "my", Text: "ထမင်းကျွေးမယ်"},
		{Lang: "my", Text: "ထမင်းကျွေးပါမယ်"},   // "will feed", politely
		{Lang: "my", Text: "ထမင်းကျွေးပါ့မယ်"},  // as spoken
		{Lang: "my", Text: "မိဘကို မပြောပါနဲ့"}, // "don't tell the parents"
	} {
		if !has[p] {
			t.Errorf("no phrase %+v", p)
		}
	}
	n := 0
	for p := range has {
		if p.Lang != "my" {
			continue
		}
		n++
		if norm := textnorm.String(p.Text); norm != p.Text {
			t.Errorf("form %q is not normalised (%q)", p.Text, norm)
		}
	}
	if want := 8 + 2 + 2; n != want { // the eight phrases, two forms of each of the first two
		t.Errorf("%d Burmese phrases, want %d", n, want)
	}
}

func TestPatternLiteralsNormalised(t *testing.T) {
	data := strings.Replace(valid, `'\$[0-9]{4}'`, `'Làm ?[0-9]+ TIẾNG|จำกัด'`, 1)
	f, err := Parse("r.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	re := f.Indicators[1].Regexps[0]
	for _, s := range []string{"lam 12 tieng", "จํากัด"} {
		if !re.MatchString(s) {
			t.Errorf("normalised pattern %s does not match normalised %q", re, s)
		}
	}
}

// TestShippedRules parses the rules file that ships with lurewatch.
func TestShippedRules(t *testing.T) {
	data, err := os.ReadFile("../../configs/rules/lures.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse("lures.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]bool{}
	for _, ind := range f.Indicators {
		for _, p := range ind.NormPhrases {
			langs[p.Lang] = true
		}
	}
	for _, l := range []string{"en", "zh", "vi", "th", "id", "ms", "tl", "my", "km"} {
		if !langs[l] {
			t.Errorf("no phrases in %s", l)
		}
	}
	// The combination model weighs indicators by id: one fitted to older
	// rules gives new indicators no weight, so it is refitted with each
	// version (make fit).
	if c := f.Combination; c == nil {
		t.Error("the shipped rules have no combination model")
	} else if want := "rules " + f.Version + ","; !strings.Contains(c.Fitted, want) {
		t.Errorf("combination fitted %q: not to rules %s; run make fit", c.Fitted, f.Version)
	}
}

// at returns "file:line:col: " for the n-th (from 1) occurrence of marker
// in data.
func at(t *testing.T, data, marker string, n int) string {
	t.Helper()
	off := 0
	for i := 0; i < n; i++ {
		j := strings.Index(data[off:], marker)
		if j < 0 {
			t.Fatalf("test setup: occurrence %d of %q not found", n, marker)
		}
		off += j
		if i < n-1 {
			off += len(marker)
		}
	}
	line := strings.Count(data[:off], "\n") + 1
	col := off - strings.LastIndex(data[:off], "\n")
	return fmt.Sprintf("r.yaml:%d:%d: ", line, len([]rune(data[off-col+1:off]))+1)
}

func TestParseErrors(t *testing.T) {
	edit := func(data string, pairs ...string) string {
		for i := 0; i < len(pairs); i += 2 {
			if !strings.Contains(data, pairs[i]) {
				t.Fatalf("test setup: %q not in the file", pairs[i])
			}
			data = strings.Replace(data, pairs[i], pairs[i+1], 1)
		}
		return data
	}
	e := func(pairs ...string) string { return edit(valid, pairs...) }
	// combo is a valid combination section, edited by pairs, after the
	// version line.
	combo := func(pairs ...string) string {
		return edit(`version: "t1"`+"\ncombination: {threshold: 0.7, bias: -3, per_category: 0.5, categories: {place: 1.5}, indicators: {place.shv: 2, pay.usd: 0.5}}", pairs...)
	}
	// Each want is a marker (the text the error must point at, and which
	// occurrence of it) and the exact message after "file:line:col: ".
	type want struct {
		marker string
		nth    int
		msg    string
	}
	tests := []struct {
		name, data string
		want       []want
	}{
		{"wrong type", e("weight: 25", "weight: lots"), []want{{"lots", 1, `rule "place.shv": weight: want a number, got a string`}}},
		{"unknown field", e("    weight: 10\n", "    weight: 10\n    colour: red\n"), []want{{"colour", 1, `rule "pay.usd": unknown field "colour"`}}},
		{"unknown top-level field", e("levels:", "colour: red\nlevels:"), []want{{"colour", 1, `unknown field "colour"`}}},
		{"unknown level", e("  low: {min_score: 10}", "  lowest: {min_score: 10}"), []want{{"lowest", 1, `levels: unknown field "lowest" (want low, medium, high, critical)`}}},
		{"bad level field", e("critical: {min_score: 80", "critical: {min_scor: 80"), []want{{"min_scor:", 1, `level "critical": unknown field "min_scor"`}}},
		{"duplicate key", e("    weight: 25\n", "    weight: 25\n    weight: 20\n"), []want{{"weight: 20", 1, `rule "place.shv": duplicate key "weight" (first at line 14)`}}},
		{"duplicate id", e("id: obf", "id: pay.usd"), []want{{"pay.usd", 2, `rule "pay.usd": duplicate id (first used by rule 2, line 19)`}}},
		{"duplicate category", e("  - {id: pay, cap: 20}\n", "  - {id: pay, cap: 20}\n  - {id: place, cap: 5}\n"), []want{{"place, cap: 5", 1, `category "place": duplicate id (first used by category 1, line 8)`}}},
		{"bad category id", e("{id: pay, cap: 20}", "{id: Pay, cap: 20}", "category: pay\n    weight: 10", "category: Pay\n    weight: 10", "category: pay\n    weight: 5", "category: Pay\n    weight: 5"),
			[]want{{"Pay, cap", 1, `category "Pay": id: use lower-case letters, digits and _`}}},
		{"salary with unknown category", e("    signals: [spaced_letters]\n", "    salary: {min_usd_per_month: 900, with_any: [place, roles]}\n"),
			[]want{{"roles", 1, `rule "obf": salary: with_any: unknown category "roles"`}}},
		{"salary without a minimum", e("    signals: [spaced_letters]\n", "    salary: {with_any: [place]}\n"),
			[]want{{"with_any: [place]}", 1, `rule "obf": salary: min_usd_per_month 0: want a positive number`}}},
		{"bad rate", e("levels:", "rates: {usd: 1}\nlevels:"), []want{{"1}", 1, `rates: usd: 1: want an upper-case currency code and a positive USD rate`}}},
		{"bad cap", e("{id: pay, cap: 20}", "{id: pay, cap: 200}"), []want{{"200", 1, `category "pay": cap 200: want a number above 0 and at most 100`}}},
		{"empty phrase list", e("zh: [西港]", "zh: []"), []want{{"[]", 1, `rule "place.shv": phrases: zh: empty phrase list`}}},
		{"null phrase list", e("zh: [西港]", "zh:"), []want{{"zh:", 1, `rule "place.shv": phrases: zh: empty phrase list`}}},
		{"empty phrase", e("[Sihanoukville, SHV]", `[Sihanoukville, ""]`), []want{{`""`, 1, `rule "place.shv": phrases: en: phrase 2 is empty`}}},
		{"phrase normalises to nothing", e("[Sihanoukville, SHV]", "[Sihanoukville, \"\u200b\"]"), []want{{"\"\u200b", 1, `rule "place.shv": phrases: en: phrase 2 ("\u200b") is empty once normalised`}}},
		{"one-letter phrase", e("[Sihanoukville, SHV]", "[Sihanoukville, X]"), []want{{"X]", 1, `rule "place.shv": phrases: en: phrase "X" is too short to match reliably`}}},
		{"short stem", e("[Sihanoukville, SHV]", "[Sihanoukville, 'sh*']"), []want{{"'sh*'", 1, `rule "place.shv": phrases: en: stem "sh" is too short: a phrase with '*' needs at least 3 characters`}}},
		{"star alone", e("[Sihanoukville, SHV]", "[Sihanoukville, '*']"), []want{{"'*'", 1, `rule "place.shv": phrases: en: phrase 2 is empty`}}},
		{"star inside", e("[Sihanoukville, SHV]", "[Sihanoukville, 'si*ville']"), []want{{"'si*ville'", 1, `rule "place.shv": phrases: en: phrase "si*ville" has a '*' inside: a stem has it only at its start or end`}}},
		{"bad language", e("zh: [西港]", "chinese: [西港]"), []want{{"[西港]", 1, `rule "place.shv": phrases: language "chinese": want an ISO 639-1 code such as en, zh or vi, or "any"`}}},
		{"unknown language", e("zh: [西港]", "xx: [西港]"), []want{{"[西港]", 1, `rule "place.shv": phrases: language "xx": want an ISO 639-1 code such as en, zh or vi, or "any"`}}},
		{"unless_any unknown category", e("      en: [licence no]\n", "      en: [licence no]\n    unless_any: [realness]\n"), []want{{"realness]", 1, `rule "legit.licence": unless_any: unknown category "realness"`}}},
		{"unless_any own category", e("      en: [licence no]\n", "      en: [licence no]\n    unless_any: [pay, legit]\n"), []want{{"legit]", 1, `rule "legit.licence": unless_any: its own category "legit"`}}},
		{"unless_lang unknown language", e("      en: [licence no]\n", "      en: [licence no]\n    unless_lang: [th, thai]\n"), []want{{"thai]", 1, `rule "legit.licence": unless_lang: language "thai": want an ISO 639-1 code such as th or vi`}}},
		{"salary minimum by currency", e("      en: [licence no]\n", "      en: [licence no]\n    salary: {min_usd_per_month: 40, max_usd_per_month: 450, min_usd_per_month_in: {hkd: 30, MOP: 500}}\n"),
			[]want{{"30,", 1, `rule "legit.licence": salary: min_usd_per_month_in: currency "hkd": want an ISO 4217 code in capitals such as HKD`},
				{"500}", 1, `rule "legit.licence": salary: min_usd_per_month_in: MOP 500: want a positive number below max_usd_per_month, if any`}}},
		{"salary max not above min", e("      en: [licence no]\n", "      en: [licence no]\n    salary: {min_usd_per_month: 400, max_usd_per_month: 300}\n"), []want{{"300}", 1, `rule "legit.licence": salary: max_usd_per_month 300: want a number above min_usd_per_month`}}},
		{"unless_lang any", e("      en: [licence no]\n", "      en: [licence no]\n    unless_lang: [any]\n"), []want{{"any]", 1, `rule "legit.licence": unless_lang: language "any": want an ISO 639-1 code such as th or vi`}}},
		{"overrides an unknown indicator", e("      en: [licence no]\n", "      en: [licence no]\n    overrides: [pay.eur]\n"), []want{{"pay.eur", 1, `rule "legit.licence": overrides: unknown indicator "pay.eur"`}}},
		{"overrides itself", e("      en: [licence no]\n", "      en: [licence no]\n    overrides: [pay.usd, legit.licence]\n"), []want{{"legit.licence]", 1, `rule "legit.licence": overrides: itself`}}},
		{"overrides one that overrides", e("      en: [licence no]\n", "      en: [licence no]\n    overrides: [obf]\n", "    signals: [spaced_letters]\n", "    signals: [spaced_letters]\n    overrides: [pay.usd]\n"),
			[]want{{"obf]", 1, `rule "legit.licence": overrides: "obf" overrides others itself; chains are not supported`}}},
		{"negated_as an unknown indicator", e("      en: [licence no]\n", "      en: [licence no]\n    negated_as: pay.eur\n", "indicators:\n", "negation: {max_gap: 12, before: {en: [\"no\", without]}, after: {en: [not required]}}\n"+"indicators:\n"), []want{{"pay.eur", 1, `rule "legit.licence": negated_as: unknown indicator "pay.eur"`}}},
		{"negated_as itself", e("      en: [licence no]\n", "      en: [licence no]\n    negated_as: legit.licence\n", "indicators:\n", "negation: {max_gap: 12, before: {en: [\"no\", without]}, after: {en: [not required]}}\n"+"indicators:\n"), []want{{"legit.licence\n", 2, `rule "legit.licence": negated_as: itself`}}},
		{"negated_as one negated in turn", e("      en: [licence no]\n", "      en: [licence no]\n    negated_as: place.shv\n", "      zh: [西港]\n", "      zh: [西港]\n    negated_as: legit.licence\n", "indicators:\n", "negation: {max_gap: 12, before: {en: [\"no\", without]}, after: {en: [not required]}}\n"+"indicators:\n"),
			[]want{{"legit.licence\n", 1, `rule "place.shv": negated_as: "legit.licence" is negated as another itself; chains are not supported`}, {"place.shv\n", 2, `rule "legit.licence": negated_as: "place.shv" is negated as another itself; chains are not supported`}}},
		{"negated_as without negation cues", e("      en: [licence no]\n", "      en: [licence no]\n    negated_as: place.shv\n"), []want{{"place.shv\n", 2, `rule "legit.licence": negated_as: the file has no negation cues`}}},
		{"negated_as without phrases", e("    signals: [spaced_letters]\n", "    signals: [spaced_letters]\n    negated_as: place.shv\n", "indicators:\n", "negation: {max_gap: 12, before: {en: [\"no\", without]}, after: {en: [not required]}}\n"+"indicators:\n"), []want{{"place.shv\n", 2, `rule "obf": negated_as: the rule has no phrases to negate`}}},
		{"negation gap out of range", e("indicators:\n", strings.Replace("negation: {max_gap: 12, before: {en: [\"no\", without]}, after: {en: [not required]}}\n", "12", "90", 1)+"indicators:\n"), []want{{"90", 1, `negation: max_gap 90: want 1 to 40`}}},
		{"negation cue too short", e("indicators:\n", strings.Replace("negation: {max_gap: 12, before: {en: [\"no\", without]}, after: {en: [not required]}}\n", "without", "x", 1)+"indicators:\n"), []want{{"x]", 1, `negation: before: en: phrase "x" is too short to match reliably`}}},
		{"negation unknown field", e("indicators:\n", strings.Replace("negation: {max_gap: 12, before: {en: [\"no\", without]}, after: {en: [not required]}}\n", "after:", "around:", 1)+"indicators:\n"), []want{{"around", 1, `negation: unknown field "around"`}}},
		{"unknown category", e("category: pay\n    weight: 10", "category: money\n    weight: 10"), []want{{"money", 1, `rule "pay.usd": unknown category "money"`}}},
		{"no category", e("    category: pay\n    weight: 10\n", "    weight: 10\n"), []want{{"id: pay.usd", 1, `rule "pay.usd": no category`}}},
		{"no id", e("id: obf", "description: x"), []want{{"description: x", 1, `rule 3: no id`}}},
		{"bad id", e("id: obf", "id: Obf!"), []want{{"Obf!", 1, `rule "Obf!": id: use lower-case letters, digits, '.', '_' and '-'`}}},
		{"bad weight", e("weight: 5", "weight: -5"), []want{{"-5", 1, `rule "obf": weight -5: want a number above 0 and at most 100`}}},
		{"weight above cap", e("weight: 25", "weight: 35"), []want{{"35", 1, `rule "place.shv": weight 35 is above its category's cap 30`}}},
		{"bad pattern", e(`'\$[0-9]{4}'`, `'(unclosed'`), []want{{"'(unclosed'", 1, "rule \"pay.usd\": pattern 1: error parsing regexp: missing closing ): `(unclosed`"}}},
		{"empty-matching pattern", e(`'\$[0-9]{4}'`, `'x*'`), []want{{"'x*'", 1, `rule "pay.usd": pattern 1 matches the empty string`}}},
		{"unknown signal", e("[spaced_letters]", "[shouting]"), []want{{"shouting", 1, `rule "obf": unknown signal "shouting" (want spaced_letters, leetspeak or homoglyphs)`}}},
		{"nothing to match", e("    signals: [spaced_letters]\n", ""), []want{{"id: obf", 1, `rule "obf": no phrases, patterns, signals, salary, prose or quoted`}}},
		{"prose line too short", e("    signals: [spaced_letters]\n", "    prose: {min_avg_line: 5}\n"), []want{{"5}", 1, `rule "obf": prose: min_avg_line 5: want 20 to 10000`}}},
		{"prose negative length", e("    signals: [spaced_letters]\n", "    prose: {min_avg_line: 100, min_chars: -1}\n"), []want{{"-1}", 1, `rule "obf": prose: min_chars -1: want 0 to 100000`}}},
		{"prose unknown field", e("    signals: [spaced_letters]\n", "    prose: {min_avg_line: 100, lines: 3}\n"), []want{{"lines", 1, `rule "obf": unknown field "lines"`}}},
		{"quoted without categories", e("category: pay\n    weight: 5\n    signals: [spaced_letters]\n", "category: legit\n    weight: 5\n    quoted: {min_categories: 0}\n"), []want{{"0}\n  - id: legit.licence", 1, `rule "obf": quoted: min_categories 0: want 1 to 20`}}},
		{"quoted in a raising category", e("    signals: [spaced_letters]\n", "    quoted: {min_categories: 2}\n"), []want{{"min_categories: 2}", 1, `rule "obf": quoted: category "pay" raises the score; want a lower or context category`}}},
		{"one category reaches medium", e("min_categories: 2", "min_categories: 1"), []want{{"1, require_any", 1, `level "medium": min_categories 1: want at least 2, so that one kind of cue alone never flags an ad`}}},
		{"scores not increasing", e("min_score: 60", "min_score: 30"), []want{{"30", 1, `level "high": min_score 30: want more than 40 and at most 100`}}},
		{"unknown require_any", e("require_any: [place]", "require_any: [nowhere]"), []want{{"nowhere", 1, `level "medium": require_any: unknown category "nowhere"`}}},
		{"lowering require_any", e("require_any: [place]", "require_any: [legit]"), []want{{"legit]", 1, `level "medium": require_any: category "legit" does not raise the score`}}},
		{"context require_any", e("require_any: [place]", "require_any: [kin]", "  - {id: legit, effect: lower", "  - {id: kin, effect: context, cap: 10}\n  - {id: legit, effect: lower"), []want{{"kin]", 1, `level "medium": require_any: category "kin" does not raise the score`}}},
		{"withhold by a raising category", e("require_any: [place]}", "require_any: [place], withhold: {categories: [pay], min_score: 30}}"), []want{{"pay]", 1, `level "medium": withhold: category "pay" raises the score; want lower or context categories`}}},
		{"withhold by an unknown category", e("require_any: [place]}", "require_any: [place], withhold: {categories: [news], min_score: 30}}"), []want{{"news]", 1, `level "medium": withhold: unknown category "news"`}}},
		{"withhold without a score", e("require_any: [place]}", "require_any: [place], withhold: {categories: [legit]}}"), []want{{"categories: [legit]}", 1, `level "medium": withhold: min_score 0: want a number above 0 and at most 100`}}},
		{"withhold without categories", e("require_any: [place]}", "require_any: [place], withhold: {min_score: 30}}"), []want{{"min_score: 30}", 1, `level "medium": withhold: categories: want at least one`}}},
		{"withhold unless unknown category", e("require_any: [place]}", "require_any: [place], withhold: {categories: [legit], min_score: 30, unless: [realness]}}"), []want{{"realness]", 1, `level "medium": withhold: unless: unknown category "realness"`}}},
		{"withhold unless a lowering category", e("require_any: [place]}", "require_any: [place], withhold: {categories: [legit], min_score: 30, unless: [legit]}}"), []want{{"legit]}}", 1, `level "medium": withhold: unless: category "legit" does not raise the score`}}},
		{"withhold unknown field", e("require_any: [place]}", "require_any: [place], withhold: {categories: [legit], min_score: 30, max: 2}}"), []want{{"max", 1, `level "medium": unknown field "max"`}}},
		{"missing level", e("  critical: {min_score: 80, min_categories: 4}\n", ""), []want{{"low", 1, `level "critical": missing from levels`}}},
		{"bad effect", e("effect: lower, cap: 20", "effect: sideways, cap: 20"), []want{{"sideways", 1, `category "legit": effect "sideways": want "raise", "lower" or "context"`}}},
		{"mutes_quoted on context", e("{id: pay, cap: 20}", "{id: pay, cap: 20, effect: context, mutes_quoted: true}"), []want{{"true}", 1, `category "pay": mutes_quoted needs effect "lower"`}}},
		{"mutes_quoted on raise", e("{id: pay, cap: 20}", "{id: pay, cap: 20, mutes_quoted: true}"), []want{{"true}", 1, `category "pay": mutes_quoted needs effect "lower"`}}},
		{"missing version", e(`version: "t1"`, `version: ""`), []want{{`""`, 1, `version: missing; give the rules a version string`}}},
		{"several at once", e("id: obf\n    category: pay\n    weight: 5", "id: pay.usd\n    category: nope\n    weight: 0"), []want{
			{"pay.usd", 2, `rule "pay.usd": duplicate id (first used by rule 2, line 19)`},
			{"nope", 1, `rule "pay.usd": unknown category "nope"`},
			{"0\n    signals", 1, `rule "pay.usd": weight 0: want a number above 0 and at most 100`},
		}},
		{"decode and semantic errors together", e("weight: 25", "weight: lots", "id: obf", "id: pay.usd", "{id: pay, cap: 20}", "{id: pay, cap: 20, colour: red}", "zh: [西港]", "zh: []"), []want{
			{"colour", 1, `category "pay": unknown field "colour"`},
			{"lots", 1, `rule "place.shv": weight: want a number, got a string`},
			{"pay.usd", 2, `rule "pay.usd": duplicate id (first used by rule 2, line 19)`},
		}},
		{"a broken category is not unknown", e("{id: pay, cap: 20}", "{id: pay, cap: lots}"), []want{
			{"lots", 1, `category "pay": cap: want a number, got a string`},
		}},
		{"anchors resolve when decoding part by part", e("require_any: [place]", "require_any: &m [place]", "high: {min_score: 60, min_categories: 3}", "high: {min_score: 60, min_categories: 3, require_any: *m}", "weight: 25", "weight: lots"), []want{
			{"lots", 1, `rule "place.shv": weight: want a number, got a string`},
		}},
		{"combination threshold not a probability", e(`version: "t1"`, combo("threshold: 0.7", "threshold: 1.2")), []want{{"1.2", 1, `combination: threshold 1.2: want a probability above 0.5 and below 1`}}},
		{"combination unknown rule", e(`version: "t1"`, combo("pay.usd: 0.5", "pay.eur: 0.5")), []want{{"pay.eur", 1, `combination: indicators: unknown rule "pay.eur"`}}},
		{"combination unknown category", e(`version: "t1"`, combo("place: 1.5", "places: 1.5")), []want{{"places", 1, `combination: categories: unknown category "places"`}}},
		{"combination weight too large", e(`version: "t1"`, combo("place.shv: 2", "place.shv: 200")), []want{{"place.shv: 200", 1, `combination: indicators: place.shv: weight 200: want a number from -50 to 50`}}},
		{"combination bias too large", e(`version: "t1"`, combo("bias: -3", "bias: -300")), []want{{"-300", 1, `combination: bias -300: want a number from -50 to 50`}}},
		{"combination unknown field", e(`version: "t1"`, combo("bias: -3", "bias: -3, slope: 1")), []want{{"slope", 1, `combination: unknown field "slope"`}}},
		{"indicators not a list", valid[:strings.Index(valid, "indicators:")] + "indicators: {id: x}\n", []want{
			{"{id: x}", 1, `indicators: mapping was used where sequence is expected`},
			{"id: x", 1, `indicators: none defined`},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("r.yaml", []byte(tt.data))
			if err == nil {
				t.Fatal("want an error, got nil")
			}
			if !errors.Is(err, lurewatch.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			var ye *yamlfile.Error
			if !errors.As(err, &ye) {
				t.Errorf("error %v is not a *yamlfile.Error", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if want := at(t, tt.data, w.marker, w.nth) + w.msg; lines[i] != want {
					t.Errorf("error %d =\n%s\nwant\n%s", i+1, lines[i], want)
				}
			}
		})
	}
}

// TestParseReportsEverything: problems with a place come first in file
// order, then those of the whole file (parts missing), all at once.
func TestParseReportsEverything(t *testing.T) {
	_, err := Parse("r.yaml", []byte("version: x\nbogus: 1\nversion: y\n"))
	want := `r.yaml:2:1: unknown field "bogus"
r.yaml:3:1: duplicate key "version"
r.yaml:1:1: categories: none defined
r.yaml:1:1: level "low": missing from levels
r.yaml:1:1: level "medium": missing from levels
r.yaml:1:1: level "high": missing from levels
r.yaml:1:1: level "critical": missing from levels
r.yaml:1:1: indicators: none defined`
	if err == nil || err.Error() != want {
		t.Errorf("error =\n%v\nwant\n%s", err, want)
	}
}

func TestParseErrorsNoPosition(t *testing.T) {
	for _, data := range []string{"", "version: [\n", "- a\n- b\n", "a: 1\n---\nb: 2\n"} {
		_, err := Parse("r.yaml", []byte(data))
		if err == nil || !posPrefix.MatchString(err.Error()) || !errors.Is(err, lurewatch.ErrInvalid) {
			t.Errorf("Parse(%q) error = %v, want r.yaml:line:col: ... wrapping ErrInvalid", data, err)
		}
	}
}

func TestDecode(t *testing.T) {
	var v struct {
		A int `yaml:"a"`
	}
	if err := Decode("d.yaml", []byte("a: 1\n"), &v); err != nil || v.A != 1 {
		t.Errorf("Decode = %v, %+v", err, v)
	}
	for data, want := range map[string]string{
		"a: 1\nb: 2\n": `d.yaml:2:1: unknown field "b"`,
		"":             "d.yaml:1:1: file is empty",
		"a: [\n":       "d.yaml:1:",
	} {
		err := Decode("d.yaml", []byte(data), &v)
		if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, lurewatch.ErrInvalid) {
			t.Errorf("Decode(%q) = %v, want prefix %q", data, err, want)
		}
	}
}

var posPrefix = regexp.MustCompile(`^[a-z]\.yaml:[0-9]+:[0-9]+: `)

// FuzzParse feeds the parser mutations of the shipped rules and of the
// files in the tests above: it must never panic, and every line of an
// error must start with "file:line:col: ".
func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte("version: x\nlevels: {}\n"))
	f.Add([]byte(valid + "combination: {threshold: 0.7, bias: -3, per_category: 0.5, categories: {place: 1}, indicators: {place.shv: 2, nope: 1}}\n"))
	f.Add([]byte("version: x\nlevels: {low: {min_score: 1}}\ncategories: [{id: a, cap: lots}]\nindicators: [{id: b, category: a, weight: x}]\n"))
	for _, p := range []string{"../../configs/rules/lures.yaml", "../../configs/rules/lures_test.yaml"} {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	for _, r := range [][2]string{
		{"weight: 25", "weight: lots"}, {"id: obf", "id: pay.usd"}, {"zh: [西港]", "zh: []"},
		{`'\$[0-9]{4}'`, `'(unclosed'`}, {"require_any: [place]", "require_any: &m [place]"},
	} {
		f.Add([]byte(strings.Replace(valid, r[0], r[1], 1)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Parse("f.yaml", data)
		if err == nil {
			return
		}
		if !errors.Is(err, lurewatch.ErrInvalid) {
			t.Fatalf("error %v does not wrap ErrInvalid", err)
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			if !posPrefix.MatchString(line) {
				t.Fatalf("error line %q does not start with f.yaml:line:col:", line)
			}
		}
	})
}
