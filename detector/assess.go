package detector

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/detector/extract"
	"github.com/lurewatch/lurewatch/detector/textnorm"
)

// scan holds the matches found in one ad, and the buffers used to find
// them, which are reused from ad to ad (see Detector.scans).
type scan struct {
	// ev[i] is the evidence found for indicator i; touched lists the i
	// with evidence, in the order first found.
	ev      [][]evidence
	touched []int
	// entities are the contacts, places, employer and pay found, with
	// their evidence in entEv (Evidence pointers are set when the
	// assessment takes them: see takeEntities).
	entities []lurewatch.Entity
	entEv    []lurewatch.Evidence
	// salaries are the pay amounts of each field once extracted
	// (salDone), in buffers reused from ad to ad; places is a buffer for
	// describe.
	salaries [][]extract.Salary
	salDone  bool
	places   []extract.Place
	// quotes are the quoted spans of the field being scanned, in
	// normalised offsets.
	quotes [][2]int
	// arabizi is set for an ad in Arabic typed in Latin letters, whose
	// digits between letters are letters, so not a leetspeak signal.
	arabizi bool

	// fields holds each field's normalised text and literal hits
	// between the passes of Assess.
	fields []fieldScan
	norm   textnorm.Normalizer
	starts []int
	cand   candidateSet
	locs   [][]int
	phones [][2]int

	// dfas are the lazily built DFAs of the regexps' edge variants (see
	// regexSet.find), kept from ad to ad.
	dfas []reCaches
	ctx  ctxCaches

	// quotedCat is quotedCues' buffer, by category; unlessSeen is
	// applyUnless's.
	quotedCat  []int8
	unlessSeen []bool

	// Buffers of score and summary.
	ms       []matched
	catScore []float64
	catSeen  []bool
	done     []bool
	sum      []byte
}

// reset readies s for the next ad, once it has scored one.
func (s *scan) reset() {
	for _, i := range s.touched {
		s.ev[i] = s.ev[i][:0]
	}
	s.touched = s.touched[:0]
	s.entities = clearUsed(s.entities)
	s.entEv = clearUsed(s.entEv)
	s.places = clearUsed(s.places)
	for i := range s.salaries {
		s.salaries[i] = clearUsed(s.salaries[i])
	}
	s.salDone = false
	s.quotes = nil
	s.arabizi = false
	// Let go of the fields' texts so that the pool does not keep ads
	// alive.
	for i := range s.fields {
		f := &s.fields[i]
		f.orig, f.text.Orig, f.text.Norm = "", "", ""
	}
}

// clearUsed zeroes x, so that a pooled buffer does not keep the strings
// of the last ad alive, and returns it emptied.
func clearUsed[T any](x []T) []T {
	clear(x)
	return x[:0]
}

// fieldScan is one field of an ad between the passes of Assess: its name,
// its text (capped) normalised, the quoted spans and the literal hits.
type fieldScan struct {
	name, orig string
	text       textnorm.Text
	quotes     [][2]int
	lits       []litHit
	// cues are the negation cues found, and negatable the phrases of
	// indicators with negated_as, until negate judges them (normalised
	// spans).
	cues, negatable []negHit
	// yue is set when the ad is written in Cantonese, and text.Norm is
	// folded to Mandarin words (see foldCantonese).
	yue bool
}

// foldCantonese rewrites the normalised text of an ad written in
// Cantonese in Mandarin words (textnorm.FoldCantonese), so that the
// Chinese phrase lists, patterns and extractors read it; the folded forms
// of phrases written in Cantonese count in it (phraseRef.yue). Offsets
// into the text hold, the fold keeping every character's length. Whether
// the ad is Cantonese is told from its title and text, as its language
// is: an employer's or a place's name is not the ad's writing.
func foldCantonese(fs []fieldScan) {
	var norms [2]string
	n := 0
	for i := range fs {
		if fs[i].name == lurewatch.FieldTitle || fs[i].name == lurewatch.FieldText {
			norms[n] = fs[i].text.Norm
			n++
		}
	}
	if !textnorm.Cantonese(norms[:n]...) {
		return
	}
	for i := range fs {
		fs[i].text.Norm = textnorm.FoldCantonese(fs[i].text.Norm)
		fs[i].yue = true
	}
}

