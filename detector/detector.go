// Package detector scores job ads for recruitment-lure patterns: it loads a
// rules file (package rulefmt), normalises each ad field (package textnorm),
// finds every rule phrase in one Aho–Corasick pass plus a few regular
// expressions, and turns the matches into a lurewatch.Assessment with a
// score, a level, the indicators matched with evidence that points into the
// ad as posted, the contacts found, and a one-line summary. When the rules
// have a combination model (fitted by package combine), it may raise to
// medium an ad that only its score keeps below.
//
// The detector does no I/O: text in, Assessment out. A Detector is immutable
// once loaded and safe for concurrent use; to reload rules, Load a new one
// and swap it in only if Load succeeded.
//
// Work per ad is bounded: each field is read up to MaxFieldBytes, and the
// number of matches, evidence spans and entities kept is capped.
package detector

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector/extract"
	"github.com/lurewatch/lurewatch/detector/internal/ahocorasick"
	"github.com/lurewatch/lurewatch/detector/rulefmt"
	"github.com/lurewatch/lurewatch/detector/textnorm"
)

// Version is the detector's version, recorded in every assessment. It
// changes when the engine (not the rules) changes what it reports.
const Version = "0.1.0"

// Limits that bound the work done on one ad.
const (
	// MaxFieldBytes is how much of each ad field is read; the rest of a
	// longer field is ignored (cut at a character boundary).
	MaxFieldBytes = 64 << 10
	// maxHitsPerField caps phrase and pattern matches examined per field.
	maxHitsPerField = 20000
	// maxEvidence caps the evidence spans kept per indicator.
	maxEvidence = 8
	// maxEntities caps the entities kept per ad.
	maxEntities = 64
)

// lineBreak is the byte the automaton reads as a space (see compile).
const lineBreak = '\n'

// Detector is a compiled rules file. It is safe for concurrent use.
type Detector struct {
	rules *rulefmt.File
	cats  []category
	inds  []indicator
	// ac finds the phrases (pattern i < len(phrases) is phrases[i]) and
	// then the prefilter literals of res.
	ac      *ahocorasick.Matcher
	phrases []phraseRef
	// foldedLits[i] is set when literal i of res holds a space or a line
	// break, which ac reads alike.
	foldedLits []bool
	// regexps lists every rule pattern with its indicator; res runs them,
	// followed by the entity extractors (from index len(regexps) on).
	regexps []regexRef
	res     *regexSet
	// bySignal lists the indicators fed by each normalisation signal.
	bySignal map[textnorm.Signal][]int
	// salaryRules are the indicators with a salary condition; rates
	// convert pay to USD.
	salaryRules []salaryRule
	rates       extract.Rates
	// proseRules are the indicators with a prose condition; proseGate
	// (see gateProse) are the categories of which one must have matched
	// for them to be worth measuring, or nil when they always are.
	proseRules []proseRule
	proseGate  []bool
	// quotedRules are the indicators with a quoted condition.
	quotedRules []quotedRule
	// overriding is whether any indicator overrides others; conditional,
	// whether any has unless_any categories; langGated, whether any has
	// unless_lang languages; negating, whether any has negated_as, and
	// negGap the most characters between a negation cue and the phrase it
	// negates.
	overriding, conditional, langGated, negating bool
	negGap                                       int
	// rank[i] is indicator i's place in an assessment's list: raising
	// cues by weight, then lowering ones, ties by id (see score).
	rank []int32
	// catsByID lists the category indexes in order of id.
	catsByID []int
	// withhold[l] lists the indexes of the categories of level l's
	// withhold rule (nil when it has none), and withholdUnless[l] those of
	// its unless list.
	withhold, withholdUnless [lurewatch.LevelCritical + 1][]int
	// comb is the combination model, nil when the rules have none.
	comb *combModel
	// scans holds per-ad state and buffers, reused.
	scans scanPool
}

type category struct {
	id   string
	desc string
	// lower and context are the category's effect (neither: it raises
	// the score): see rulefmt.EffectLower and rulefmt.EffectContext.
	lower, context bool
	cap            float64
	mutes          bool // when matched, quoted raising cues do not count
}

// raises reports whether c's cues raise the score.
func (c *category) raises() bool { return !c.lower && !c.context }

type indicator struct {
	id, desc string
	cat      int
	weight   float64
	// overrides lists the indicators whose evidence this one's cancels
	// where they overlap (see rulefmt.Indicator.Overrides).
	overrides []int
	// unless lists the categories whose match keeps this indicator from
	// counting (see rulefmt.Indicator.UnlessAny).
	unless []int
	// unlessLang lists the languages in whose ads this indicator does not
	// count (see rulefmt.Indicator.UnlessLang).
	unlessLang []string
	// negatedAs is the indicator a negated phrase of this one counts as
	// (see rulefmt.Indicator.NegatedAs), or -1.
	negatedAs int
}

