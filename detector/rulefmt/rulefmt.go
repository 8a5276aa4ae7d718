// Package rulefmt is the lure rules file format: its schema, strict parsing
// and validation. Every problem is reported with its position and the part
// it is in, as "file:line:col: rule "id": message" (or "category "id": ",
// "level "medium": "), all problems of a file at once, and every
// regular expression is compiled here, so a rules file that parses is one
// the detector can use. The matching engine lives in package detector.
//
// A rules file looks like this:
//
//	version: "2025.06.1"          # rules version, copied into every assessment
//	levels:                       # thresholds, each needs the ones before it
//	  low:      {min_score: 15}
//	  medium:   {min_score: 40, min_categories: 3, require_any: [hotspot_destination],
//	             withhold: {categories: [awareness_warning], min_score: 35}}
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
//	  - id: relative_named
//	    effect: context           # counts only toward withhold rules
//	    cap: 10
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
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"golang.org/x/text/language"

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
	// EffectContext: the category leaves the score alone; it only counts
	// toward withhold rules (see Level.Withhold), for cues that say what
	// kind of post an ad is but would wrongly lower a lure on their own
	// (a relative named, a promise retold).
	EffectContext = "context"
)

// File is a parsed rules file.
type File struct {
	// Version identifies the rules; it is copied into every assessment.
	Version    string       `yaml:"version"`
	Levels     Levels       `yaml:"levels"`
	Categories []*Category  `yaml:"categories"`
	Indicators []*Indicator `yaml:"indicators"`
	// Rates are currency rates, USD per unit by ISO 4217 code (plus USDT),
	// that override the built-in table of package extract for salary
	// conditions.
	Rates map[string]float64 `yaml:"rates"`
	// Negation, when set, lists the words that negate a requirement
	// beside them ("no degree needed", "TEFL not required"), for the
	// indicators with NegatedAs.
	Negation *Negation `yaml:"negation"`
	// Combination, when set, is a model fitted to labelled ads (by
	// `lurewatch rules fit`) that may raise an ad to medium when its
	// score falls short; nil when the rules have none.
	Combination *Combination `yaml:"combination"`
}

// Combination is a logistic model over the cues an ad carries: which
// indicators and categories matched, and how many categories. Its
// probability is
//
//	1 / (1 + exp(-(Bias + PerCategory·n + Σ Categories[c] + Σ Indicators[i])))
//
// over the n matched categories c and the matched indicators i. When it
// is at least Threshold, an ad that every other condition of the medium
// level lets through, but whose score falls short of it, is raised to
// medium. It never raises an ad above medium, nor one that a muting
// category (a warning, an account) matched. Ids it does not list weigh 0.
type Combination struct {
	// Fitted says how and from what the model was fitted, for people.
	Fitted      string             `yaml:"fitted"`
	Threshold   float64            `yaml:"threshold"`
	Bias        float64            `yaml:"bias"`
	PerCategory float64            `yaml:"per_category"`
	Categories  map[string]float64 `yaml:"categories"`
	Indicators  map[string]float64 `yaml:"indicators"`
}

// MaxCombinationWeight bounds every weight of a Combination.
const MaxCombinationWeight = 50

// Negation lists the cues that negate the phrase next to them, by language:
// Before cues come just before it ("no", "without", "không cần"), After cues
// just after ("not required", "不限", "ਦੀ ਲੋੜ ਨਹੀਂ"). A phrase of an
// indicator with NegatedAs is negated when a cue stands beside it in the
// same clause, at most MaxGap characters away with no clause break (a
// full stop, comma, colon, semicolon, line break, or a space beside a
// script written without spaces between words) between; and so is one
// joined to a negated one of the same indicator by a list's separators
// ("no TEFL, CELTA or degree").
type Negation struct {
	// MaxGap is the most characters between a cue and the phrase it
	// negates (1 to 40).
	MaxGap int                 `yaml:"max_gap"`
	Before map[string][]string `yaml:"before"`
	After  map[string][]string `yaml:"after"`

	// NormBefore and NormAfter are the normalised cues, deduplicated, by
	// language, languages in sorted order.
	NormBefore, NormAfter []Phrase `yaml:"-"`
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
	// Withhold, when set, keeps an ad below this level when lowering
	// categories say it is about lures rather than one: a warning or a
	// survivor's story retells every cue of a lure, more than its own
	// cues can take off the score.
	Withhold *Withhold `yaml:"withhold"`
}

// Withhold names the lowering categories that keep an ad below a level,
// and how much of the score they must take off together.
type Withhold struct {
	// Categories are lowering or context categories.
	Categories []string `yaml:"categories"`
	// MinScore is the least that the matched Categories, each up to its
	// cap, take off the score together for the level to be withheld.
	MinScore float64 `yaml:"min_score"`
	// Unless lists raising categories that no post about lures says in
	// its own voice (a recruiter insisting the offer is real, say): when
	// one of them matched, the level is not withheld.
	Unless []string `yaml:"unless"`
}