// dfaCache returns the DFA caches of regexp i of n.
func (s *scan) dfaCache(n, i int) *reCaches {
	if len(s.dfas) != n {
		s.dfas = make([]reCaches, n)
	}
	return &s.dfas[i]
}

// evidence is a match, and whether it lies inside quotation marks.
type evidence struct {
	lurewatch.Evidence
	quoted bool
}

// add records a match of indicator ind at normalised span [ns, ne), which
// is [start, end) in the original field text orig.
func (s *scan) add(ind int, field string, orig string, ns, start, end int) {
	if start >= end {
		return
	}
	quoted := false
	for _, q := range s.quotes {
		if ns >= q[0] && ns < q[1] {
			quoted = true
			break
		}
	}
	s.addEvidence(ind, evidence{lurewatch.Evidence{Field: field, Start: start, End: end, Snippet: orig[start:end]}, quoted})
}

// addEvidence records evidence e of indicator ind.
func (s *scan) addEvidence(ind int, e evidence) {
	if len(s.ev[ind]) == 0 {
		s.touched = append(s.touched, ind)
	}
	s.ev[ind] = append(s.ev[ind], e)
}

// applyOverrides drops the evidence of each indicator that an overriding
// one's evidence overlaps in the same field ("you keep your own passport"
// cancels "keep your passport"), and the indicators left with none. It
// runs before the cues that depend on what matched (salary, quoted,
// prose).
func (s *scan) applyOverrides(inds []indicator) {
	dropped := false
	for _, o := range s.touched {
		by := s.ev[o]
		for _, j := range inds[o].overrides {
			if len(s.ev[j]) == 0 {
				continue
			}
			kept := s.ev[j][:0]
			for _, e := range s.ev[j] {
				if !overlapsAny(e.Evidence, by) {
					kept = append(kept, e)
				}
			}
			clear(s.ev[j][len(kept):])
			s.ev[j] = kept
			dropped = dropped || len(kept) == 0
		}
	}
	if dropped {
		s.untouchEmpty()
	}
}

// applyUnless drops the evidence of each indicator one of whose unless_any
// categories the ad matched, judged on the categories matched before any
// is dropped.
func (s *scan) applyUnless(inds []indicator, nCats int) {
	if len(s.unlessSeen) != nCats {
		s.unlessSeen = make([]bool, nCats)
	}
	seen := s.unlessSeen
	clear(seen)
	for _, i := range s.touched {
		seen[inds[i].cat] = true
	}
	dropped := false
	for _, i := range s.touched {
		for _, c := range inds[i].unless {
			if seen[c] {
				s.dropEvidence(i)
				dropped = true
				break
			}
		}
	}
	if dropped {
		s.untouchEmpty()
	}
}

// untouchEmpty removes from s.touched the indicators left with no evidence.
func (s *scan) untouchEmpty() {
	s.touched = slices.DeleteFunc(s.touched, func(i int) bool { return len(s.ev[i]) == 0 })
}

// dropEvidence removes every piece of indicator i's evidence.
func (s *scan) dropEvidence(i int) {
	clear(s.ev[i])
	s.ev[i] = s.ev[i][:0]
}

// applyUnlessLang drops the evidence of each indicator that does not count
// in ads of language lang (its unless_lang).
func (s *scan) applyUnlessLang(inds []indicator, lang string) {
	dropped := false
	for _, i := range s.touched {
		if slices.Contains(inds[i].unlessLang, lang) {
			s.dropEvidence(i)
			dropped = true
		}
	}
	if dropped {
		s.untouchEmpty()
	}
}

