// Package rulefmt is the lure rules file format: its schema, strict parsing
// and validation. Every problem is reported with its position as
// "file:line:col: message", all problems of a file at once, and every
// regular expression is compiled here, so a rules file that parses is one
// the detector can use. The matching engine lives in package detector.
//
// A rules file looks like this:
//
//	version: "2025.06.1"          # rules version, copied into every assessment
//	levels:                       # thresholds, each needs the ones before it
//	  low:      {min_score: 15}
//	  medium:   {min_score: 40, min_categories: 3, require_any: [hotspot_destination]}
//	  high:     {min_score: 60, min_categories: 4}
//	  critical: {min_score: 80, min_categories: 5}
//	categories:
//	  - id: hotspot_destination
//	    description: a known scam-compound area
//	    cap: 25                   # most the category adds to (or takes from) a score
//	  - id: licensed_recruiter
//	    effect: lower             # legitimacy cue: lowers the score
//	    cap: 30
//	  - id: awareness_warning
//	    effect: lower
//	    mutes_quoted: true        # when it matches, quoted lure cues do not count
//	    cap: 70
//	indicators:
//	  - id: hotspot.sihanoukville
//	    category: hotspot_destination
//	    weight: 22
//	    description: Sihanoukville, Cambodia's largest scam-compound hub
//	    phrases:                  # by language (ISO 639-1, or "any")
//	      en: [sihanoukville, preah sihanouk]
//	      zh: [西港, 西哈努克]
//	    patterns: []              # RE2 regexps over the normalised text
//	    signals: []               # spaced_letters, leetspeak
//
// Phrases are normalised as ad text is (see package textnorm: NFKC, case
// folding, Latin diacritics removed), so they may be written in any case
// and with or without diacritics. Patterns see the normalised text too:
// lower case, ASCII digits, one space for a run of spaces.
package rulefmt

import (
	"fmt"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector/textnorm"
	"github.com/lurewatch/lurewatch/internal/yamlfile"
)

// Effects a category can have on the score.
const (
	// EffectRaise: the category is a lure cue and raises the score.
	EffectRaise = "raise"
	// EffectLower: the category is a legitimacy cue and lowers the score.
	EffectLower = "lower"
)

// File is a parsed rules file.
type File struct {
	// Version identifies the rules; it is copied into every assessment.
	Version    string       `yaml:"version"`
	Levels     Levels       `yaml:"levels"`
	Categories []*Category  `yaml:"categories"`
	Indicators []*Indicator `yaml:"indicators"`
}

// Levels holds the threshold of each level above none.
type Levels struct {
	Low      Level `yaml:"low"`
	Medium   Level `yaml:"medium"`
	High     Level `yaml:"high"`
	Critical Level `yaml:"critical"`
}

// Get returns the threshold of level l (LevelLow to LevelCritical), or nil.
func (ls *Levels) Get(l lurewatch.Level) *Level {
	switch l {
	case lurewatch.LevelLow:
		return &ls.Low
	case lurewatch.LevelMedium:
		return &ls.Medium
	case lurewatch.LevelHigh:
		return &ls.High
	case lurewatch.LevelCritical:
		return &ls.Critical
	}
	return nil
}

// Level is what an assessment needs to reach one level.
type Level struct {
	// MinScore is the lowest score (0–100) at this level.
	MinScore int `yaml:"min_score"`
	// MinCategories is the least number of distinct raising categories that
	// must have matched. It must be at least 2 from medium up, so that one
	// kind of cue alone never flags an ad.
	MinCategories int `yaml:"min_categories"`
	// RequireAny, when set, lists categories of which at least one must
	// have matched (for example the ones that mean travel or relocation).
	RequireAny []string `yaml:"require_any"`
}

// Category groups indicators; its cap bounds how much it adds to a score.
type Category struct {
	ID          string `yaml:"id"`
	Description string `yaml:"description"`
	// Effect is EffectRaise (the default) or EffectLower.
	Effect string `yaml:"effect"`
	// Cap is the most the category adds to (or takes from) a score.
	Cap float64 `yaml:"cap"`
	// MutesQuoted, for a lowering category, means that when it matches,
	// raising cues inside quotation marks do not count: a warning post
	// that quotes a lure is not a lure.
	MutesQuoted bool `yaml:"mutes_quoted"`
}

