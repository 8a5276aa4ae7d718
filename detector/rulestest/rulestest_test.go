package rulestest

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector"
	"github.com/lurewatch/lurewatch/detector/rulefmt"
)

// rules has two raising categories, both needed for medium.
const rules = `version: "rt"
levels:
  low: {min_score: 10}
  medium: {min_score: 20, min_categories: 2}
  high: {min_score: 30, min_categories: 3}
  critical: {min_score: 100, min_categories: 4}
categories:
  - {id: a, cap: 10}
  - {id: b, cap: 10}
  - {id: c, cap: 10}
  - {id: ok, effect: lower, cap: 10}
indicators:
  - {id: a.alpha, category: a, weight: 10, phrases: {en: [alpha]}}
  - {id: b.beta, category: b, weight: 10, phrases: {en: [beta]}}
  - {id: c.gamma, category: c, weight: 10, phrases: {en: [gamma]}}
  - {id: ok.licence, category: ok, weight: 10, phrases: {en: [licence]}}
`

const valid = `rule_files: [r.yaml]
tests:
  - name: two cues
    lang: en
    text: alpha beta
    expect:
      level: medium
      score: {min: 20, max: 20}
      indicators: [a.alpha, b.beta]
      absent: [c.gamma]
      categories: [a]
      absent_categories: [ok]
  - name: range
    title: alpha
    text: beta gamma
    expect:
      level: {min: medium, max: high}
`

func TestParseValid(t *testing.T) {
	f, err := Parse("t.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.RuleFiles) != 1 || f.RuleFiles[0] != "r.yaml" || len(f.Tests) != 2 {
		t.Fatalf("parsed %+v", f)
	}
	c := f.Tests[0]
	if c.Name != "two cues" || c.Pos.Line != 3 || c.Pos.Col != 5 {
		t.Errorf("case 1 = %q at %v", c.Name, c.Pos)
	}
	e := c.Expect
	if e.MinLevel != lurewatch.LevelMedium || e.MaxLevel != lurewatch.LevelMedium || e.MinScore != 20 || e.MaxScore != 20 {
		t.Errorf("expect 1 = %+v", e)
	}
	if e2 := f.Tests[1].Expect; e2.MinLevel != lurewatch.LevelMedium || e2.MaxLevel != lurewatch.LevelHigh || e2.MinScore != 0 || e2.MaxScore != 100 {
		t.Errorf("expect 2 = %+v", e2)
	}
}