// Category groups indicators; its cap bounds how much it adds to a score.
type Category struct {
	ID          string `yaml:"id"`
	Description string `yaml:"description"`
	// Effect is EffectRaise (the default), EffectLower or EffectContext.
	Effect string `yaml:"effect"`
	// Cap is the most the category adds to (or takes from) a score.
	Cap float64 `yaml:"cap"`
	// MutesQuoted, for a lowering category, means that when it matches,
	// raising cues inside quotation marks do not count: a warning post
	// that quotes a lure is not a lure.
	MutesQuoted bool `yaml:"mutes_quoted"`

	// broken marks a placeholder for a category that did not decode.
	broken bool
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
	// this indicator: "spaced_letters", "leetspeak", "homoglyphs".
	Signals []string `yaml:"signals"`
	// Salary makes the indicator match a pay amount that the ad states (as
	// package extract reads it, converted to USD per month) when it is at
	// least MinUSDPerMonth (and at most MaxUSDPerMonth, when set) and the
	// ad's role is one the condition names:
	// high pay for low-skill work is a lure cue, high pay for a senior
	// engineer is not.
	Salary *SalaryCondition `yaml:"salary"`
	// Prose makes the indicator match an ad written as running prose, as
	// stories, news and warnings are, rather than as a list of terms, as
	// most ads are. It suits a context category: the cue is the shape of
	// the text, not what it says.
	Prose *ProseCondition `yaml:"prose"`
	// Quoted makes the indicator match an ad that quotes an offer: cues of
	// at least MinCategories raising categories are found, and only inside
	// quotation marks. A recruiter does not put his own offer in quotes;
	// a warning, a news report or a seeker's question quotes one. In a
	// category with mutes_quoted, the quoted cues then do not count.
	Quoted *QuotedCondition `yaml:"quoted"`
	// Overrides lists indicators whose evidence this one's cancels where
	// the two overlap in a field: a statement that holds a cue's words but
	// says the opposite ("you keep your own passport" holds "keep your
	// passport", a cue of retention). An indicator that overrides others
	// may not itself be overridden.
	Overrides []string `yaml:"overrides"`
	// UnlessAny lists categories that, when the ad matched any of them,
	// keep this indicator from counting: a cue that reads otherwise beside
	// them ("is this job real?" is a seeker's question, unless the post
	// goes on to insist the offer is real, as a recruiter answering doubts
	// does). It may not name the indicator's own category.
	UnlessAny []string `yaml:"unless_any"`
	// UnlessLang lists the languages (ISO 639-1, as the detector's language
	// guess names them) in whose ads this indicator does not count: a place
	// that is abroad for most readers is home in those (Bangkok in a Thai
	// ad, which recruits Thais for Cambodia or Myanmar, not for Bangkok).
	UnlessLang []string `yaml:"unless_lang"`
	// NegatedAs names the indicator that one of this indicator's phrases
	// counts as when a negation cue stands beside it (see Negation): a
	// requirement waived is no requirement ("no degree needed" holds
	// "degree", a cue of a real trade's job, and says the opposite, a cue
	// of low requirements). Patterns are not negated.
	NegatedAs string `yaml:"negated_as"`

	// Regexps are the compiled Patterns, in order.
	Regexps []*regexp.Regexp `yaml:"-"`
	// SignalValues are the parsed Signals, in order.
	SignalValues []textnorm.Signal `yaml:"-"`
	// NormPhrases are the normalised phrases, deduplicated, by language,
	// languages in sorted order.
	NormPhrases []Phrase `yaml:"-"`

	// broken marks a placeholder for an indicator that did not decode.
	broken bool
}

// SalaryCondition is when a stated salary counts as an indicator.
type SalaryCondition struct {
	// MinUSDPerMonth is the least pay, in USD per month, that counts.
	MinUSDPerMonth float64 `yaml:"min_usd_per_month"`
	// MaxUSDPerMonth, when set, is the most pay, in USD per month, that
	// counts: an ordinary local wage is a cue of an honest local job.
	MaxUSDPerMonth float64 `yaml:"max_usd_per_month"`
	// MinUSDPerMonthIn replaces MinUSDPerMonth for pay stated in the
	// currencies it names (ISO 4217 codes, the same least pay in USD per
	// month): where ordinary wages are higher, an ordinary wage in the
	// local currency ("HK$15,000" for a shop in Hong Kong) is not a lure's
	// pay, though it is above what the same work pays elsewhere.
	MinUSDPerMonthIn map[string]float64 `yaml:"min_usd_per_month_in"`
	// WithAny lists categories of which the ad must match at least one
	// (for example the low-skill roles); empty means any ad.
	WithAny []string `yaml:"with_any"`
	// UnlessAny lists categories none of which the ad may match (for
	// example skilled or senior roles).
	UnlessAny []string `yaml:"unless_any"`
}

// ProseCondition is when an ad's text counts as prose.
type ProseCondition struct {
	// MinAvgLine is the least average length of the text's non-empty
	// lines, in characters (a Chinese, Japanese or Korean character
	// counts as two, as it says about as much as two Latin letters).
	MinAvgLine int `yaml:"min_avg_line"`
	// MinChars is the least length of the text, in the same characters:
	// a one-line ad is not prose however long its line.
	MinChars int `yaml:"min_chars"`
}

// QuotedCondition is when an ad counts as quoting an offer.
type QuotedCondition struct {
	// MinCategories is the least number of raising categories whose every
	// cue lies inside quotation marks.
	MinCategories int `yaml:"min_categories"`
}