// overlapsAny reports whether e overlaps any of by in the same field.
func overlapsAny(e lurewatch.Evidence, by []evidence) bool {
	for _, b := range by {
		if b.Field == e.Field && e.Start < b.End && b.Start < e.End {
			return true
		}
	}
	return false
}

// Assess scores one ad. It reads only the ad's text fields (ad.Fields():
// title, text, employer, location, salary, contact), each up to
// MaxFieldBytes. It fills everything but AssessedAt, which the caller sets.
func (d *Detector) Assess(ad *lurewatch.Ad) lurewatch.Assessment {
	return d.assess(ad, nil)
}

// assess is Assess, reporting what the combination model made of the ad
// in c unless c is nil.
func (d *Detector) assess(ad *lurewatch.Ad, c *Combined) lurewatch.Assessment {
	a := lurewatch.Assessment{
		SchemaVersion:   lurewatch.SchemaVersion,
		AdID:            ad.ID,
		ContentHash:     ad.ContentHash,
		RulesVersion:    d.rules.Version,
		DetectorVersion: Version,
		Categories:      []string{},
		Indicators:      []lurewatch.Indicator{},
	}
	s := d.scans.get() // reset when it was put back
	if len(s.ev) != len(d.inds) {
		s.ev = make([][]evidence, len(d.inds))
	}
	fields := ad.Fields()
	// Each pass runs over every field before the next starts, so that the
	// tables it reads (the normaliser's, the automaton's) are still in
	// the processor's caches for the second field.
	if len(s.fields) < len(fields) {
		s.fields = append(s.fields, make([]fieldScan, len(fields)-len(s.fields))...)
	}
	fs := s.fields[:len(fields)]
	for i, f := range fields {
		fs[i].name, fs[i].orig, fs[i].yue = f.Name, capBytes(f.Value, MaxFieldBytes), false
		s.norm.NormalizeInto(&fs[i].text, fs[i].orig)
		fs[i].quotes = quotedSpans(fs[i].text.Norm, fs[i].quotes)
	}
	// The language before the phrases: Chinese written in Cantonese is
	// read in Mandarin words (foldCantonese), and in Arabic typed in Latin
	// letters ("Arabizi") a digit between letters is a letter ("3amal",
	// "7aga"), not an evasion.
	a.Lang = extract.LanguageOf(ad.Title, ad.Text)
	if restyled(fs) {
		// Read as posted, text in "fancy" letters has few letters the
		// guess knows: guess on the letters they show.
		a.Lang = extract.LanguageOf(plainTexts(fs)...)
	}
	if a.Lang == "zh" {
		foldCantonese(fs)
	}
	for i := range fs {
		d.matchPhrases(s, &fs[i])
	}
	s.arabizi = a.Lang == "ar" && !hasArabicLetters(fs)
	for i := range fs {
		d.scanField(s, &fs[i])
	}
	if d.overriding {
		s.applyOverrides(d.inds)
	}
	d.salaryCues(s, fields)
	d.quotedCues(s)
	d.proseCues(s, fields)
	// After every cue, the salary's, quoted and prose ones too, so that
	// unless_lang holds for all; before unless_any, so that a cue that
	// does not count in this language mutes none.
	if d.langGated {
		s.applyUnlessLang(d.inds, a.Lang)
	}
	if d.conditional {
		s.applyUnless(d.inds, len(d.cats))
	}
	d.score(&a, s, c)
	if a.Level >= lurewatch.LevelLow {
		d.describe(s, fields)
	}
	a.Entities = s.takeEntities()
	s.reset()
	d.scans.put(s)
	return a
}

