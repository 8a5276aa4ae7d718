// Package rulestest runs unit tests for lure rules, in the manner of
// `promtool test rules`: a YAML file lists ads (title and text) and what the
// detector must say about each (a level or level range, a score range,
// indicators and categories that must or must not match). It backs
// `lurewatch rules test`.
//
// A test file looks like this:
//
//	rule_files: [lures.yaml]        # relative to this file; each is tested
//	tests:
//	  - name: customer-service lure in Sihanoukville
//	    lang: en                     # optional, for the reader
//	    title: ""                    # optional
//	    text: |
//	      Customer service in Sihanoukville, $1500, free flight...
//	    expect:
//	      level: {min: high}         # or {min: medium, max: high}, or: level: medium
//	      score: {min: 40}           # optional, 0-100
//	      indicators: [hotspot.sihanoukville]   # must all match
//	      absent: [legit.licence_number]        # must not match
//	      categories: [free_travel]             # must all match
//	      absent_categories: [awareness_warning]
//
// Parsing is strict (unknown fields are errors), and every problem is
// reported at once as "file:line:col: test "name": message". Indicator and
// category ids are checked against the rule files, so a typo cannot make an
// "absent" expectation pass by accident.
package rulestest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector"
	"github.com/lurewatch/lurewatch/detector/rulefmt"
	"github.com/lurewatch/lurewatch/internal/yamlfile"
)

// File is a parsed test file.
type File struct {
	// Name is the file's name as given to Parse.
	Name string
	// RuleFiles are the rules files the cases run against, as written
	// (relative to the test file unless absolute).
	RuleFiles []string
	Tests     []*Case
}

// Case is one test case: an ad and what the detector must say about it.
type Case struct {
	Name  string
	Lang  string
	Title string
	Text  string
	// Pos is where the case starts in the test file.
	Pos    yamlfile.Pos
	Expect Expect
}

// Expect is what a case requires of the assessment. Parse sets the bounds
// a test file leaves out to the widest range (none to critical, 0 to 100);
// empty lists require nothing.
type Expect struct {
	// MinLevel and MaxLevel bound the level, both inclusive. An exact
	// level sets both.
	MinLevel, MaxLevel lurewatch.Level
	// MinScore and MaxScore bound the score, both inclusive.
	MinScore, MaxScore int
	// Indicators and Categories must all match; Absent and
	// AbsentCategories must not.
	Indicators, Absent           []string
	Categories, AbsentCategories []string
}

// raw mirrors the YAML form for strict decoding; fields whose form varies
// are checked on the syntax tree.
type raw struct {
	RuleFiles []string   `yaml:"rule_files"`
	Tests     []*rawCase `yaml:"tests"`
}

type rawCase struct {
	Name   string    `yaml:"name"`
	Lang   string    `yaml:"lang"`
	Title  string    `yaml:"title"`
	Text   string    `yaml:"text"`
	Expect rawExpect `yaml:"expect"`
}

type rawExpect struct {
	Level            any        `yaml:"level"`
	Score            *rawMinMax `yaml:"score"`
	Indicators       []string   `yaml:"indicators"`
	Absent           []string   `yaml:"absent"`
	Categories       []string   `yaml:"categories"`
	AbsentCategories []string   `yaml:"absent_categories"`
}

type rawMinMax struct {
	Min *int `yaml:"min"`
	Max *int `yaml:"max"`
}

var langRE = regexp.MustCompile(`^[a-z]{2,3}$`)