// Phrase is a normalised phrase and its language.
type Phrase struct {
	Lang, Text string
	// OpenLeft and OpenRight are set for a stem: a phrase written with a
	// leading or trailing '*', which matches where the word goes on past
	// that edge (a prefix or a suffix joined to it: بتايلاند, Таїланді).
	OpenLeft, OpenRight bool
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
	langRE = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// Parse decodes and validates a rules file: data is the contents of the
// file named file (the name is used in messages only). Unknown fields,
// wrong types, duplicate keys, and semantic problems (duplicate ids, empty
// phrase lists, weights out of range, unknown categories, unknown language
// codes, phrases that normalise to nothing, patterns that do not compile)
// are all errors, and all of them are reported at once, sorted by position:
// a rule that does not decode is reported beside the semantic problems of
// the others. Each problem reads "file:line:col: rule "id": message" (or
// "category "id": ", "level "medium": " for those parts). The error is a
// yamlfile.Errors (a single *yamlfile.Error for a file that is not YAML at
// all); it wraps lurewatch.ErrInvalid.
func Parse(file string, data []byte) (*File, error) {
	if strings.TrimSpace(string(data)) == "" {
		return nil, &yamlfile.Error{Pos: yamlfile.Pos{File: file, Line: 1, Col: 1}, Msg: "file is empty"}
	}
	tree, err := safeParse(file, data)
	if err != nil {
		return nil, err
	}
	v := &validator{file: file, tree: tree}
	f := &File{}
	if err := safeDecode(file, func() error { return yaml.UnmarshalWithOptions(data, f, yaml.Strict()) }); err != nil {
		// Decode part by part, to report every part that does not decode
		// and still check the others.
		f = v.decodeParts()
	}
	v.validate(f)
	if err := v.errs.Err(); err != nil {
		// Problems with a place come first, in file order; problems of
		// the whole file (a part missing) after them.
		slices.SortStableFunc(v.errs, func(a, b *yamlfile.Error) int {
			if fa, fb := v.fileLevel[a], v.fileLevel[b]; fa != fb {
				if fa {
					return 1
				}
				return -1
			}
			if a.Pos.Line != b.Pos.Line {
				return a.Pos.Line - b.Pos.Line
			}
			return a.Pos.Col - b.Pos.Col
		})
		return nil, v.errs
	}
	return f, nil
}

// Decode decodes data, the contents of the file named file, strictly into
// v, as Parse does: unknown fields, duplicate keys and wrong types are
// errors at their position, each message on one line, and a panic of the
// YAML decoder is an error too. The error wraps lurewatch.ErrInvalid.
// Package rulestest decodes its test files with it.
func Decode(file string, data []byte, v any) error {
	if strings.TrimSpace(string(data)) == "" {
		return &yamlfile.Error{Pos: yamlfile.Pos{File: file, Line: 1, Col: 1}, Msg: "file is empty"}
	}
	if _, err := safeParse(file, data); err != nil {
		return err
	}
	return safeDecode(file, func() error { return yaml.UnmarshalWithOptions(data, v, yaml.Strict()) })
}

// safeParse parses data into a syntax tree; a syntax error (or a parser
// panic) is one *yamlfile.Error.
func safeParse(file string, data []byte) (tree *ast.File, err error) {
	defer yamlfile.RecoverAsError(file, &err)
	// Duplicate keys are found later, part by part, so that they are
	// reported with the rule they are in, beside every other problem.
	tree, err = parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, singleLine(yamlfile.Wrap(file, err))
	}
	if len(tree.Docs) > 1 {
		return nil, &yamlfile.Error{Pos: yamlfile.NodePos(file, tree.Docs[1]), Msg: "more than one YAML document"}
	}
	return tree, nil
}

// safeDecode runs decode, turning its error into a one-line
// *yamlfile.Error at the offending position, and a decoder panic into an
// error at the top of the file.
func safeDecode(file string, decode func() error) (err error) {
	defer yamlfile.RecoverAsError(file, &err)
	if err := decode(); err != nil {
		err = singleLine(yamlfile.Wrap(file, err))
		if ye, ok := err.(*yamlfile.Error); ok {
			ye.Msg = friendlyTypeError(ye.Msg)
		}
		return err
	}
	return nil
}

var typeErrRE = regexp.MustCompile(`^cannot unmarshal (\S+) into Go struct field (?:\w+)\.(\w+) of type (\S+)$`)

// friendlyTypeError rewrites the decoder's "cannot unmarshal string into
// Go struct field Indicator.Weight of type float64" as "weight: want a
// number, got a string".
func friendlyTypeError(msg string) string {
	m := typeErrRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	key := yamlKeys[m[2]]
	if key == "" {
		return msg
	}
	want := map[string]string{"float64": "a number", "int": "a whole number", "string": "a string", "bool": "true or false",
		"[]string": "a list of strings", "map[string][]string": "a mapping of language to phrases"}[m[3]]
	if want == "" {
		want = m[3]
	}
	got := map[string]string{"string": "a string", "[]interface {}": "a list", "map[string]interface {}": "a mapping",
		"uint64": "a number", "int64": "a number", "float64": "a number", "bool": "true or false"}[m[1]]
	if got == "" {
		got = m[1]
	}
	return fmt.Sprintf("%s: want %s, got %s", key, want, got)
}

// yamlKeys maps the Go field names of the rules types to their YAML keys.
var yamlKeys = func() map[string]string {
	out := map[string]string{}
	for _, t := range []reflect.Type{reflect.TypeFor[File](), reflect.TypeFor[Levels](), reflect.TypeFor[Level](),
		reflect.TypeFor[Withhold](), reflect.TypeFor[Category](), reflect.TypeFor[Indicator]()} {
		for i := range t.NumField() {
			f := t.Field(i)
			if k, _, _ := strings.Cut(f.Tag.Get("yaml"), ","); k != "" && k != "-" {
				out[f.Name] = k
			}
		}
	}
	return out
}()

