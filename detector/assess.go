package detector

import (
	"cmp"
	"fmt"
	"math"
	"slices"
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
	ev       [][]evidence
	touched  []int
	entities []lurewatch.Entity
	seenEnt  map[string]bool
	// salaries are the pay amounts of each field, once extracted.
	salaries [][]extract.Salary
	// quotes are the quoted spans of the field being scanned, in
	// normalised offsets.
	quotes [][2]int

	norm   textnorm.Normalizer
	text   textnorm.Text
	starts []int
	lits   []litHit
	win    [][]window
	locs   [][]int
}

// reset readies s for the next ad of a detector with nInd indicators.
func (s *scan) reset(nInd int) {
	for _, i := range s.touched {
		s.ev[i] = s.ev[i][:0]
	}
	s.touched = s.touched[:0]
	if len(s.ev) != nInd {
		s.ev = make([][]evidence, nInd)
	}
	s.entities = nil
	s.salaries = nil
	if s.seenEnt == nil {
		s.seenEnt = map[string]bool{}
	}
	clear(s.seenEnt)
	s.quotes = s.quotes[:0]
	// Let go of the last field's text so that the pool does not keep ads
	// alive.
	s.text.Orig, s.text.Norm = "", ""
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

// maxQuote is the longest span treated as a quotation.
const maxQuote = 1500

// quotedSpans returns the spans of text inside quotation marks: straight or
// curly double quotes, corner brackets, guillemets. It serves both the
// normalised text (where curly quotes are already '"') and text as posted.
func quotedSpans(text string, out [][2]int) [][2]int {
	out = out[:0]
	if strings.IndexByte(text, '"') < 0 && strings.IndexByte(text, 0xe3) < 0 && strings.IndexByte(text, 0xc2) < 0 &&
		!strings.Contains(text, "“") && !strings.Contains(text, "”") && !strings.Contains(text, "„") {
		return out // no quotation mark of any kind
	}
	open := -1
	var closer rune
	for i, r := range text {
		if open >= 0 {
			if r == closer {
				if i-open <= maxQuote {
					out = append(out, [2]int{open, i})
				}
				open = -1
			}
			continue
		}
		switch r {
		case '"':
			open, closer = i+1, '"'
		case '“', '„':
			open, closer = i+len("“"), '”'
		case '”': // some languages open with the right mark
			open, closer = i+len("”"), '”'
		case '「':
			open, closer = i+len("「"), '」'
		case '『':
			open, closer = i+len("『"), '』'
		case '«':
			open, closer = i+len("«"), '»'
		}
	}
	return out
}

// Assess scores one ad. It reads only the ad's text fields (ad.Fields():
// title, text, employer, location, salary, contact), each up to
// MaxFieldBytes. It fills everything but AssessedAt, which the caller sets.
func (d *Detector) Assess(ad *lurewatch.Ad) lurewatch.Assessment {
	a := lurewatch.Assessment{
		SchemaVersion:   lurewatch.SchemaVersion,
		AdID:            ad.ID,
		ContentHash:     ad.ContentHash,
		RulesVersion:    d.rules.Version,
		DetectorVersion: Version,
		Categories:      []string{},
		Indicators:      []lurewatch.Indicator{},
	}
	s := d.scans.Get().(*scan)
	s.reset(len(d.inds))
	fields := ad.Fields()
	for _, f := range fields {
		d.scanField(s, f.Name, capBytes(f.Value, MaxFieldBytes))
	}
	d.salaryCues(s, fields)
	d.score(&a, s)
	if a.Level >= lurewatch.LevelLow {
		d.describe(s, fields)
	}
	if len(s.entities) > 0 {
		a.Entities = s.entities
	}
	// Language reads the first 8 KiB: copy no more of a long text than that.
	a.Lang = extract.Language(ad.Title + "\n" + capBytes(ad.Text, 8<<10))
	s.reset(len(d.inds))
	d.scans.Put(s)
	return a
}

// capBytes returns the longest prefix of s of at most n bytes that ends at
// a character boundary.
func capBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for i := n; i > n-utf8.UTFMax && i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i]
		}
	}
	return s[:n]
}

