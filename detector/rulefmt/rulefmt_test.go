package rulefmt

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lurewatch/lurewatch"
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
	want := []Phrase{{"en", "sihanoukville"}, {"en", "shv"}, {"zh", "西港"}}
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
}

// TestShippedRules parses the rules file that ships with lurewatch.
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
	edit := func(old, new string) string {
		if !strings.Contains(valid, old) {
			t.Fatalf("test setup: %q not in valid file", old)
		}
		return strings.Replace(valid, old, new, 1)
	}
	// Each want is a marker (the text the error must point at, and which
	// occurrence of it) and the start of the message.
	type want struct {
		marker string
		nth    int
		msg    string
	}
	tests := []struct {
		name, data string
		want       []want
	}{
		{"wrong type", edit("weight: 25", "weight: lots"), []want{{"lots", 1, ""}}},
		{"unknown field", edit("    weight: 10\n", "    weight: 10\n    colour: red\n"), []want{{"colour", 1, `unknown field "colour"`}}},
		{"unknown level", edit("  low: {min_score: 10}", "  lowest: {min_score: 10}"), []want{{"lowest", 1, `unknown field "lowest"`}}},
		{"duplicate key", edit("    weight: 25\n", "    weight: 25\n    weight: 20\n"), []want{{"weight: 20", 1, ""}}},
		{"duplicate id", edit("id: obf", "id: pay.usd"), []want{{"pay.usd", 2, `duplicate indicator id "pay.usd" (first defined as indicator 2)`}}},
		{"empty phrase list", edit("zh: [西港]", "zh: []"), []want{{"[]", 1, `indicator "place.shv": phrases: zh: empty phrase list`}}},
		{"null phrase list", edit("zh: [西港]", "zh:"), []want{{"zh:", 1, `indicator "place.shv": phrases: zh: empty phrase list`}}},
		{"empty phrase", edit("[Sihanoukville, SHV]", `[Sihanoukville, ""]`), []want{{`""`, 1, `indicator "place.shv": phrases: en: phrase 2 is empty`}}},
		{"invisible phrase", edit("[Sihanoukville, SHV]", "[Sihanoukville, \"\u200b\"]"), []want{{"\"\u200b", 1, `indicator "place.shv": phrases: en: phrase 2 is empty`}}},
		{"bad language", edit("zh: [西港]", "chinese: [西港]"), []want{{"[西港]", 1, `indicator "place.shv": phrases: language "chinese"`}}},
		{"unknown category", edit("category: pay\n    weight: 10", "category: money\n    weight: 10"), []want{{"money", 1, `indicator "pay.usd": unknown category "money"`}}},
		{"bad weight", edit("weight: 5", "weight: -5"), []want{{"-5", 1, `indicator "obf": weight -5: want a number above 0 and at most 100`}}},
		{"weight above cap", edit("weight: 25", "weight: 35"), []want{{"35", 1, `indicator "place.shv": weight 35 is above its category's cap 30`}}},
		{"bad pattern", edit(`'\$[0-9]{4}'`, `'(unclosed'`), []want{{"'(unclosed'", 1, `indicator "pay.usd": pattern 1: error parsing regexp`}}},
		{"empty-matching pattern", edit(`'\$[0-9]{4}'`, `'x*'`), []want{{"'x*'", 1, `indicator "pay.usd": pattern 1 matches the empty string`}}},
		{"unknown signal", edit("[spaced_letters]", "[shouting]"), []want{{"shouting", 1, `indicator "obf": unknown signal "shouting"`}}},
		{"nothing to match", edit("    signals: [spaced_letters]\n", ""), []want{{"id: obf", 1, `indicator "obf" has no phrases, patterns or signals`}}},
		{"one category reaches medium", edit("min_categories: 2", "min_categories: 1"), []want{{"1, require_any", 1, `levels: medium: min_categories 1: want at least 2`}}},
		{"scores not increasing", edit("min_score: 60", "min_score: 30"), []want{{"30", 1, `levels: high: min_score 30: want more than 40`}}},
		{"unknown require_any", edit("require_any: [place]", "require_any: [nowhere]"), []want{{"nowhere", 1, `levels: medium: require_any: unknown category "nowhere"`}}},
		{"missing level", edit("  critical: {min_score: 80, min_categories: 4}\n", ""), []want{{"low", 1, `levels: critical is missing`}}},
		{"bad effect", edit("effect: lower, cap: 20", "effect: sideways, cap: 20"), []want{{"sideways", 1, `category "legit": effect "sideways"`}}},
		{"mutes_quoted on raise", edit("{id: pay, cap: 20}", "{id: pay, cap: 20, mutes_quoted: true}"), []want{{"true}", 1, `category "pay": mutes_quoted needs effect "lower"`}}},
		{"missing version", edit(`version: "t1"`, `version: ""`), []want{{`""`, 1, `version is missing`}}},
		{"several at once", edit("id: obf\n    category: pay\n    weight: 5", "id: pay.usd\n    category: nope\n    weight: 0"), []want{
			{"pay.usd", 2, `duplicate indicator id "pay.usd"`},
			{"nope", 1, `indicator "pay.usd": unknown category "nope"`},
			{"0\n    signals", 1, `indicator "pay.usd": weight 0: want a number above 0`},
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
				prefix := at(t, tt.data, w.marker, w.nth) + w.msg
				if !strings.HasPrefix(lines[i], prefix) {
					t.Errorf("error %d = %q, want prefix %q", i+1, lines[i], prefix)
				}
			}
		})
	}
}

func TestParseErrorsNoPosition(t *testing.T) {
	for _, data := range []string{"", "version: [\n"} {
		_, err := Parse("r.yaml", []byte(data))
		if err == nil || !strings.HasPrefix(err.Error(), "r.yaml:1:") || !errors.Is(err, lurewatch.ErrInvalid) {
			t.Errorf("Parse(%q) error = %v, want r.yaml:1:... wrapping ErrInvalid", data, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte("version: x\nlevels: {}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := Parse("f.yaml", data); err != nil && !errors.Is(err, lurewatch.ErrInvalid) {
			t.Fatalf("error %v does not wrap ErrInvalid", err)
		}
	})
}