// singleLine puts each message of err on one line, so that every line of
// err.Error() starts with "file:line:col:".
func singleLine(err error) error {
	fix := func(e *yamlfile.Error) { e.Msg = strings.Join(strings.Fields(e.Msg), " ") }
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

type validator struct {
	file string
	tree *ast.File
	errs yamlfile.Errors
	// brokenLevels is set when levels did not decode, so they are not
	// checked further.
	brokenLevels bool
	// fileLevel marks problems that have no place in the file (a missing
	// part), reported at its top.
	fileLevel map[*yamlfile.Error]bool
}

// decodeParts decodes the file's top-level keys, each level, each category
// and each indicator on its own, recording the error of every part that
// does not decode. Parts that do not decode are kept as placeholders
// marked broken, with the id read from the syntax tree, so that duplicate
// ids and category references are still checked. Anchors defined earlier
// in the file resolve, since one decoder reads the parts in file order.
func (v *validator) decodeParts() *File {
	f := &File{}
	body := ast.Node(nil)
	if len(v.tree.Docs) > 0 {
		body = v.tree.Docs[0].Body
	}
	top := mappingValues(body)
	if top == nil {
		v.errs = append(v.errs, &yamlfile.Error{Pos: yamlfile.NodePos(v.file, body), Msg: "want a mapping with version, levels, categories and indicators"})
		v.brokenLevels = true
		return f
	}
	dec := yaml.NewDecoder(strings.NewReader(""), yaml.Strict())
	decode := func(n ast.Node, dst any, prefix string) bool {
		if dups := duplicateKeys(n); len(dups) > 0 {
			for _, d := range dups {
				v.errs = append(v.errs, &yamlfile.Error{Pos: yamlfile.NodePos(v.file, d[1]),
					Msg: fmt.Sprintf("%sduplicate key %q (first at line %d)", prefix, d[1].GetToken().Value, yamlfile.NodePos(v.file, d[0]).Line)})
			}
			return false
		}
		err := safeDecode(v.file, func() error { return dec.DecodeFromNode(n, dst) })
		if err == nil {
			return true
		}
		var ye *yamlfile.Error
		if errors.As(err, &ye) {
			if ye.Pos.Line == 1 && ye.Pos.Col == 1 {
				ye.Pos = yamlfile.NodePos(v.file, n)
			}
			ye.Msg = prefix + ye.Msg
			v.errs = append(v.errs, ye)
		}
		return false
	}
	seen := map[string]bool{}
	for _, mv := range top {
		if mv.Key == nil || mv.Key.GetToken() == nil {
			continue
		}
		key := mv.Key.GetToken().Value
		if seen[key] {
			v.errs = append(v.errs, &yamlfile.Error{Pos: yamlfile.NodePos(v.file, mv.Key), Msg: fmt.Sprintf("duplicate key %q", key)})
			continue
		}
		seen[key] = true
		switch key {
		case "version":
			decode(mv.Value, &f.Version, "version: ")
		case "levels":
			lv := mappingValues(mv.Value)
			if lv == nil {
				v.brokenLevels = !decode(mv.Value, &f.Levels, "levels: ") || v.brokenLevels
				continue
			}
			lseen := map[string]bool{}
			for _, l := range lv {
				name := l.Key.GetToken().Value
				dst := map[string]*Level{"low": &f.Levels.Low, "medium": &f.Levels.Medium, "high": &f.Levels.High, "critical": &f.Levels.Critical}[name]
				switch {
				case dst == nil:
					v.errs = append(v.errs, &yamlfile.Error{Pos: yamlfile.NodePos(v.file, l.Key), Msg: fmt.Sprintf("levels: unknown field %q (want low, medium, high, critical)", name)})
					v.brokenLevels = true
				case lseen[name]:
					v.errs = append(v.errs, &yamlfile.Error{Pos: yamlfile.NodePos(v.file, l.Key), Msg: fmt.Sprintf("levels: duplicate key %q", name)})
					v.brokenLevels = true
				default:
					if !decode(l.Value, dst, fmt.Sprintf("level %q: ", name)) {
						v.brokenLevels = true
					}
				}
				lseen[name] = true
			}
		case "categories":
			seq, ok := mv.Value.(*ast.SequenceNode)
			if !ok {
				decode(mv.Value, &f.Categories, "categories: ")
				continue
			}
			for i, n := range seq.Values {
				c := &Category{}
				id := idOf(n)
				prefix := fmt.Sprintf("category %d: ", i+1)
				if id != "" {
					prefix = fmt.Sprintf("category %q: ", id)
				}
				if !decode(n, c, prefix) {
					c = &Category{ID: id, Effect: EffectRaise, Cap: 100, broken: true}
				}
				f.Categories = append(f.Categories, c)
			}
		case "negation":
			n := &Negation{}
			if decode(mv.Value, n, "negation: ") {
				f.Negation = n
			}
		case "combination":
			c := &Combination{}
			if decode(mv.Value, c, "combination: ") {
				f.Combination = c
			}
		case "indicators":
			seq, ok := mv.Value.(*ast.SequenceNode)
			if !ok {
				decode(mv.Value, &f.Indicators, "indicators: ")
				continue
			}
			for i, n := range seq.Values {
				ind := &Indicator{}
				id := idOf(n)
				prefix := fmt.Sprintf("rule %d: ", i+1)
				if id != "" {
					prefix = fmt.Sprintf("rule %q: ", id)
				}
				if !decode(n, ind, prefix) {
					ind = &Indicator{ID: id, broken: true}
				}
				f.Indicators = append(f.Indicators, ind)
			}
		default:
			v.errs = append(v.errs, &yamlfile.Error{Pos: yamlfile.NodePos(v.file, mv.Key), Msg: fmt.Sprintf("unknown field %q", key)})
		}
	}
	return f
}

// duplicateKeys returns every key of a mapping in n (at any depth) that
// repeats an earlier key of the same mapping, each with the first one.
func duplicateKeys(n ast.Node) [][2]ast.Node {
	var out [][2]ast.Node
	var walk func(ast.Node, int)
	walk = func(n ast.Node, depth int) {
		if n == nil || depth > 100 {
			return
		}
		switch m := n.(type) {
		case *ast.MappingNode, *ast.MappingValueNode:
			first := map[string]ast.Node{}
			for _, mv := range mappingValues(m) {
				if mv.Key == nil || mv.Key.GetToken() == nil {
					continue
				}
				k := mv.Key.GetToken().Value
				if f, dup := first[k]; dup {
					out = append(out, [2]ast.Node{f, mv.Key})
				} else {
					first[k] = mv.Key
				}
				walk(mv.Value, depth+1)
			}
		case *ast.SequenceNode:
			for _, x := range m.Values {
				walk(x, depth+1)
			}
		case *ast.AnchorNode:
			walk(m.Value, depth+1)
		case *ast.TagNode:
			walk(m.Value, depth+1)
		}
	}
	walk(n, 0)
	return out
}

// mappingValues returns the entries of a mapping node, or nil.
func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	return nil
}