// Parse decodes and validates a test file: data is the contents of the file
// named file (the name is used in messages). Unknown fields, wrong types,
// cases without a name or text, duplicate names, unknown levels, empty or
// inverted ranges and cases that expect nothing are errors. The error is a
// yamlfile.Errors (or a single *yamlfile.Error for a file that does not
// decode), each "file:line:col: message"; it wraps lurewatch.ErrInvalid.
func Parse(file string, data []byte) (*File, error) {
	var r raw
	if err := rulefmt.Decode(file, data, &r); err != nil {
		return nil, err
	}
	tree, err := yamlfile.Parse(file, data)
	if err != nil {
		return nil, oneLine(err)
	}
	v := &validator{file: file, tree: tree}
	f := &File{Name: file, RuleFiles: r.RuleFiles}
	if len(r.RuleFiles) == 0 {
		v.errorf(nil, []string{"$.rule_files"}, "rule_files: name at least one rules file")
	}
	for i, rf := range r.RuleFiles {
		if strings.TrimSpace(rf) == "" {
			v.errorf(nil, []string{fmt.Sprintf("$.rule_files[%d]", i)}, "rule_files: entry %d is empty", i+1)
		}
	}
	if len(r.Tests) == 0 {
		v.errorf(nil, []string{"$.tests"}, "tests: no test cases")
	}
	seen := map[string]int{}
	for i, rc := range r.Tests {
		at := fmt.Sprintf("$.tests[%d]", i)
		if rc == nil {
			v.errorf(nil, []string{at}, "test %d is empty", i+1)
			continue
		}
		c := v.validateCase(rc, at, i)
		if c.Name != "" {
			if j, dup := seen[c.Name]; dup {
				v.errorf(c, []string{at + ".name", at}, "duplicate name (first used by test %d)", j+1)
			} else {
				seen[c.Name] = i
			}
		}
		f.Tests = append(f.Tests, c)
	}
	if err := v.errs.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

func (v *validator) validateCase(rc *rawCase, at string, i int) *Case {
	c := &Case{Name: strings.TrimSpace(rc.Name), Lang: rc.Lang, Title: rc.Title, Text: rc.Text,
		Pos: v.pos([]string{at})}
	if c.Name == "" {
		v.errorf(nil, []string{at + ".name", at}, "test %d has no name", i+1)
		c.Name = fmt.Sprintf("#%d", i+1)
	}
	if strings.TrimSpace(rc.Title) == "" && strings.TrimSpace(rc.Text) == "" {
		v.errorf(c, []string{at + ".text", at}, "no title or text to assess")
	}
	if rc.Lang != "" && !langRE.MatchString(rc.Lang) {
		v.errorf(c, []string{at + ".lang"}, "lang %q: want an ISO 639 code such as en, vi or zh", rc.Lang)
	}
	e := &c.Expect
	e.MinLevel, e.MaxLevel = lurewatch.LevelNone, lurewatch.LevelCritical
	e.MinScore, e.MaxScore = 0, 100
	x := rc.Expect
	ex := at + ".expect"
	if v.node(ex) == nil {
		v.errorf(c, []string{at}, "expect is missing: say what the detector must report")
		return c
	}
	if x.Level == nil && x.Score == nil && len(x.Indicators)+len(x.Absent)+len(x.Categories)+len(x.AbsentCategories) == 0 {
		v.errorf(c, []string{ex}, "expect: nothing expected; give a level, a score, indicators or categories")
	}
	if x.Level != nil {
		v.levelRange(c, ex+".level")
	}
	if s := x.Score; s != nil {
		if s.Min == nil && s.Max == nil {
			v.errorf(c, []string{ex + ".score"}, "expect: score: give min, max or both")
		}
		if s.Min != nil {
			e.MinScore = *s.Min
		}
		if s.Max != nil {
			e.MaxScore = *s.Max
		}
		switch {
		case e.MinScore < 0 || e.MinScore > 100:
			v.errorf(c, []string{ex + ".score.min", ex + ".score"}, "expect: score: min %d: want 0 to 100", e.MinScore)
		case e.MaxScore < 0 || e.MaxScore > 100:
			v.errorf(c, []string{ex + ".score.max", ex + ".score"}, "expect: score: max %d: want 0 to 100", e.MaxScore)
		case e.MinScore > e.MaxScore:
			v.errorf(c, []string{ex + ".score"}, "expect: score: min %d is above max %d", e.MinScore, e.MaxScore)
		}
	}
	lists := []struct {
		key  string
		list []string
		dst  *[]string
	}{
		{"indicators", x.Indicators, &e.Indicators},
		{"absent", x.Absent, &e.Absent},
		{"categories", x.Categories, &e.Categories},
		{"absent_categories", x.AbsentCategories, &e.AbsentCategories},
	}
	for _, l := range lists {
		for j, id := range l.list {
			if strings.TrimSpace(id) == "" {
				v.errorf(c, []string{fmt.Sprintf("%s.%s[%d]", ex, l.key, j), ex + "." + l.key}, "expect: %s: entry %d is empty", l.key, j+1)
				continue
			}
			*l.dst = append(*l.dst, id)
		}
	}
	for _, pair := range [][2]int{{0, 1}, {2, 3}} {
		a, b := lists[pair[0]], lists[pair[1]]
		for j, id := range b.list {
			if slices.Contains(a.list, id) {
				v.errorf(c, []string{fmt.Sprintf("%s.%s[%d]", ex, b.key, j)}, "expect: %q is both in %s and in %s", id, a.key, b.key)
			}
		}
	}
	return c
}

// levelRange reads expect.level: a level name (exact) or {min, max}.
func (v *validator) levelRange(c *Case, at string) {
	e := &c.Expect
	n := v.node(at)
	parse := func(n ast.Node, what string) (lurewatch.Level, bool) {
		s, ok := n.(*ast.StringNode)
		if !ok {
			v.errorAt(c, n, "expect: level%s: want one of none, low, medium, high, critical", what)
			return 0, false
		}
		l, err := lurewatch.ParseLevel(s.Value)
		if err != nil {
			v.errorAt(c, n, "expect: level%s: %q: want one of none, low, medium, high, critical", what, s.Value)
			return 0, false
		}
		return l, true
	}
	switch m := n.(type) {
	case *ast.StringNode:
		if l, ok := parse(m, ""); ok {
			e.MinLevel, e.MaxLevel = l, l
		}
	case *ast.MappingNode, *ast.MappingValueNode:
		var values []*ast.MappingValueNode
		if mm, ok := m.(*ast.MappingNode); ok {
			values = mm.Values
		} else {
			values = []*ast.MappingValueNode{m.(*ast.MappingValueNode)}
		}
		if len(values) == 0 {
			v.errorAt(c, n, "expect: level: give min, max or both")
		}
		for _, mv := range values {
			key := mv.Key.GetToken().Value
			switch key {
			case "min":
				if l, ok := parse(mv.Value, ": min"); ok {
					e.MinLevel = l
				}
			case "max":
				if l, ok := parse(mv.Value, ": max"); ok {
					e.MaxLevel = l
				}
			default:
				v.errorAt(c, mv.Key, "expect: level: unknown field %q (want min or max)", key)
			}
		}
		if e.MinLevel > e.MaxLevel {
			v.errorAt(c, n, "expect: level: min %s is above max %s", e.MinLevel, e.MaxLevel)
		}
	default:
		v.errorAt(c, n, "expect: level: want a level name or {min: LEVEL, max: LEVEL}")
	}
}

// validator collects problems with their positions.
type validator struct {
	file string
	tree *ast.File
	errs yamlfile.Errors
}

// errorf records a problem of case c (nil for the file) at the first of
// paths that exists in the file, or at the top of the file.
func (v *validator) errorf(c *Case, paths []string, format string, args ...any) {
	v.add(c, v.pos(paths), fmt.Sprintf(format, args...))
}

func (v *validator) errorAt(c *Case, n ast.Node, format string, args ...any) {
	v.add(c, yamlfile.NodePos(v.file, n), fmt.Sprintf(format, args...))
}

func (v *validator) add(c *Case, pos yamlfile.Pos, msg string) {
	if c != nil {
		msg = fmt.Sprintf("test %q: %s", c.Name, msg)
	}
	v.errs = append(v.errs, &yamlfile.Error{Pos: pos, Msg: msg})
}

func (v *validator) pos(paths []string) yamlfile.Pos {
	for _, p := range paths {
		n := v.node(p)
		if n == nil {
			continue
		}
		switch m := n.(type) {
		case *ast.MappingNode:
			if len(m.Values) > 0 && m.Values[0].Key != nil {
				n = m.Values[0].Key
			}
		case *ast.MappingValueNode:
			if m.Key != nil {
				n = m.Key
			}
		}
		return yamlfile.NodePos(v.file, n)
	}
	return yamlfile.Pos{File: v.file, Line: 1, Col: 1}
}

// node returns the node at path, or nil when there is none or it is null.
func (v *validator) node(path string) ast.Node {
	n := yamlfile.NodeAt(v.tree, path)
	if _, null := n.(*ast.NullNode); null {
		return nil
	}
	return n
}

// oneLine makes sure each problem of err is on one line, so that every line
// of the message starts with "file:line:col:".
func oneLine(err error) error {
	fix := func(e *yamlfile.Error) {
		e.Msg = strings.Join(strings.Fields(e.Msg), " ")
	}
	switch e := err.(type) {
	case *yamlfile.Error:
		fix(e)
	case yamlfile.Errors:
		for _, x := range e {
			fix(x)
		}
	}
	return err
}

// Check reports the ids a file expects that rules does not define: every
// indicator and category named in an expectation must exist. Problems are
// positioned in the test file named by f.Name, whose contents are data.
func (f *File) Check(data []byte, ruleFile string, rules *rulefmt.File) error {
	tree, err := yamlfile.Parse(f.Name, data)
	if err != nil {
		return oneLine(err)
	}
	v := &validator{file: f.Name, tree: tree}
	inds := map[string]bool{}
	for _, ind := range rules.Indicators {
		inds[ind.ID] = true
	}
	for i, c := range f.Tests {
		ex := fmt.Sprintf("$.tests[%d].expect", i)
		check := func(key string, list []string, kind string, known func(string) bool) {
			for j, id := range list {
				if !known(id) {
					v.errorf(c, []string{fmt.Sprintf("%s.%s[%d]", ex, key, j), ex + "." + key},
						"expect: %s: no %s %q in %s", key, kind, id, ruleFile)
				}
			}
		}
		isInd := func(id string) bool { return inds[id] }
		isCat := func(id string) bool { return rules.Category(id) != nil }
		check("indicators", c.Expect.Indicators, "indicator", isInd)
		check("absent", c.Expect.Absent, "indicator", isInd)
		check("categories", c.Expect.Categories, "category", isCat)
		check("absent_categories", c.Expect.AbsentCategories, "category", isCat)
	}
	return v.errs.Err()
}

// Result is the outcome of one case against one rules file.
type Result struct {
	Case       *Case
	RuleFile   string
	Assessment lurewatch.Assessment
	// Failures says, one item each, what was expected and not found. It
	// is empty when the case passed.
	Failures []string
}

// Passed reports whether the case met every expectation.
func (r *Result) Passed() bool { return len(r.Failures) == 0 }

// Run assesses every case of f with d, which was loaded from ruleFile, and
// returns one result per case, in order. Only cases whose name matches
// filter run (nil runs all).
func Run(f *File, ruleFile string, d *detector.Detector, filter *regexp.Regexp) []Result {
	var out []Result
	for _, c := range f.Tests {
		if filter != nil && !filter.MatchString(c.Name) {
			continue
		}
		a := d.Assess(&lurewatch.Ad{ID: c.Name, Title: c.Title, Text: c.Text})
		out = append(out, Result{Case: c, RuleFile: ruleFile, Assessment: a, Failures: c.Expect.Check(a)})
	}
	return out
}

// Check compares an assessment with the expectation and returns what did
// not hold, one sentence each, or nil.
func (e *Expect) Check(a lurewatch.Assessment) []string {
	var fails []string
	switch {
	case e.MinLevel == e.MaxLevel && a.Level != e.MinLevel:
		fails = append(fails, fmt.Sprintf("level: want %s, got %s", e.MinLevel, a.Level))
	case a.Level < e.MinLevel:
		fails = append(fails, fmt.Sprintf("level: want at least %s, got %s", e.MinLevel, a.Level))
	case a.Level > e.MaxLevel:
		fails = append(fails, fmt.Sprintf("level: want at most %s, got %s", e.MaxLevel, a.Level))
	}
	switch {
	case a.Score < e.MinScore:
		fails = append(fails, fmt.Sprintf("score: want at least %d, got %d", e.MinScore, a.Score))
	case a.Score > e.MaxScore:
		fails = append(fails, fmt.Sprintf("score: want at most %d, got %d", e.MaxScore, a.Score))
	}
	got := map[string]bool{}
	for _, ind := range a.Indicators {
		got[ind.ID] = true
	}
	gotCat := map[string]bool{}
	for _, c := range a.Categories {
		gotCat[c] = true
	}
	var missing, unwanted, missingCat, unwantedCat []string
	for _, id := range e.Indicators {
		if !got[id] {
			missing = append(missing, id)
		}
	}
	for _, id := range e.Absent {
		if got[id] {
			unwanted = append(unwanted, id+evidenceOf(a, id))
		}
	}
	for _, id := range e.Categories {
		if !gotCat[id] {
			missingCat = append(missingCat, id)
		}
	}
	for _, id := range e.AbsentCategories {
		if gotCat[id] {
			unwantedCat = append(unwantedCat, id)
		}
	}
	if len(missing) > 0 {
		fails = append(fails, "indicators not matched: "+strings.Join(missing, ", "))
	}
	if len(unwanted) > 0 {
		fails = append(fails, "indicators matched but expected absent: "+strings.Join(unwanted, ", "))
	}
	if len(missingCat) > 0 {
		fails = append(fails, "categories not matched: "+strings.Join(missingCat, ", "))
	}
	if len(unwantedCat) > 0 {
		fails = append(fails, "categories matched but expected absent: "+strings.Join(unwantedCat, ", "))
	}
	return fails
}

// evidenceOf returns ` ("snippet")` for the first evidence of indicator id
// in a, or "".
func evidenceOf(a lurewatch.Assessment, id string) string {
	for _, ind := range a.Indicators {
		if ind.ID == id && len(ind.Evidence) > 0 {
			return fmt.Sprintf(" (%q)", ind.Evidence[0].Snippet)
		}
	}
	return ""
}

// Suite is a test file loaded with the rules files it names.
type Suite struct {
	File *File
	// Rules are the compiled rules files, in the order of File.RuleFiles,
	// each with the path it was read from.
	Rules []LoadedRules
}

// LoadedRules is one compiled rules file.
type LoadedRules struct {
	Path     string
	Detector *detector.Detector
}

// Load reads the test file at path, parses it, and loads the rules files it
// names (relative to its directory), or rulesOverride instead when it is not
// empty. Problems in the test file or in a rules file are reported as
// "file:line:col: message" and wrap lurewatch.ErrInvalid; a file that cannot
// be read gives an error wrapping the os error.
func Load(path, rulesOverride string) (*Suite, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read rules test file: %w", err)
	}
	f, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	paths := make([]string, len(f.RuleFiles))
	for i, rf := range f.RuleFiles {
		if !filepath.IsAbs(rf) {
			rf = filepath.Join(filepath.Dir(path), rf)
		}
		paths[i] = rf
	}
	if rulesOverride != "" {
		paths = []string{rulesOverride}
	}
	s := &Suite{File: f}
	var errs []error
	for _, p := range paths {
		rdata, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("%s: read rules: %w", path, err)
		}
		rules, err := rulefmt.Parse(p, rdata)
		if err != nil {
			return nil, err
		}
		if err := f.Check(data, p, rules); err != nil {
			errs = append(errs, err)
			continue
		}
		d, err := detector.Load(p, rdata)
		if err != nil {
			return nil, err
		}
		s.Rules = append(s.Rules, LoadedRules{Path: p, Detector: d})
	}
	if len(errs) > 0 {
		var all yamlfile.Errors
		for _, e := range errs {
			if es, ok := e.(yamlfile.Errors); ok {
				all = append(all, es...)
			}
		}
		return nil, all
	}
	return s, nil
}

// Run runs every case (or those whose name matches filter) against every
// rules file of the suite.
func (s *Suite) Run(filter *regexp.Regexp) []Result {
	var out []Result
	for _, r := range s.Rules {
		out = append(out, Run(s.File, r.Path, r.Detector, filter)...)
	}
	return out
}