// addEntity records entity e with evidence ev, unless it is recorded
// already or the ad has maxEntities.
func (s *scan) addEntity(e lurewatch.Entity, ev lurewatch.Evidence) {
	if len(s.entities) >= maxEntities {
		return
	}
	// A look along the list: an ad has few entities (at most
	// maxEntities), and a map would cost more to clear for each ad.
	for _, x := range s.entities {
		if x.Value == e.Value && x.Kind == e.Kind {
			return
		}
	}
	s.entities = append(s.entities, e)
	s.entEv = append(s.entEv, ev)
}

// takeEntities returns the entities found, in a slice of their own whose
// evidence lives in one other (two allocations, whatever their number),
// or nil when there are none.
func (s *scan) takeEntities() []lurewatch.Entity {
	if len(s.entities) == 0 {
		return nil
	}
	out := slices.Clone(s.entities)
	ev := slices.Clone(s.entEv)
	for i := range out {
		out[i].Evidence = &ev[i]
	}
	return out
}

// capBytes returns the longest prefix of s of at most n bytes that ends at
// a character boundary.
func capBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for i := n; i > n-utf8.UTFMax && i >= 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i]
		}
	}
	return s[:n] // not UTF-8 here: cut anywhere
}

// wrapped reports whether the phrase found at t.Norm[ns:ne] may count: it
// holds no line break, or each of its line breaks wraps a sentence in
// mid-line ("free\nflight tickets"). A line that begins with a capital
// letter as posted begins a new sentence or a list's item ("Free food\n
// Flight paid"), so a phrase does not run across into it; in scripts
// without capitals the lines cannot be told apart and the phrase counts.
func wrapped(t *textnorm.Text, ns, ne int) bool {
	for i := ns; ; i++ {
		j := strings.IndexByte(t.Norm[i:ne], lineBreak)
		if j < 0 {
			return true
		}
		i += j
		os, _ := t.Span(i+1, ne)
		r, _ := utf8.DecodeRuneInString(t.Orig[os:])
		if unicode.IsUpper(r) || unicode.IsTitle(r) {
			return false
		}
	}
}

// litAt reports whether literal l of d.res, found by d.ac at norm[ns:ne],
// is there as written: d.ac reads a line break as a space.
func (d *Detector) litAt(l int, norm string, ns, ne int) bool {
	return !d.foldedLits[l] || norm[ns:ne] == d.res.lits[l]
}

// matchPhrases adds the phrases found in field f to s, and keeps in f the
// hits of the regexps' literals, found by the same automaton.
func (d *Detector) matchPhrases(s *scan, f *fieldScan) {
	t := &f.text
	norm, field, text := t.Norm, f.name, f.orig
	s.quotes = f.quotes
	hits := 0
	f.lits, f.cues, f.negatable = f.lits[:0], f.cues[:0], f.negatable[:0]
	d.ac.MatchValid(norm, func(p, ns, ne int) bool { // normalised text is valid UTF-8
		if p >= len(d.phrases) {
			if l := p - len(d.phrases); d.litAt(l, norm, ns, ne) {
				f.lits = append(f.lits, litHit{int32(l), int32(ns), int32(ne)})
			}
			return true
		}
		hits++
		if hits > maxHitsPerField {
			return true
		}
		if d.phrases[p].yue && !f.yue || !d.bounded(p, norm, ns, ne) || d.phrases[p].spaced && !wrapped(t, ns, ne) {
			return true
		}
		ind := d.phrases[p].ind
		switch {
		case ind < 0:
			f.cues = append(f.cues, negHit{ind: ind, ns: ns, ne: ne})
			return true
		case d.negating && d.inds[ind].negatedAs >= 0:
			f.negatable = append(f.negatable, negHit{ind: ind, ns: ns, ne: ne})
			return true
		}
		os, oe := t.Span(ns, ne)
		s.add(ind, field, text, ns, os, oe)
		return true
	})
	if len(f.negatable) > 0 {
		d.negate(s, f)
	}
}