// idOf returns the string value of the "id" key of a mapping node, or "".
func idOf(n ast.Node) string {
	for _, mv := range mappingValues(n) {
		if mv.Key.GetToken().Value != "id" {
			continue
		}
		if s, ok := mv.Value.(*ast.StringNode); ok {
			return s.Value
		}
		if mv.Value != nil && mv.Value.GetToken() != nil {
			return mv.Value.GetToken().Value
		}
	}
	return ""
}

// errorf records a problem at the first of paths that exists in the file
// (a YAML path such as "$.indicators[2].id"), or at the top of the file.
func (v *validator) errorf(paths []string, format string, args ...any) {
	pos := yamlfile.Pos{File: v.file, Line: 1, Col: 1}
	placed := false
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
			placed = true
			break
		}
	}
	e := &yamlfile.Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
	v.errs = append(v.errs, e)
	if !placed {
		if v.fileLevel == nil {
			v.fileLevel = map[*yamlfile.Error]bool{}
		}
		v.fileLevel[e] = true
	}
}

func (v *validator) node(path string) ast.Node { return yamlfile.NodeAt(v.tree, path) }

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

// errorAtKey records a problem at the key key of the mapping at path: a
// key with dots in it (an indicator id) cannot be part of a path.
func (v *validator) errorAtKey(path, key, format string, args ...any) {
	if m, ok := v.node(path).(*ast.MappingNode); ok {
		for _, mv := range m.Values {
			if mv.Key != nil && mv.Key.GetToken() != nil && mv.Key.GetToken().Value == key {
				v.errs = append(v.errs, &yamlfile.Error{Pos: yamlfile.NodePos(v.file, mv.Key), Msg: fmt.Sprintf(format, args...)})
				return
			}
		}
	}
	v.errorf(paths(path), format, args...)
}

// line returns the line of the node at path, or 0.
func (v *validator) line(path string) int {
	if n := v.node(path); n != nil {
		return n.GetToken().Position.Line
	}
	return 0
}

func paths(p ...string) []string { return p }

func (v *validator) validate(f *File) {
	if strings.TrimSpace(f.Version) == "" {
		v.errorf(paths("$.version"), "version: missing; give the rules a version string")
	}
	for code, rate := range f.Rates {
		if !currencyRE.MatchString(code) || !(rate > 0) || math.IsInf(rate, 0) {
			v.errorf(paths("$.rates."+code, "$.rates"), "rates: %s: %v: want an upper-case currency code and a positive USD rate", code, rate)
		}
	}
	v.validateCategories(f)
	if !v.brokenLevels {
		v.validateLevels(f)
	}
	v.validateIndicators(f)
	v.validateCombination(f)
}

// maxNegationGap bounds Negation.MaxGap: farther than a few words, a
// negation is about something else.
const maxNegationGap = 40

// validateNegation checks the negation cues and each indicator's
// negated_as: an indicator of the file (ids maps each id to its index),
// not itself, not one negated in turn, and a negation block to say what
// negates.
func (v *validator) validateNegation(f *File, ids map[string]int) {
	if n := f.Negation; n != nil {
		if n.MaxGap < 1 || n.MaxGap > maxNegationGap {
			v.errorf(paths("$.negation.max_gap", "$.negation"), "negation: max_gap %d: want 1 to %d", n.MaxGap, maxNegationGap)
		}
		if len(n.Before)+len(n.After) == 0 {
			v.errorf(paths("$.negation"), "negation: no before or after cues")
		}
		n.NormBefore = v.compilePhraseMap(n.Before, "$.negation.before", "negation: before")
		n.NormAfter = v.compilePhraseMap(n.After, "$.negation.after", "negation: after")
	}
	for i, ind := range f.Indicators {
		if ind.broken || ind.NegatedAs == "" {
			continue
		}
		at := fmt.Sprintf("$.indicators[%d]", i)
		k, ok := ids[ind.NegatedAs]
		switch {
		case !ok:
			v.errorf(paths(at+".negated_as", at), "rule %q: negated_as: unknown indicator %q", ind.ID, ind.NegatedAs)
		case k == i:
			v.errorf(paths(at+".negated_as", at), "rule %q: negated_as: itself", ind.ID)
		case f.Indicators[k].NegatedAs != "":
			v.errorf(paths(at+".negated_as", at), "rule %q: negated_as: %q is negated as another itself; chains are not supported", ind.ID, ind.NegatedAs)
		case f.Negation == nil:
			v.errorf(paths(at+".negated_as", at), "rule %q: negated_as: the file has no negation cues", ind.ID)
		}
		if len(ind.Phrases) == 0 {
			v.errorf(paths(at+".negated_as", at), "rule %q: negated_as: the rule has no phrases to negate", ind.ID)
		}
	}
}