// scanField adds the matches in one field to s.
func (d *Detector) scanField(s *scan, field, text string) {
	t := &s.text
	s.norm.NormalizeInto(t, text)
	norm := t.Norm
	s.quotes = quotedSpans(norm, s.quotes)

	hits := 0
	s.lits = s.lits[:0]
	d.ac.Match(norm, func(p, ns, ne int) bool {
		if p >= len(d.phrases) {
			s.lits = append(s.lits, litHit{int32(p - len(d.phrases)), int32(ns), int32(ne)})
			return true
		}
		hits++
		if hits > maxHitsPerField {
			return true
		}
		if !d.bounded(p, norm, ns, ne) {
			return true
		}
		os, oe := t.Span(ns, ne)
		s.add(d.phrases[p].ind, field, text, ns, os, oe)
		return true
	})
	ls := splitLines(norm, s.starts)
	s.starts = ls.starts
	s.win = d.res.candidates(ls, s.lits, s.win)
	for i, rr := range d.regexps {
		if len(s.win[i]) == 0 {
			continue
		}
		s.locs = d.res.find(s.locs, i, ls, s.win[i], maxEvidence)
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
		for _, ind := range d.bySignal[sig.Signal] {
			s.add(ind, field, text, -1, sig.Start, sig.End)
		}
	}
	ex := len(d.regexps)
	extractEntities(s, field, t, func(k int) [][]int {
		if len(s.win[ex+k]) == 0 {
			return nil
		}
		return d.res.find(nil, ex+k, ls, s.win[ex+k], maxEntities)
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
func (d *Detector) score(a *lurewatch.Assessment, s *scan) {
	// A matched muting category (a warning post) silences quoted cues.
	mute := false
	for _, ind := range s.touched {
		if d.cats[d.inds[ind].cat].mutes {
			mute = true
		}
	}
	var ms []matched
	for _, ind := range s.touched {
		evs := s.ev[ind]
		lower := d.cats[d.inds[ind].cat].lower
		ev := make([]lurewatch.Evidence, 0, len(evs))
		for _, e := range evs {
			if mute && e.quoted && !lower {
				continue
			}
			ev = append(ev, e.Evidence)
		}
		if len(ev) > 0 {
			ms = append(ms, matched{ind, dedupe(ev)})
		}
	}
	// Strongest first: raising cues by weight, then lowering ones.
	slices.SortFunc(ms, func(x, y matched) int {
		ix, iy := d.inds[x.ind], d.inds[y.ind]
		lx, ly := d.cats[ix.cat].lower, d.cats[iy.cat].lower
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
	// Per category: the strongest indicator counts fully, the others half,
	// up to the category's cap.
	catScore := make([]float64, len(d.cats))
	catSeen := make([]bool, len(d.cats))
	for _, m := range ms {
		ind := d.inds[m.ind]
		w := ind.weight
		if catSeen[ind.cat] {
			w /= 2
		}
		catSeen[ind.cat] = true
		catScore[ind.cat] = math.Min(d.cats[ind.cat].cap, catScore[ind.cat]+w)
	}
	var raise, lower float64
	var nRaise int
	gated := false
	for i, c := range d.cats {
		if !catSeen[i] {
			continue
		}
		a.Categories = append(a.Categories, c.id)
		if c.lower {
			lower += catScore[i]
			continue
		}
		raise += catScore[i]
		nRaise++
	}
	slices.Sort(a.Categories)
	a.Score = int(math.Round(math.Max(0, math.Min(100, raise-lower))))
	a.Level, gated = d.level(a.Score, nRaise, catSeen)
	for _, m := range ms {
		ind := d.inds[m.ind]
		a.Indicators = append(a.Indicators, lurewatch.Indicator{
			ID: ind.id, Category: d.cats[ind.cat].id, Weight: ind.weight, Description: ind.desc, Evidence: m.ev,
		})
	}
	a.Summary = d.summary(a, ms, nRaise, gated)
}

// level returns the highest level the score and the categories reach, and
// whether the score alone would have reached a higher one.
func (d *Detector) level(score, nRaise int, catSeen []bool) (lurewatch.Level, bool) {
	byScore := lurewatch.LevelNone
	for _, l := range lurewatch.Levels[1:] {
		if score >= d.rules.Levels.Get(l).MinScore {
			byScore = l
		}
	}
	for l := byScore; l > lurewatch.LevelNone; l-- {
		th := d.rules.Levels.Get(l)
		if nRaise < th.MinCategories {
			continue
		}
		if len(th.RequireAny) > 0 && !slices.ContainsFunc(th.RequireAny, func(id string) bool {
			i := slices.IndexFunc(d.cats, func(c category) bool { return c.id == id })
			return i >= 0 && catSeen[i]
		}) {
			continue
		}
		return l, l < byScore
	}
	return lurewatch.LevelNone, byScore > lurewatch.LevelNone
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
// the level is below what the score alone would give.
func (d *Detector) summary(a *lurewatch.Assessment, ms []matched, nRaise int, gated bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (score %d)", a.Level, a.Score)
	if len(ms) == 0 {
		b.WriteString(": no lure cues found")
		return b.String()
	}
	var raise, lower []string
	done := map[int]bool{}
	for _, m := range ms {
		ind := d.inds[m.ind]
		if done[ind.cat] {
			continue
		}
		done[ind.cat] = true
		item := strings.ReplaceAll(d.cats[ind.cat].id, "_", " ")
		if len(m.ev) > 0 {
			item += ` "` + shorten(m.ev[0].Snippet, 40) + `"`
		}
		if d.cats[ind.cat].lower {
			lower = append(lower, item)
		} else {
			raise = append(raise, item)
		}
	}
	if len(raise) > 0 {
		fmt.Fprintf(&b, ": %d lure cue categories: %s", nRaise, strings.Join(raise, "; "))
	} else {
		b.WriteString(": no lure cues")
	}
	if len(lower) > 0 {
		fmt.Fprintf(&b, "; lowered by %s", strings.Join(lower, "; "))
	}
	if gated {
		next := d.rules.Levels.Get(a.Level + 1)
		switch {
		case next == nil:
		case nRaise < next.MinCategories:
			fmt.Fprintf(&b, " (%s needs %d categories)", a.Level+1, next.MinCategories)
		case len(next.RequireAny) > 0:
			names := make([]string, len(next.RequireAny))
			for i, id := range next.RequireAny {
				names[i] = strings.ReplaceAll(id, "_", " ")
			}
			fmt.Fprintf(&b, " (%s needs a cue of: %s)", a.Level+1, strings.Join(names, ", "))
		}
	}
	return b.String()
}

// shorten cuts s to at most n bytes at a character boundary, on one line,
// without invisible format characters.
func shorten(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return capBytes(s, n) + "…"
}