// scanField adds the rest of the matches in field f to s: the regexps',
// the normaliser's signals, the contacts.
func (d *Detector) scanField(s *scan, f *fieldScan) {
	t := &f.text
	norm, field, text := t.Norm, f.name, f.orig
	s.quotes = f.quotes
	ls := splitLines(norm, s.starts)
	s.starts = ls.starts
	d.res.candidates(ls, f.lits, &s.cand)
	win := s.cand.win
	for _, i := range s.cand.used {
		if i >= len(d.regexps) {
			break // the extractors', below
		}
		rr := d.regexps[i]
		s.locs = d.res.find(s.locs, i, ls, win[i], maxEvidence, s.dfaCache(len(d.res.res), i))
		for _, loc := range s.locs {
			ns, ne := loc[0], loc[1]
			if rr.group > 0 && loc[2*rr.group] >= 0 {
				ns, ne = loc[2*rr.group], loc[2*rr.group+1]
			}
			ns, ne = trimSpace(norm, ns, ne)
			os, oe := t.Span(ns, ne)
			s.add(rr.ind, field, text, ns, os, oe)
		}
	}
	for _, sig := range t.Signals {
		if sig.Signal == textnorm.Leetspeak && s.arabizi {
			continue
		}
		for _, ind := range d.bySignal[sig.Signal] {
			s.add(ind, field, text, -1, sig.Start, sig.End)
		}
	}
	ex := len(d.regexps)
	extractEntities(s, field, t, func(k int) [][]int {
		if len(win[ex+k]) == 0 {
			return nil
		}
		return d.res.find(nil, ex+k, ls, win[ex+k], maxEntities, s.dfaCache(len(d.res.res), ex+k))
	})
}

// asciiWord marks the ASCII characters that continue a word: letters,
// digits and underscore (as textnorm.IsWordRune does).
var asciiWord = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = textnorm.IsWordRune(rune(c))
	}
	return t
}()

// trimSpace narrows [ns, ne) of norm to exclude leading and trailing white
// space.
func trimSpace(norm string, ns, ne int) (int, int) {
	for ns < ne && (norm[ns] == ' ' || norm[ns] == '\n') {
		ns++
	}
	for ne > ns && (norm[ne-1] == ' ' || norm[ne-1] == '\n') {
		ne--
	}
	return ns, ne
}

// matched is one indicator that matched, with its evidence.
type matched struct {
	ind int
	ev  []lurewatch.Evidence
}