// Indicator is one lure or legitimacy cue.
type Indicator struct {
	ID          string  `yaml:"id"`
	Category    string  `yaml:"category"`
	Weight      float64 `yaml:"weight"`
	Description string  `yaml:"description"`
	// Phrases are literal phrases by language code. Phrases in
	// space-separated scripts match whole words only; phrases in Chinese,
	// Japanese, Thai, Lao, Khmer, Burmese and Tibetan match anywhere.
	Phrases map[string][]string `yaml:"phrases"`
	// Patterns are RE2 regular expressions over the normalised text, for
	// what a phrase list cannot say (links, handles, numbers, amounts).
	// When a pattern has a group named "m", that group is the evidence
	// reported instead of the whole match. Patterns match line by line.
	// Their literal text is normalised as phrases are ("Làm" matches as
	// "lam"); character classes are not, so write them in normalised form
	// (lower case, ASCII digits, no diacritics on Latin letters).
	Patterns []string `yaml:"patterns"`
	// Signals names normalisation signals (textnorm.Signal) that count as
	// this indicator: "spaced_letters", "leetspeak".
	Signals []string `yaml:"signals"`

	// Regexps are the compiled Patterns, in order.
	Regexps []*regexp.Regexp `yaml:"-"`
	// SignalValues are the parsed Signals, in order.
	SignalValues []textnorm.Signal `yaml:"-"`
	// NormPhrases are the normalised phrases, deduplicated, by language,
	// languages in sorted order.
	NormPhrases []Phrase `yaml:"-"`
}

// Phrase is a normalised phrase and its language.
type Phrase struct {
	Lang, Text string
}

// Category returns the category with id, or nil.
func (f *File) Category(id string) *Category {
	for _, c := range f.Categories {
		if c.ID == id {
			return c
		}
	}
	return nil
}