// validateCombination checks the combination model: a threshold that is a
// probability above one half, finite weights, and ids that name
// categories and indicators of the file.
func (v *validator) validateCombination(f *File) {
	c := f.Combination
	if c == nil {
		return
	}
	const at = "$.combination"
	if !(c.Threshold > 0.5 && c.Threshold < 1) {
		v.errorf(paths(at+".threshold", at), "combination: threshold %v: want a probability above 0.5 and below 1", c.Threshold)
	}
	finite := func(w float64) bool { return !math.IsNaN(w) && math.Abs(w) <= MaxCombinationWeight }
	if !finite(c.Bias) {
		v.errorf(paths(at+".bias", at), "combination: bias %v: want a number from -%d to %d", c.Bias, MaxCombinationWeight, MaxCombinationWeight)
	}
	if !finite(c.PerCategory) {
		v.errorf(paths(at+".per_category", at), "combination: per_category %v: want a number from -%d to %d", c.PerCategory, MaxCombinationWeight, MaxCombinationWeight)
	}
	inds := map[string]bool{}
	for _, ind := range f.Indicators {
		if ind != nil {
			inds[ind.ID] = true
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.Categories)) {
		switch w := c.Categories[id]; {
		case f.Category(id) == nil:
			v.errorAtKey(at+".categories", id, "combination: categories: unknown category %q", id)
		case !finite(w):
			v.errorAtKey(at+".categories", id, "combination: categories: %s: weight %v: want a number from -%d to %d", id, w, MaxCombinationWeight, MaxCombinationWeight)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(c.Indicators)) {
		switch w := c.Indicators[id]; {
		case !inds[id]:
			v.errorAtKey(at+".indicators", id, "combination: indicators: unknown rule %q", id)
		case !finite(w):
			v.errorAtKey(at+".indicators", id, "combination: indicators: %s: weight %v: want a number from -%d to %d", id, w, MaxCombinationWeight, MaxCombinationWeight)
		}
	}
}

func (v *validator) validateCategories(f *File) {
	if len(f.Categories) == 0 {
		v.errorf(paths("$.categories"), "categories: none defined")
	}
	seen := map[string]int{}
	for i, c := range f.Categories {
		at := fmt.Sprintf("$.categories[%d]", i)
		if c == nil {
			v.errorf(paths(at), "category %d: empty", i+1)
			f.Categories[i] = &Category{}
			continue
		}
		name := v.checkID("categories", "category", i, c.ID, c.broken, catRE, "use lower-case letters, digits and _", seen)
		if c.broken {
			continue
		}
		switch c.Effect {
		case "":
			c.Effect = EffectRaise
		case EffectRaise, EffectLower, EffectContext:
		default:
			v.errorf(paths(at+".effect"), "%s: effect %q: want %q, %q or %q", name, c.Effect, EffectRaise, EffectLower, EffectContext)
		}
		if c.MutesQuoted && (c.Effect == EffectRaise || c.Effect == EffectContext) {
			v.errorf(paths(at+".mutes_quoted", at), "%s: mutes_quoted needs effect %q", name, EffectLower)
		}
		if !(c.Cap > 0 && c.Cap <= 100) || math.IsNaN(c.Cap) {
			v.errorf(paths(at+".cap", at), "%s: cap %v: want a number above 0 and at most 100", name, c.Cap)
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
		name := fmt.Sprintf("level %q", n.name)
		if v.node(at) == nil {
			v.errorf(paths(at, "$.levels"), "%s: missing from levels", name)
			continue
		}
		if n.l.MinScore <= prevScore || n.l.MinScore > 100 {
			v.errorf(paths(at+".min_score", at), "%s: min_score %d: want more than %d and at most 100", name, n.l.MinScore, prevScore)
		}
		if i >= 1 && n.l.MinCategories < 2 {
			v.errorf(paths(at+".min_categories", at), "%s: min_categories %d: want at least 2, so that one kind of cue alone never flags an ad", name, n.l.MinCategories)
		}
		if n.l.MinCategories < prevCats {
			v.errorf(paths(at+".min_categories", at), "%s: min_categories %d is below the level before it (%d)", name, n.l.MinCategories, prevCats)
		}
		for j, id := range n.l.RequireAny {
			c := f.Category(id)
			switch {
			case c == nil:
				v.errorf(paths(fmt.Sprintf("%s.require_any[%d]", at, j), at), "%s: require_any: unknown category %q", name, id)
			case c.Effect != EffectRaise:
				v.errorf(paths(fmt.Sprintf("%s.require_any[%d]", at, j), at), "%s: require_any: category %q does not raise the score", name, id)
			}
		}
		if w := n.l.Withhold; w != nil {
			wat := at + ".withhold"
			if len(w.Categories) == 0 {
				v.errorf(paths(wat+".categories", wat, at), "%s: withhold: categories: want at least one", name)
			}
			for j, id := range w.Categories {
				c := f.Category(id)
				switch {
				case c == nil:
					v.errorf(paths(fmt.Sprintf("%s.categories[%d]", wat, j), wat, at), "%s: withhold: unknown category %q", name, id)
				case c.Effect == EffectRaise:
					v.errorf(paths(fmt.Sprintf("%s.categories[%d]", wat, j), wat, at), "%s: withhold: category %q raises the score; want lower or context categories", name, id)
				}
			}
			for j, id := range w.Unless {
				c := f.Category(id)
				switch {
				case c == nil:
					v.errorf(paths(fmt.Sprintf("%s.unless[%d]", wat, j), wat, at), "%s: withhold: unless: unknown category %q", name, id)
				case c.Effect != EffectRaise:
					v.errorf(paths(fmt.Sprintf("%s.unless[%d]", wat, j), wat, at), "%s: withhold: unless: category %q does not raise the score", name, id)
				}
			}
			if !(w.MinScore > 0 && w.MinScore <= 100) || math.IsNaN(w.MinScore) {
				v.errorf(paths(wat+".min_score", wat, at), "%s: withhold: min_score %v: want a number above 0 and at most 100", name, w.MinScore)
			}
		}
		prevScore = max(prevScore, n.l.MinScore)
		prevCats = max(prevCats, n.l.MinCategories)
	}
}

// checkID checks the id of item i of a section ("categories",
// "indicators"): present (unless the item did not decode), well formed
// (re, described by hint), and not used before (seen maps ids to items).
// It returns the name the item's messages use, e.g. `rule "pay.usd"`.
func (v *validator) checkID(section, noun string, i int, id string, broken bool, re *regexp.Regexp, hint string, seen map[string]int) string {
	at := fmt.Sprintf("$.%s[%d]", section, i)
	name := fmt.Sprintf("%s %q", noun, id)
	switch {
	case id == "":
		name = fmt.Sprintf("%s %d", noun, i+1)
		if !broken {
			v.errorf(paths(at+".id", at), "%s: no id", name)
		}
	case !re.MatchString(id):
		v.errorf(paths(at+".id"), "%s: id: %s", name, hint)
	default:
		if j, dup := seen[id]; dup {
			v.errorf(paths(at+".id"), "%s: duplicate id (first used by %s %d, line %d)", name, noun, j+1, v.line(fmt.Sprintf("$.%s[%d].id", section, j)))
		} else {
			seen[id] = i
		}
	}
	return name
}

func (v *validator) validateIndicators(f *File) {
	if len(f.Indicators) == 0 {
		v.errorf(paths("$.indicators"), "indicators: none defined")
	}
	seen := map[string]int{}
	for i, ind := range f.Indicators {
		at := fmt.Sprintf("$.indicators[%d]", i)
		if ind == nil {
			v.errorf(paths(at), "rule %d: empty", i+1)
			f.Indicators[i] = &Indicator{}
			continue
		}
		name := v.checkID("indicators", "rule", i, ind.ID, ind.broken, idRE, "use lower-case letters, digits, '.', '_' and '-'", seen)
		if ind.broken {
			continue
		}
		switch c := f.Category(ind.Category); {
		case ind.Category == "":
			v.errorf(paths(at+".category", at), "%s: no category", name)
		case c == nil:
			v.errorf(paths(at+".category"), "%s: unknown category %q", name, ind.Category)
		case ind.Weight > c.Cap && !c.broken:
			v.errorf(paths(at+".weight", at), "%s: weight %v is above its category's cap %v", name, ind.Weight, c.Cap)
		}
		if !(ind.Weight > 0 && ind.Weight <= 100) || math.IsNaN(ind.Weight) {
			v.errorf(paths(at+".weight", at), "%s: weight %v: want a number above 0 and at most 100", name, ind.Weight)
		}
		if len(ind.Phrases) == 0 && len(ind.Patterns) == 0 && len(ind.Signals) == 0 && ind.Salary == nil && ind.Prose == nil && ind.Quoted == nil {
			v.errorf(paths(at+".phrases", at), "%s: no phrases, patterns, signals, salary, prose or quoted", name)
		}
		if qc := ind.Quoted; qc != nil {
			if qc.MinCategories < 1 || qc.MinCategories > 20 {
				v.errorf(paths(at+".quoted.min_categories", at+".quoted"), "%s: quoted: min_categories %d: want 1 to 20", name, qc.MinCategories)
			}
			if c := f.Category(ind.Category); c != nil && c.Effect != EffectLower && c.Effect != EffectContext {
				v.errorf(paths(at+".quoted", at), "%s: quoted: category %q raises the score; want a lower or context category", name, ind.Category)
			}
		}
		if pc := ind.Prose; pc != nil {
			if pc.MinAvgLine < 20 || pc.MinAvgLine > 10000 {
				v.errorf(paths(at+".prose.min_avg_line", at+".prose"), "%s: prose: min_avg_line %d: want 20 to 10000", name, pc.MinAvgLine)
			}
			if pc.MinChars < 0 || pc.MinChars > 100000 {
				v.errorf(paths(at+".prose.min_chars", at+".prose"), "%s: prose: min_chars %d: want 0 to 100000", name, pc.MinChars)
			}
		}
		if sc := ind.Salary; sc != nil {
			if !(sc.MinUSDPerMonth > 0) || math.IsInf(sc.MinUSDPerMonth, 0) {
				v.errorf(paths(at+".salary.min_usd_per_month", at+".salary"), "%s: salary: min_usd_per_month %v: want a positive number", name, sc.MinUSDPerMonth)
			}
			if sc.MaxUSDPerMonth != 0 && (!(sc.MaxUSDPerMonth > sc.MinUSDPerMonth) || math.IsInf(sc.MaxUSDPerMonth, 0)) {
				v.errorf(paths(at+".salary.max_usd_per_month", at+".salary"), "%s: salary: max_usd_per_month %v: want a number above min_usd_per_month", name, sc.MaxUSDPerMonth)
			}
			for _, cur := range slices.Sorted(maps.Keys(sc.MinUSDPerMonthIn)) {
				lat := at + ".salary.min_usd_per_month_in." + cur
				if !currencyRE.MatchString(cur) {
					v.errorf(paths(lat, at+".salary"), "%s: salary: min_usd_per_month_in: currency %q: want an ISO 4217 code in capitals such as HKD", name, cur)
				}
				if m := sc.MinUSDPerMonthIn[cur]; !(m > 0) || math.IsInf(m, 0) || sc.MaxUSDPerMonth != 0 && m >= sc.MaxUSDPerMonth {
					v.errorf(paths(lat, at+".salary"), "%s: salary: min_usd_per_month_in: %s %v: want a positive number below max_usd_per_month, if any", name, cur, m)
				}
			}
			for key, cats := range map[string][]string{"with_any": sc.WithAny, "unless_any": sc.UnlessAny} {
				for j, c := range cats {
					if f.Category(c) == nil {
						v.errorf(paths(fmt.Sprintf("%s.salary.%s[%d]", at, key, j), at+".salary"), "%s: salary: %s: unknown category %q", name, key, c)
					}
				}
			}
		}
		for j, c := range ind.UnlessAny {
			switch {
			case f.Category(c) == nil:
				v.errorf(paths(fmt.Sprintf("%s.unless_any[%d]", at, j), at), "%s: unless_any: unknown category %q", name, c)
			case c == ind.Category:
				v.errorf(paths(fmt.Sprintf("%s.unless_any[%d]", at, j), at), "%s: unless_any: its own category %q", name, c)
			}
		}
		for j, lang := range ind.UnlessLang {
			if lang == "any" || !validLang(lang) {
				v.errorf(paths(fmt.Sprintf("%s.unless_lang[%d]", at, j), at), "%s: unless_lang: language %q: want an ISO 639-1 code such as th or vi", name, lang)
			}
		}
		v.compilePhrases(ind, at, name)
		v.compilePatterns(ind, at, name)
		for j, s := range ind.Signals {
			sig, ok := textnorm.ParseSignal(s)
			if !ok {
				v.errorf(paths(fmt.Sprintf("%s.signals[%d]", at, j), at), "%s: unknown signal %q (want spaced_letters, leetspeak or homoglyphs)", name, s)
				continue
			}
			ind.SignalValues = append(ind.SignalValues, sig)
		}
	}
	v.validateOverrides(f, seen)
	v.validateNegation(f, seen)
}

// validateOverrides checks each indicator's overrides once every id is
// known: they name other indicators, and none that overrides in turn (the
// outcome would then depend on the order they are applied in).
func (v *validator) validateOverrides(f *File, ids map[string]int) {
	for i, ind := range f.Indicators {
		if ind.broken {
			continue
		}
		at := fmt.Sprintf("$.indicators[%d]", i)
		for j, id := range ind.Overrides {
			jat := fmt.Sprintf("%s.overrides[%d]", at, j)
			k, ok := ids[id]
			switch {
			case !ok:
				v.errorf(paths(jat, at), "rule %q: overrides: unknown indicator %q", ind.ID, id)
			case id == ind.ID:
				v.errorf(paths(jat, at), "rule %q: overrides: itself", ind.ID)
			case len(f.Indicators[k].Overrides) > 0:
				v.errorf(paths(jat, at), "rule %q: overrides: %q overrides others itself; chains are not supported", ind.ID, id)
			}
		}
	}
}

var currencyRE = regexp.MustCompile(`^[A-Z]{3,4}$`)

// validLang reports whether lang is "any" or a known ISO 639 language code
// of two or three letters.
func validLang(lang string) bool {
	if lang == "any" {
		return true
	}
	if !langRE.MatchString(lang) || lang == "und" {
		return false
	}
	_, err := language.ParseBase(lang)
	return err == nil
}

// minStem is the fewest characters of a stem (a phrase with '*'): a
// shorter one would match inside too many words.
const minStem = 3

func (v *validator) compilePhrases(ind *Indicator, at, name string) {
	ind.NormPhrases = v.compilePhraseMap(ind.Phrases, at+".phrases", name+": phrases")
}

// compilePhraseMap normalises and checks the phrases of m, by language, at
// path at, naming them what in messages, and returns them deduplicated,
// languages in sorted order.
func (v *validator) compilePhraseMap(m map[string][]string, at, what string) []Phrase {
	var out []Phrase
	langs := make([]string, 0, len(m))
	for lang := range m {
		langs = append(langs, lang)
	}
	slices.Sort(langs)
	for _, lang := range langs {
		list := m[lang]
		lat := at + "." + lang
		if !validLang(lang) {
			v.errorf(paths(lat, at), "%s: language %q: want an ISO 639-1 code such as en, zh or vi, or \"any\"", what, lang)
		}
		if len(list) == 0 {
			v.errorf(paths(lat, at), "%s: %s: empty phrase list", what, lang)
			continue
		}
		seen := map[Phrase]bool{}
		for j, p := range list {
			// A '*' at either edge makes the phrase a stem, open there.
			openL, openR := strings.HasPrefix(p, "*"), len(p) > 1 && strings.HasSuffix(p, "*")
			if openL {
				p = p[1:]
			}
			if openR {
				p = p[:len(p)-1]
			}
			n := strings.TrimSpace(textnorm.String(p))
			switch {
			case strings.TrimSpace(p) == "":
				v.errorf(paths(fmt.Sprintf("%s[%d]", lat, j), lat), "%s: %s: phrase %d is empty", what, lang, j+1)
				continue
			case n == "":
				v.errorf(paths(fmt.Sprintf("%s[%d]", lat, j), lat), "%s: %s: phrase %d (%q) is empty once normalised", what, lang, j+1, p)
				continue
			case len([]rune(n)) < 2:
				v.errorf(paths(fmt.Sprintf("%s[%d]", lat, j), lat), "%s: %s: phrase %q is too short to match reliably", what, lang, p)
				continue
			case n != textnorm.String(p):
				v.errorf(paths(fmt.Sprintf("%s[%d]", lat, j), lat), "%s: %s: phrase %q starts or ends with white space", what, lang, p)
				continue
			case strings.Contains(p, "*"):
				v.errorf(paths(fmt.Sprintf("%s[%d]", lat, j), lat), "%s: %s: phrase %q has a '*' inside: a stem has it only at its start or end", what, lang, p)
				continue
			case (openL || openR) && len([]rune(n)) < minStem:
				v.errorf(paths(fmt.Sprintf("%s[%d]", lat, j), lat), "%s: %s: stem %q is too short: a phrase with '*' needs at least %d characters", what, lang, p, minStem)
				continue
			}
			if ph := (Phrase{Lang: lang, Text: n, OpenLeft: openL, OpenRight: openR}); !seen[ph] {
				seen[ph] = true
				out = append(out, ph)
			}
			if forms := politeLangs[lang]; forms != nil {
				for _, f := range forms(n) {
					if ph := (Phrase{Lang: lang, Text: f, OpenLeft: openL, OpenRight: openR}); !seen[ph] {
						seen[ph] = true
						out = append(out, ph)
					}
				}
			}
			if !openR {
				continue
			}
			for _, f := range stemForms(n) {
				if ph := (Phrase{Lang: lang, Text: f, OpenLeft: openL, OpenRight: true}); !seen[ph] {
					seen[ph] = true
					out = append(out, ph)
				}
			}
		}
	}
	return out
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