// score fills a's score, level, categories, indicators and summary from s.
// The slices it hands out are allocated once per assessment (one backing
// array each for evidence, indicators and categories); the rest of its
// working state lives in s and is reused.
func (d *Detector) score(a *lurewatch.Assessment, s *scan, c *Combined) {
	// A matched muting category (a warning post) silences quoted cues.
	mute := false
	total := 0
	for _, ind := range s.touched {
		if d.cats[d.inds[ind].cat].mutes {
			mute = true
		}
		total += len(s.ev[ind])
	}
	var evBuf []lurewatch.Evidence
	if total > 0 {
		evBuf = make([]lurewatch.Evidence, 0, total)
	}
	ms := s.ms[:0]
	for _, ind := range s.touched {
		raises := d.cats[d.inds[ind].cat].raises()
		first := len(evBuf)
		for _, e := range s.ev[ind] {
			if mute && e.quoted && raises {
				continue
			}
			evBuf = append(evBuf, e.Evidence)
		}
		if len(evBuf) > first {
			ev := dedupe(evBuf[first:])
			evBuf = evBuf[:first+len(ev)]
			ms = append(ms, matched{ind, evBuf[first:len(evBuf):len(evBuf)]})
		}
	}
	s.ms = ms
	// Strongest first: raising cues by weight, then lowering ones.
	slices.SortFunc(ms, func(x, y matched) int { return cmp.Compare(d.rank[x.ind], d.rank[y.ind]) })
	// Per category: the strongest indicator counts fully, the others half,
	// up to the category's cap.
	if len(s.catScore) != len(d.cats) {
		s.catScore = make([]float64, len(d.cats))
		s.catSeen = make([]bool, len(d.cats))
	}
	catScore, catSeen := s.catScore, s.catSeen
	clear(catScore)
	clear(catSeen)
	nCats := 0
	for _, m := range ms {
		ind := d.inds[m.ind]
		w := ind.weight
		if catSeen[ind.cat] {
			w /= 2
		} else {
			nCats++
		}
		catSeen[ind.cat] = true
		catScore[ind.cat] = math.Min(d.cats[ind.cat].cap, catScore[ind.cat]+w)
	}
	var raise, lower float64
	var nRaise int
	for i, c := range d.cats {
		if !catSeen[i] {
			continue
		}
		if c.lower {
			lower += catScore[i]
			continue
		}
		if c.context {
			continue // counted only by withhold rules
		}
		raise += catScore[i]
		nRaise++
	}
	if nCats > 0 {
		a.Categories = make([]string, 0, nCats)
		for _, i := range d.catsByID {
			if catSeen[i] {
				a.Categories = append(a.Categories, d.cats[i].id)
			}
		}
	}
	a.Score = int(math.Round(math.Max(0, math.Min(100, raise-lower))))
	level, gated := d.level(a.Score, nRaise, catSeen, catScore)
	raised, p := d.combine(ms, nCats, catSeen, catScore, nRaise, mute, level, c)
	if raised {
		level, gated = lurewatch.LevelMedium, false
	}
	a.Level = level
	if len(ms) > 0 {
		a.Indicators = make([]lurewatch.Indicator, 0, len(ms))
	}
	for _, m := range ms {
		ind := d.inds[m.ind]
		a.Indicators = append(a.Indicators, lurewatch.Indicator{
			ID: ind.id, Category: d.cats[ind.cat].id, Weight: ind.weight, Description: ind.desc, Evidence: m.ev,
		})
	}
	a.Summary = d.summary(s, a, ms, nRaise, gated, raised, p)
}

// level returns the highest level the score and the categories reach, and
// whether the score alone would have reached a higher one.
func (d *Detector) level(score, nRaise int, catSeen []bool, catScore []float64) (lurewatch.Level, bool) {
	byScore := lurewatch.LevelNone
	for _, l := range lurewatch.Levels[1:] {
		if score >= d.rules.Levels.Get(l).MinScore {
			byScore = l
		}
	}
	for l := byScore; l > lurewatch.LevelNone; l-- {
		if d.passes(l, nRaise, catSeen, catScore) {
			return l, l < byScore
		}
	}
	return lurewatch.LevelNone, byScore > lurewatch.LevelNone
}

// passes reports whether an ad meets every condition of level l but its
// score: enough raising categories, one it requires, and no withholding.
func (d *Detector) passes(l lurewatch.Level, nRaise int, catSeen []bool, catScore []float64) bool {
	th := d.rules.Levels.Get(l)
	if nRaise < th.MinCategories {
		return false
	}
	if len(th.RequireAny) > 0 && !slices.ContainsFunc(th.RequireAny, func(id string) bool {
		i := slices.IndexFunc(d.cats, func(c category) bool { return c.id == id })
		return i >= 0 && catSeen[i]
	}) {
		return false
	}
	return !d.withheld(l, catScore)
}

// withheld reports whether level l's withhold rule keeps the ad below
// it: its categories take at least its min_score off the score together,
// and none of its unless categories matched.
func (d *Detector) withheld(l lurewatch.Level, catScore []float64) bool {
	cats := d.withhold[l]
	if len(cats) == 0 {
		return false
	}
	for _, i := range d.withholdUnless[l] {
		if catScore[i] > 0 { // raising categories have positive weights
			return false
		}
	}
	took := 0.0
	for _, i := range cats {
		took += catScore[i] // zero for a category that did not match
	}
	return took >= d.rules.Levels.Get(l).Withhold.MinScore
}