// phraseRef is one compiled phrase: its indicator (or negBefore or negAfter
// for a negation cue) and whether its first and last characters need a word
// boundary next to them. spaced says it holds a space, so that it can run
// across a line break (see wrapped).
type phraseRef struct {
	ind                    int
	boundL, boundR, spaced bool
	// yue marks the Mandarin form of a phrase written in Cantonese
	// (textnorm.FoldCantonese), which counts only in an ad written in
	// Cantonese, whose text is folded the same way.
	yue bool
}

// Negation cues' indicator numbers in phraseRef: a cue that negates the
// phrase after it, and one that negates the phrase before it.
const (
	negBefore = -1 - iota
	negAfter
)

// regexRef is one compiled rule pattern. When the pattern has a group
// named "m", that group (not the whole match) is the evidence.
type regexRef struct {
	ind   int
	re    *regexp.Regexp
	group int
}

// Load parses and compiles the rules file named file with contents data.
// Every problem in the file is reported, each as "file:line:col: message";
// the error wraps lurewatch.ErrInvalid.
func Load(file string, data []byte) (*Detector, error) {
	rules, err := rulefmt.Parse(file, data)
	if err != nil {
		return nil, err
	}
	return compile(rules)
}

// compile builds the matching structures of a validated rules file.
func compile(rules *rulefmt.File) (*Detector, error) {
	d := &Detector{rules: rules, bySignal: map[textnorm.Signal][]int{}}
	catIdx := map[string]int{}
	for i, c := range rules.Categories {
		catIdx[c.ID] = i
		d.cats = append(d.cats, category{id: c.ID, desc: c.Description, lower: c.Effect == rulefmt.EffectLower, context: c.Effect == rulefmt.EffectContext, cap: c.Cap, mutes: c.MutesQuoted})
	}
	var pats []string
	for i, ind := range rules.Indicators {
		ci, ok := catIdx[ind.Category]
		if !ok {
			return nil, fmt.Errorf("%w: indicator %q: unknown category %q", lurewatch.ErrInvalid, ind.ID, ind.Category)
		}
		d.inds = append(d.inds, indicator{id: ind.ID, desc: ind.Description, cat: ci, weight: ind.Weight, negatedAs: -1})
		pats = d.addPhrases(pats, i, ind.NormPhrases)
		for _, re := range ind.Regexps {
			d.regexps = append(d.regexps, regexRef{ind: i, re: re, group: max(re.SubexpIndex("m"), 0)})
		}
		for _, s := range ind.SignalValues {
			d.bySignal[s] = append(d.bySignal[s], i)
		}
	}
	if n := rules.Negation; n != nil {
		// The cues follow every indicator's phrases in the automaton.
		pats = d.addPhrases(pats, negBefore, n.NormBefore)
		pats = d.addPhrases(pats, negAfter, n.NormAfter)
		d.negGap = n.MaxGap
	}
	indIdx := make(map[string]int, len(rules.Indicators))
	for i, ind := range rules.Indicators {
		indIdx[ind.ID] = i
	}
	for i, ind := range rules.Indicators {
		o, err := resolveIDs(ind.ID, "overrides", ind.Overrides, indIdx)
		if err != nil {
			return nil, err
		}
		u, err := resolveIDs(ind.ID, "unless_any", ind.UnlessAny, catIdx)
		if err != nil {
			return nil, err
		}
		d.inds[i].overrides, d.inds[i].unless, d.inds[i].unlessLang = o, u, ind.UnlessLang
		d.langGated = d.langGated || len(ind.UnlessLang) > 0
		if ind.NegatedAs != "" {
			n, err := resolveIDs(ind.ID, "negated_as", []string{ind.NegatedAs}, indIdx)
			if err != nil {
				return nil, err
			}
			d.inds[i].negatedAs = n[0]
			d.negating = true
		}
		d.overriding = d.overriding || len(o) > 0
		d.conditional = d.conditional || len(u) > 0
	}
	var res []*regexp.Regexp
	for _, rr := range d.regexps {
		res = append(res, rr.re)
	}
	d.res = newRegexSet(append(res, extractors...))
	for i, rr := range d.regexps {
		// A rule's evidence is the whole match unless it names a group.
		d.res.spanOnly[i] = rr.group == 0
	}
	for k, re := range extractors {
		// An extractor without groups reads only the span.
		d.res.spanOnly[len(d.regexps)+k] = re.NumSubexp() == 0
	}
	// One automaton finds the phrases and the regexps' literals. It reads
	// a line break as a space, so that a phrase matches in text wrapped
	// in mid-sentence ("free\nflight"): normalised text has one space or
	// one line break between words (see textnorm). The regexps' literals
	// must be found as they are, so a hit of one with a space or a line
	// break is kept only if the text holds it (see matchPhrases).
	d.ac = ahocorasick.NewFolded(append(pats, d.res.lits...), map[byte]byte{lineBreak: ' '})
	d.foldedLits = make([]bool, len(d.res.lits))
	for i, l := range d.res.lits {
		d.foldedLits[i] = strings.ContainsAny(l, " "+string(lineBreak))
	}
	d.rank, d.catsByID = d.orders()
	d.salaryRules = compileSalaryRules(rules, catIdx)
	d.proseRules = compileProseRules(rules)
	d.quotedRules = compileQuotedRules(rules)
	for _, l := range lurewatch.Levels[1:] {
		if w := rules.Levels.Get(l).Withhold; w != nil {
			for _, id := range w.Categories {
				d.withhold[l] = append(d.withhold[l], catIdx[id])
			}
			for _, id := range w.Unless {
				d.withholdUnless[l] = append(d.withholdUnless[l], catIdx[id])
			}
		}
	}
	d.proseGate = d.gateProse(rules)
	d.rates = mergeRates(rules.Rates)
	d.comb = compileCombination(rules, catIdx, d.inds)
	return d, nil
}