var (
	idRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9_.\-]*$`)
	catRE  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	langRE = regexp.MustCompile(`^([a-z]{2,3}|any)$`)
)

// Parse decodes and validates a rules file: data is the contents of the
// file named file (the name is used in messages only). Unknown fields,
// wrong types, duplicate keys, and semantic problems (duplicate ids, empty
// phrase lists, weights out of range, unknown categories, patterns that do
// not compile) are all errors. The error is a yamlfile.Errors (or a single
// *yamlfile.Error for a file that does not decode) listing every problem as
// "file:line:col: message"; it wraps lurewatch.ErrInvalid.
func Parse(file string, data []byte) (*File, error) {
	f := &File{}
	if err := yamlfile.Decode(file, data, f); err != nil {
		return nil, err
	}
	tree, err := yamlfile.Parse(file, data)
	if err != nil {
		return nil, err
	}
	v := &validator{file: file, tree: tree}
	v.validate(f)
	if err := v.errs.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

type validator struct {
	file string
	tree *ast.File
	errs yamlfile.Errors
}

// errorf records a problem at the first of paths that exists in the file
// (a YAML path such as "$.indicators[2].id"), or at the top of the file.
func (v *validator) errorf(paths []string, format string, args ...any) {
	pos := yamlfile.Pos{File: v.file, Line: 1, Col: 1}
	for _, p := range paths {
		if n := v.node(p); n != nil {
			// A mapping is reported at its first key, not its first ':'.
			switch m := n.(type) {
			case *ast.MappingNode:
				if len(m.Values) > 0 && m.Values[0].Key != nil {
					n = m.Values[0].Key
				}
			case *ast.MappingValueNode:
				if m.Key != nil {
					n = m.Key
				}
			case *ast.NullNode:
				// "key:" with nothing after it: point at the key.
				if k := v.keyOf(p); k != nil {
					n = k
				}
			}
			pos = yamlfile.NodePos(v.file, n)
			break
		}
	}
	v.errs = append(v.errs, &yamlfile.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

func (v *validator) node(path string) ast.Node {
	p, err := yaml.PathString(path)
	if err != nil {
		return nil
	}
	n, err := p.FilterFile(v.tree)
	if err != nil || n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return nil
	}
	return n
}

// keyOf returns the key node of the mapping entry at path ("$.a.b" gives
// the key "b" of mapping "$.a"), or nil.
func (v *validator) keyOf(path string) ast.Node {
	i := strings.LastIndexByte(path, '.')
	if i <= 0 {
		return nil
	}
	parent, _ := v.node(path[:i]).(*ast.MappingNode)
	if parent == nil {
		return nil
	}
	for _, mv := range parent.Values {
		if mv.Key != nil && mv.Key.GetToken() != nil && mv.Key.GetToken().Value == path[i+1:] {
			return mv.Key
		}
	}
	return nil
}

func paths(p ...string) []string { return p }

func (v *validator) validate(f *File) {
	if strings.TrimSpace(f.Version) == "" {
		v.errorf(paths("$.version"), "version is missing: give the rules a version string")
	}
	v.validateCategories(f)
	v.validateLevels(f)
	v.validateIndicators(f)
}

func (v *validator) validateCategories(f *File) {
	if len(f.Categories) == 0 {
		v.errorf(paths("$.categories"), "no categories")
	}
	seen := map[string]int{}
	for i, c := range f.Categories {
		at := fmt.Sprintf("$.categories[%d]", i)
		if c == nil {
			v.errorf(paths(at), "category %d is empty", i+1)
			f.Categories[i] = &Category{}
			continue
		}
		switch {
		case c.ID == "":
			v.errorf(paths(at+".id", at), "category %d has no id", i+1)
		case !catRE.MatchString(c.ID):
			v.errorf(paths(at+".id"), "category id %q: use lower-case letters, digits and _", c.ID)
		default:
			if j, dup := seen[c.ID]; dup {
				v.errorf(paths(at+".id"), "duplicate category id %q (first defined as category %d)", c.ID, j+1)
			}
			seen[c.ID] = i
		}
		switch c.Effect {
		case "":
			c.Effect = EffectRaise
		case EffectRaise, EffectLower:
		default:
			v.errorf(paths(at+".effect"), "category %q: effect %q: want %q or %q", c.ID, c.Effect, EffectRaise, EffectLower)
		}
		if c.MutesQuoted && c.Effect == EffectRaise {
			v.errorf(paths(at+".mutes_quoted", at), "category %q: mutes_quoted needs effect %q", c.ID, EffectLower)
		}
		if !(c.Cap > 0 && c.Cap <= 100) || math.IsNaN(c.Cap) {
			v.errorf(paths(at+".cap", at), "category %q: cap %v: want a number above 0 and at most 100", c.ID, c.Cap)
		}
	}
}

func (v *validator) validateLevels(f *File) {
	type named struct {
		name string
		l    *Level
	}
	ls := []named{{"low", &f.Levels.Low}, {"medium", &f.Levels.Medium}, {"high", &f.Levels.High}, {"critical", &f.Levels.Critical}}
	prevScore, prevCats := 0, 0
	for i, n := range ls {
		at := "$.levels." + n.name
		if v.node(at) == nil {
			v.errorf(paths("$.levels"), "levels: %s is missing", n.name)
			continue
		}
		if n.l.MinScore <= prevScore || n.l.MinScore > 100 {
			v.errorf(paths(at+".min_score", at), "levels: %s: min_score %d: want more than %d and at most 100", n.name, n.l.MinScore, prevScore)
		}
		if i >= 1 && n.l.MinCategories < 2 {
			v.errorf(paths(at+".min_categories", at), "levels: %s: min_categories %d: want at least 2, so that one kind of cue alone never flags an ad", n.name, n.l.MinCategories)
		}
		if n.l.MinCategories < prevCats {
			v.errorf(paths(at+".min_categories", at), "levels: %s: min_categories %d is below the level before it (%d)", n.name, n.l.MinCategories, prevCats)
		}
		for j, id := range n.l.RequireAny {
			c := f.Category(id)
			switch {
			case c == nil:
				v.errorf(paths(fmt.Sprintf("%s.require_any[%d]", at, j), at), "levels: %s: require_any: unknown category %q", n.name, id)
			case c.Effect == EffectLower:
				v.errorf(paths(fmt.Sprintf("%s.require_any[%d]", at, j), at), "levels: %s: require_any: category %q lowers the score", n.name, id)
			}
		}
		prevScore = max(prevScore, n.l.MinScore)
		prevCats = max(prevCats, n.l.MinCategories)
	}
}

func (v *validator) validateIndicators(f *File) {
	if len(f.Indicators) == 0 {
		v.errorf(paths("$.indicators"), "no indicators")
	}
	seen := map[string]int{}
	for i, ind := range f.Indicators {
		at := fmt.Sprintf("$.indicators[%d]", i)
		if ind == nil {
			v.errorf(paths(at), "indicator %d is empty", i+1)
			f.Indicators[i] = &Indicator{}
			continue
		}
		name := fmt.Sprintf("indicator %q", ind.ID)
		switch {
		case ind.ID == "":
			name = fmt.Sprintf("indicator %d", i+1)
			v.errorf(paths(at+".id", at), "%s has no id", name)
		case !idRE.MatchString(ind.ID):
			v.errorf(paths(at+".id"), "%s: use lower-case letters, digits, '.', '_' and '-' in ids", name)
		default:
			if j, dup := seen[ind.ID]; dup {
				v.errorf(paths(at+".id"), "duplicate indicator id %q (first defined as indicator %d)", ind.ID, j+1)
			}
			seen[ind.ID] = i
		}
		switch c := f.Category(ind.Category); {
		case ind.Category == "":
			v.errorf(paths(at+".category", at), "%s has no category", name)
		case c == nil:
			v.errorf(paths(at+".category"), "%s: unknown category %q", name, ind.Category)
		case ind.Weight > c.Cap:
			v.errorf(paths(at+".weight", at), "%s: weight %v is above its category's cap %v", name, ind.Weight, c.Cap)
		}
		if !(ind.Weight > 0 && ind.Weight <= 100) || math.IsNaN(ind.Weight) {
			v.errorf(paths(at+".weight", at), "%s: weight %v: want a number above 0 and at most 100", name, ind.Weight)
		}
		if len(ind.Phrases) == 0 && len(ind.Patterns) == 0 && len(ind.Signals) == 0 {
			v.errorf(paths(at+".phrases", at), "%s has no phrases, patterns or signals", name)
		}
		v.compilePhrases(ind, at, name)
		v.compilePatterns(ind, at, name)
		for j, s := range ind.Signals {
			sig, ok := textnorm.ParseSignal(s)
			if !ok {
				v.errorf(paths(fmt.Sprintf("%s.signals[%d]", at, j), at), "%s: unknown signal %q (want spaced_letters or leetspeak)", name, s)
				continue
			}
			ind.SignalValues = append(ind.SignalValues, sig)
		}
	}
}

func (v *validator) compilePhrases(ind *Indicator, at, name string) {
	langs := make([]string, 0, len(ind.Phrases))
	for lang := range ind.Phrases {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	for _, lang := range langs {
		list := ind.Phrases[lang]
		lat := at + ".phrases." + lang
		if !langRE.MatchString(lang) {
			v.errorf(paths(lat, at+".phrases"), "%s: phrases: language %q: want an ISO 639-1 code or \"any\"", name, lang)
		}
		if len(list) == 0 {
			v.errorf(paths(lat, at+".phrases"), "%s: phrases: %s: empty phrase list", name, lang)
			continue
		}
		seen := map[string]bool{}
		for j, p := range list {
			n := strings.TrimSpace(textnorm.String(p))
			switch {
			case n == "":
				v.errorf(paths(fmt.Sprintf("%s[%d]", lat, j), lat), "%s: phrases: %s: phrase %d is empty", name, lang, j+1)
				continue
			case len([]rune(n)) < 2:
				v.errorf(paths(fmt.Sprintf("%s[%d]", lat, j), lat), "%s: phrases: %s: phrase %q is too short to match reliably", name, lang, p)
				continue
			case n != textnorm.String(p):
				v.errorf(paths(fmt.Sprintf("%s[%d]", lat, j), lat), "%s: phrases: %s: phrase %q starts or ends with white space", name, lang, p)
				continue
			}
			if !seen[n] {
				seen[n] = true
				ind.NormPhrases = append(ind.NormPhrases, Phrase{Lang: lang, Text: n})
			}
		}
	}
}

func (v *validator) compilePatterns(ind *Indicator, at, name string) {
	for j, p := range ind.Patterns {
		pat := fmt.Sprintf("%s.patterns[%d]", at, j)
		re, err := regexp.Compile(p)
		if err != nil {
			v.errorf(paths(pat, at), "%s: pattern %d: %v", name, j+1, err)
			continue
		}
		if re.MatchString("") {
			v.errorf(paths(pat, at), "%s: pattern %d matches the empty string", name, j+1)
			continue
		}
		if re, err = normalisePattern(re); err != nil {
			v.errorf(paths(pat, at), "%s: pattern %d: after normalising its literals: %v", name, j+1, err)
			continue
		}
		ind.Regexps = append(ind.Regexps, re)
	}
}

// normalisePattern returns re with every literal in normalised form, so
// that it can match the normalised text.
func normalisePattern(re *regexp.Regexp) (*regexp.Regexp, error) {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil, err
	}
	changed := false
	var walk func(*syntax.Regexp)
	walk = func(n *syntax.Regexp) {
		if n.Op == syntax.OpLiteral && n.Flags&syntax.FoldCase == 0 {
			if norm := textnorm.String(string(n.Rune)); norm != string(n.Rune) && norm != "" {
				n.Rune = []rune(norm)
				changed = true
			}
		}
		for _, sub := range n.Sub {
			walk(sub)
		}
	}
	walk(tree)
	if !changed {
		return re, nil
	}
	return regexp.Compile(tree.String())
}