// dedupe sorts evidence by field and position, drops spans that overlap a
// longer one kept, and keeps at most maxEvidence.
func dedupe(ev []lurewatch.Evidence) []lurewatch.Evidence {
	slices.SortFunc(ev, func(x, y lurewatch.Evidence) int {
		if c := cmp.Compare(fieldRank(x.Field), fieldRank(y.Field)); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Start, y.Start); c != 0 {
			return c
		}
		return cmp.Compare(y.End, x.End)
	})
	out := ev[:0]
	for _, e := range ev {
		if k := len(out); k > 0 && out[k-1].Field == e.Field && e.Start < out[k-1].End {
			if e.End-e.Start > out[k-1].End-out[k-1].Start {
				out[k-1] = e
			}
			continue
		}
		out = append(out, e)
	}
	if len(out) > maxEvidence {
		out = out[:maxEvidence]
	}
	return slices.Clip(out)
}

func fieldRank(f string) int {
	switch f {
	case lurewatch.FieldTitle:
		return 0
	case lurewatch.FieldText:
		return 1
	case lurewatch.FieldEmployer:
		return 2
	case lurewatch.FieldLocation:
		return 3
	case lurewatch.FieldSalary:
		return 4
	case lurewatch.FieldContact:
		return 5
	}
	return 6
}

// summary explains the assessment in one line: the level and score, each
// raising category with its strongest evidence, the lowering ones, and why
// the level is below what the score alone would give. It builds the line
// in s's buffer, so the returned string is its one allocation.
func (d *Detector) summary(s *scan, a *lurewatch.Assessment, ms []matched, nRaise int, gated, raised bool, p float64) string {
	b := append(s.sum[:0], a.Level.String()...)
	b = append(b, " (score "...)
	b = strconv.AppendInt(b, int64(a.Score), 10)
	b = append(b, ')')
	if len(ms) == 0 {
		b = append(b, ": no lure cues found"...)
		s.sum = b
		return string(b)
	}
	// item appends category cat with its strongest evidence ev.
	item := func(b []byte, cat int, ev []lurewatch.Evidence) []byte {
		b = appendSpaced(b, d.cats[cat].id)
		if len(ev) > 0 {
			b = append(b, ` "`...)
			b = appendShort(b, ev[0].Snippet, 40)
			b = append(b, '"')
		}
		return b
	}
	// Raising categories first, then lowering ones, each once, in the
	// order of ms (strongest first).
	done := s.catDone(len(d.cats))
	if nRaise > 0 {
		b = append(b, ": "...)
		b = strconv.AppendInt(b, int64(nRaise), 10)
		if nRaise == 1 {
			b = append(b, " lure cue category: "...)
		} else {
			b = append(b, " lure cue categories: "...)
		}
	} else {
		b = append(b, ": no lure cues"...)
	}
	sep := ""
	for _, m := range ms {
		cat := d.inds[m.ind].cat
		if done[cat] || !d.cats[cat].raises() {
			continue
		}
		done[cat] = true
		b = append(b, sep...)
		b = item(b, cat, m.ev)
		sep = "; "
	}
	sep = "; lowered by "
	for _, m := range ms {
		cat := d.inds[m.ind].cat
		if done[cat] || d.cats[cat].context {
			continue
		}
		done[cat] = true
		b = append(b, sep...)
		b = item(b, cat, m.ev)
		sep = "; "
	}
	if gated {
		next := d.rules.Levels.Get(a.Level + 1)
		switch {
		case next == nil:
		case nRaise < next.MinCategories:
			b = append(b, " ("...)
			b = append(b, (a.Level + 1).String()...)
			b = append(b, " needs "...)
			b = strconv.AppendInt(b, int64(next.MinCategories), 10)
			b = append(b, " categories)"...)
		case d.withheld(a.Level+1, s.catScore):
			b = append(b, " ("...)
			b = append(b, (a.Level + 1).String()...)
			b = append(b, " withheld: a post about lures, not one)"...)
		case len(next.RequireAny) > 0:
			b = append(b, " ("...)
			b = append(b, (a.Level + 1).String()...)
			b = append(b, " needs a cue of: "...)
			for i, id := range next.RequireAny {
				if i > 0 {
					b = append(b, ", "...)
				}
				b = appendSpaced(b, id)
			}
			b = append(b, ')')
		}
	}
	if raised {
		b = d.appendCombined(b, p)
	}
	s.sum = b
	return string(b)
}