// addPhrases adds phrases to the automaton's patterns pats and to
// d.phrases, as indicator ind's (or as negation cues: negBefore, negAfter),
// and returns pats.
func (d *Detector) addPhrases(pats []string, ind int, phrases []rulefmt.Phrase) []string {
	for _, p := range phrases {
		first, last := firstLast(p.Text)
		ref := phraseRef{
			ind:    ind,
			boundL: !p.OpenLeft && textnorm.IsWordRune(first),
			boundR: !p.OpenRight && textnorm.IsWordRune(last),
			spaced: strings.IndexByte(p.Text, ' ') >= 0,
		}
		for i, text := range phraseForms(p.Text) {
			ref.yue = i > 0
			pats = append(pats, text)
			d.phrases = append(d.phrases, ref)
		}
	}
	return pats
}

// phraseForms returns the forms a phrase is matched in: as written, and,
// for a phrase written in Cantonese, in the Mandarin words of
// textnorm.FoldCantonese, for an ad whose text is folded the same way.
func phraseForms(text string) []string {
	if y := textnorm.FoldCantonese(text); y != text {
		return []string{text, y}
	}
	return []string{text}
}

// resolveIDs maps the ids that indicator ind names in field what to their
// indexes in idx (rulefmt has checked them; this guards a File built
// otherwise).
func resolveIDs(ind, what string, ids []string, idx map[string]int) ([]int, error) {
	var out []int
	for _, id := range ids {
		j, ok := idx[id]
		if !ok {
			return nil, fmt.Errorf("%w: indicator %q: %s: unknown id %q", lurewatch.ErrInvalid, ind, what, id)
		}
		out = append(out, j)
	}
	return out, nil
}

// orders returns the rank of each indicator in an assessment's list
// (strongest first: raising cues by weight, then lowering ones, ties by
// id) and the category indexes in order of id.
func (d *Detector) orders() ([]int32, []int) {
	byRank := make([]int, len(d.inds))
	for i := range byRank {
		byRank[i] = i
	}
	slices.SortStableFunc(byRank, func(x, y int) int {
		ix, iy := d.inds[x], d.inds[y]
		lx, ly := !d.cats[ix.cat].raises(), !d.cats[iy.cat].raises()
		if lx != ly {
			if lx {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(iy.weight, ix.weight); c != 0 {
			return c
		}
		return cmp.Compare(ix.id, iy.id)
	})
	rank := make([]int32, len(d.inds))
	for r, i := range byRank {
		rank[i] = int32(r)
	}
	cats := make([]int, len(d.cats))
	for i := range cats {
		cats[i] = i
	}
	slices.SortStableFunc(cats, func(x, y int) int { return cmp.Compare(d.cats[x].id, d.cats[y].id) })
	return rank, cats
}

// scanPool is a free list of scans. Unlike a sync.Pool it keeps them
// across garbage collections: a scan carries lazily built DFAs that take
// many ads to build up.
type scanPool struct {
	mu   sync.Mutex
	free []*scan
}

// maxFreeScans bounds the scans kept: more than the goroutines that assess
// at once in any real deployment.
const maxFreeScans = 64

func (p *scanPool) get() *scan {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.free); n > 0 {
		s := p.free[n-1]
		p.free = p.free[:n-1]
		return s
	}
	return new(scan)
}

func (p *scanPool) put(s *scan) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) < maxFreeScans {
		p.free = append(p.free, s)
	}
}

// RulesVersion returns the version string of the loaded rules file.
func (d *Detector) RulesVersion() string { return d.rules.Version }

// AssessText assesses a bare text, as if it were the body of an ad with no
// other fields.
func (d *Detector) AssessText(text string) lurewatch.Assessment {
	return d.Assess(&lurewatch.Ad{Text: text})
}

// firstLast returns the first and last characters of s.
func firstLast(s string) (first, last rune) {
	first, _ = utf8.DecodeRuneInString(s)
	last, _ = utf8.DecodeLastRuneInString(s)
	return first, last
}