func TestParseErrors(t *testing.T) {
	edit := func(old, new string) string {
		if !strings.Contains(valid, old) {
			t.Fatalf("test setup: %q not in valid", old)
		}
		return strings.Replace(valid, old, new, 1)
	}
	tests := []struct {
		name, data string
		want       []string // exact lines
	}{
		{"unknown field", edit("    lang: en\n", "    langue: en\n"),
			[]string{`t.yaml:4:5: unknown field "langue"`}},
		{"unknown expect field", edit("      absent: [c.gamma]", "      missing: [c.gamma]"),
			[]string{`t.yaml:10:7: unknown field "missing"`}},
		{"wrong type", edit("{min: 20, max: 20}", "{min: lots, max: 20}"),
			nil}, // decoder message; position checked below
		{"bad level name", edit("level: medium", "level: severe"),
			[]string{`t.yaml:7:14: test "two cues": expect: level: "severe": want one of none, low, medium, high, critical`}},
		{"unknown level key", edit("{min: medium, max: high}", "{least: medium, max: high}"),
			[]string{`t.yaml:17:15: test "range": expect: level: unknown field "least" (want min or max)`}},
		{"inverted level", edit("{min: medium, max: high}", "{min: high, max: low}"),
			[]string{`t.yaml:17:14: test "range": expect: level: min high is above max low`}},
		{"level as list", edit("level: medium", "level: [medium]"),
			[]string{`t.yaml:7:14: test "two cues": expect: level: want a level name or {min: LEVEL, max: LEVEL}`}},
		{"inverted score", edit("{min: 20, max: 20}", "{min: 30, max: 20}"),
			[]string{`t.yaml:8:15: test "two cues": expect: score: min 30 is above max 20`}},
		{"score out of range", edit("{min: 20, max: 20}", "{min: 20, max: 120}"),
			[]string{`t.yaml:8:29: test "two cues": expect: score: max 120: want 0 to 100`}},
		{"both wanted and absent", edit("absent: [c.gamma]", "absent: [a.alpha]"),
			[]string{`t.yaml:10:16: test "two cues": expect: "a.alpha" is both in indicators and in absent`}},
		{"no name", edit("  - name: range\n", "  - name: \"\"\n"),
			[]string{`t.yaml:13:11: test 2 has no name`}},
		{"duplicate name", edit("name: range", "name: two cues"),
			[]string{`t.yaml:13:11: test "two cues": duplicate name (first used by test 1)`}},
		{"no text", edit("    title: alpha\n    text: beta gamma\n", ""),
			[]string{`t.yaml:13:5: test "range": no title or text to assess`}},
		{"no expect", edit("    expect:\n      level: {min: medium, max: high}\n", ""),
			[]string{`t.yaml:13:5: test "range": expect is missing: say what the detector must report`}},
		{"bad lang", edit("lang: en", "lang: English"),
			[]string{`t.yaml:4:11: test "two cues": lang "English": want an ISO 639 code such as en, vi or zh`}},
		{"no rule files", edit("rule_files: [r.yaml]", "rule_files: []"),
			[]string{`t.yaml:1:13: rule_files: name at least one rules file`}},
		{"several at once", edit("level: medium\n      score: {min: 20, max: 20}", "level: severe\n      score: {min: 50, max: 10}"), []string{
			`t.yaml:7:14: test "two cues": expect: level: "severe": want one of none, low, medium, high, critical`,
			`t.yaml:8:15: test "two cues": expect: score: min 50 is above max 10`,
		}},
		{"empty", "", []string{"t.yaml:1:1: file is empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tt.data))
			if err == nil {
				t.Fatal("want an error")
			}
			if !errors.Is(err, lurewatch.ErrInvalid) {
				t.Errorf("error %v does not wrap ErrInvalid", err)
			}
			lines := strings.Split(err.Error(), "\n")
			if tt.want == nil {
				if !strings.HasPrefix(lines[0], "t.yaml:8:") {
					t.Errorf("error = %q, want t.yaml:8:...", err)
				}
				return
			}
			if strings.Join(lines, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("error =\n%s\nwant\n%s", err, strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestCheckUnknownIDs(t *testing.T) {
	data := strings.Replace(valid, "absent: [c.gamma]", "absent: [c.gama]", 1)
	data = strings.Replace(data, "categories: [a]", "categories: [zz]", 1)
	f, err := Parse("t.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	rf, err := rulefmt.Parse("r.yaml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	err = f.Check([]byte(data), "r.yaml", rf)
	want := `t.yaml:10:16: test "two cues": expect: absent: no indicator "c.gama" in r.yaml
t.yaml:11:20: test "two cues": expect: categories: no category "zz" in r.yaml`
	if err == nil || err.Error() != want || !errors.Is(err, lurewatch.ErrInvalid) {
		t.Errorf("Check error =\n%v\nwant\n%s", err, want)
	}
}

func TestRun(t *testing.T) {
	d, err := detector.Load("r.yaml", []byte(rules))
	if err != nil {
		t.Fatal(err)
	}
	data := valid + `  - name: wrong on purpose
    text: alpha licence
    expect:
      level: {min: high}
      score: {min: 50}
      indicators: [c.gamma]
      absent: [ok.licence]
      categories: [b]
      absent_categories: [a]
`
	f, err := Parse("t.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	rs := Run(f, "r.yaml", d, nil)
	if len(rs) != 3 || !rs[0].Passed() || !rs[1].Passed() {
		t.Fatalf("results %+v", rs)
	}
	want := []string{
		"level: want at least high, got none",
		"score: want at least 50, got 0",
		"indicators not matched: c.gamma",
		`indicators matched but expected absent: ok.licence ("licence")`,
		"categories not matched: b",
		"categories matched but expected absent: a",
	}
	got := rs[2].Failures
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if rs := Run(f, "r.yaml", d, regexp.MustCompile("^range$")); len(rs) != 1 || rs[0].Case.Name != "range" {
		t.Errorf("filtered run = %+v", rs)
	}
}

func TestExpectCheckExactLevel(t *testing.T) {
	e := Expect{MinLevel: lurewatch.LevelLow, MaxLevel: lurewatch.LevelLow, MaxScore: 100}
	if got := e.Check(lurewatch.Assessment{Level: lurewatch.LevelHigh}); len(got) != 1 || got[0] != "level: want low, got high" {
		t.Errorf("exact level failure = %q", got)
	}
	e = Expect{MinLevel: lurewatch.LevelNone, MaxLevel: lurewatch.LevelLow, MaxScore: 100}
	if got := e.Check(lurewatch.Assessment{Level: lurewatch.LevelMedium}); len(got) != 1 || got[0] != "level: want at most low, got medium" {
		t.Errorf("max level failure = %q", got)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("r.yaml", rules)
	p := write("t.yaml", valid)
	s, err := Load(p, "")
	if err != nil {
		t.Fatal(err)
	}
	if rs := s.Run(nil); len(rs) != 2 || !rs[0].Passed() || !rs[1].Passed() {
		t.Errorf("results %+v", rs)
	}
	// Bad ids are reported against the test file.
	bad := write("bad.yaml", strings.Replace(valid, "[c.gamma]", "[c.nope]", 1))
	if _, err := Load(bad, ""); err == nil || !strings.HasPrefix(err.Error(), bad+":10:16: ") {
		t.Errorf("Load bad ids: %v", err)
	}
	// A missing rules file is an I/O error, not ErrInvalid.
	missing := write("missing.yaml", strings.Replace(valid, "r.yaml", "nowhere.yaml", 1))
	if _, err := Load(missing, ""); err == nil || errors.Is(err, lurewatch.ErrInvalid) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load with a missing rules file: %v", err)
	}
	// The override replaces rule_files.
	if _, err := Load(missing, filepath.Join(dir, "r.yaml")); err != nil {
		t.Errorf("Load with override: %v", err)
	}
}

// TestShippedCases runs the project's own rules tests, so that `make test`
// fails when a rules change breaks one.
func TestShippedCases(t *testing.T) {
	s, err := Load("../../configs/rules/lures_test.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	rs := s.Run(nil)
	if len(rs) < 40 {
		t.Errorf("only %d shipped cases, want at least 40", len(rs))
	}
	for _, r := range rs {
		if !r.Passed() {
			t.Errorf("%s: %q: %s\n  got %s", r.Case.Pos, r.Case.Name, strings.Join(r.Failures, "; "), r.Assessment.Summary)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(valid))
	f.Add([]byte("rule_files: [a]\ntests:\n  - name: x\n    text: y\n    expect: {level: {min: low}}\n"))
	f.Add([]byte("tests: [{name: a, expect: {level: [1]}}]"))
	if data, err := os.ReadFile("../../configs/rules/lures_test.yaml"); err == nil {
		f.Add(data)
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

var posPrefix = regexp.MustCompile(`^f\.yaml:[0-9]+:[0-9]+: `)

// TestShippedCasesCoverEveryCategory makes sure the project's cases
// exercise every category of the shipped rules, raising and lowering.
func TestShippedCasesCoverEveryCategory(t *testing.T) {
	s, err := Load("../../configs/rules/lures_test.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../configs/rules/lures.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rf, err := rulefmt.Parse("lures.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	langs := map[string]bool{}
	for _, r := range s.Run(nil) {
		for _, c := range r.Assessment.Categories {
			seen[c] = true
		}
		langs[r.Case.Lang] = true
	}
	for _, c := range rf.Categories {
		if !seen[c.ID] {
			t.Errorf("no case in configs/rules/lures_test.yaml matches category %q: add one", c.ID)
		}
	}
	if len(langs) < 8 {
		t.Errorf("cases in %d languages, want at least 8", len(langs))
	}
}