// catDone returns s's per-category flags, cleared, for n categories.
func (s *scan) catDone(n int) []bool {
	if len(s.done) != n {
		s.done = make([]bool, n)
	}
	clear(s.done)
	return s.done
}

// appendSpaced appends id with its underscores as spaces.
func appendSpaced(b []byte, id string) []byte {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if c == '_' {
			c = ' '
		}
		b = append(b, c)
	}
	return b
}

// asciiSpace marks the ASCII characters unicode.IsSpace reports.
var asciiSpace = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = unicode.IsSpace(rune(c))
	}
	return t
}()

// isFormat is unicode.Is(unicode.Cf, r) for r >= 0x80, answered without
// a table search for the blocks that hold no format character (most
// scripts ads are written in).
func isFormat(r rune) bool {
	switch {
	case r < 0xad, r > 0xad && r < 0x600, r >= 0x900 && r < 0x180e, r > 0x180e && r < 0x200b, r > 0x206f && r < 0xfeff:
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

// isSpaceHigh is unicode.IsSpace(r) for r >= 0x80, answered without a
// table search below U+1680, the first white space above Latin-1.
func isSpaceHigh(r rune) bool {
	if r > 0xff && r < 0x1680 {
		return false
	}
	return unicode.IsSpace(r)
}

// appendShort appends shorten(s, n).
func appendShort(b []byte, s string, n int) []byte {
	start := len(b)
	space := false // a white-space run is pending
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// ASCII: no format character; white space as
			// unicode.IsSpace has it.
			i++
			if asciiSpace[c] {
				space = len(b) > start
				continue
			}
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, c)
			if len(b)-start > n {
				break
			}
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if isFormat(r) || r == utf8.RuneError {
			continue
		}
		if isSpaceHigh(r) {
			space = len(b) > start
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = utf8.AppendRune(b, r)
		if len(b)-start > n {
			break
		}
	}
	if len(b)-start <= n {
		return b
	}
	// Cut to at most n bytes at a character boundary.
	cut := start + n
	for cut > start && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return append(b[:cut], "…"...)
}

// hasArabicLetters reports whether any field holds a letter of the Arabic
// script.
func hasArabicLetters(fs []fieldScan) bool {
	for i := range fs {
		if strings.ContainsFunc(fs[i].orig, func(r rune) bool { return r >= 0x600 && unicode.Is(unicode.Arabic, r) }) {
			return true
		}
	}
	return false
}

// restyled reports whether the fields' text was mostly written in letters
// the normaliser rewrote: so much of it in "fancy text" (mathematical,
// circled, full-width letters of three or four bytes each, letters turned
// upside down) that the normalised text is under three fifths of the text
// as posted. A word or two so written is not: the rest of the text,
// with its accents, says more of the language than its normalised form.
func restyled(fs []fieldScan) bool {
	orig, norm := 0, 0
	for i := range fs {
		orig += len(fs[i].orig)
		norm += len(fs[i].text.Norm)
	}
	return orig >= 40 && norm*5 < orig*3
}

// plainTexts returns the fields' texts as textnorm.Plain reads them, in
// order; at most four (an ad's title and text), as extract.LanguageOf
// reads them together.
func plainTexts(fs []fieldScan) []string {
	out := make([]string, 0, 4)
	for i := range fs {
		if len(out) == cap(out) {
			break
		}
		out = append(out, textnorm.Plain(fs[i].orig))
	}
	return out
}
