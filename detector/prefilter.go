package detector

import (
	"cmp"
	"math"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lurewatch/lurewatch/detector/internal/lazydfa"
)

// prefilter is a cheap necessary condition for a regexp to match: at least
// one of its literals occurs in the text. nil means no such condition.
// Go's regexp engine costs far more per byte than strings.Contains, and
// most patterns need a literal that most ads lack (an "@", a currency, an
// age word).
type prefilter []string

// maxLiterals bounds the size of a prefilter; a pattern that needs more is
// always run. maxAlsoLiterals bounds the further literal sets checked in a
// window before a pattern runs there.
const (
	maxLiterals     = 64
	maxAlsoLiterals = 256
)

// newPrefilter derives a prefilter from re.
func newPrefilter(re *regexp.Regexp) prefilter {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	lits := required(tree.Simplify())
	for _, l := range lits {
		if l == "" {
			return nil
		}
	}
	return lits
}

// pass reports whether text may match.
func (p prefilter) pass(text string) bool {
	if p == nil {
		return true
	}
	for _, l := range p {
		if strings.Contains(text, l) {
			return true
		}
	}
	return false
}

// regexSet runs many regexps over a text, each only near the occurrences
// of its prefilter literals. The literals of all the regexps are found in
// one Aho–Corasick pass. A regexSet is immutable once built.
//
// Patterns match line by line: none spans a line break. A pattern whose
// matches are at most width bytes long runs only on windows around its
// literals, not on whole lines; see windows for why that finds exactly
// the matches a run over the whole line would.
type regexSet struct {
	res    []*regexp.Regexp
	always []bool // no prefilter: run on every line
	// alwaysRun lists the i with always[i].
	alwaysRun []int
	// width[i] bounds the length in bytes of a match of regexp i, or is -1
	// when unbounded (then it runs on whole lines).
	width []int
	// prefix[i] (suffix[i]) is set when every match of regexp i begins
	// (ends) with one of the strings of a set whose every member begins
	// with one of its literals; suffixLen[i] is the longest of those
	// strings. They narrow the windows.
	prefix, suffix []bool
	suffixLen      []int
	// also[i] lists further literal sets of regexp i: a match holds a
	// literal of each set, so a window lacking one is skipped.
	also [][]alsoSet
	// edge[i][k] is regexp i with its text-edge assertions disabled: k&1
	// disables ^ and \A (the window does not start the line), k&2
	// disables $ and \z (it does not end it).
	edge [][4]*regexp.Regexp
	// dfa[i][k] answers whether edge[i][k] matches a window before the
	// regexp runs there, much faster; nil when it cannot (see lazydfa).
	dfa [][4]*lazydfa.Prog
	// slot[i][k] is the index of the DFA cache that edge variant k of
	// regexp i uses: the first variant that is the same regexp.
	slot [][4]int
	// empty[i] is set when regexp i can match the empty string.
	empty []bool
	// spanOnly[i] is set when the caller needs only the span of each
	// match of regexp i, not its submatches: then the DFAs find the span
	// and the regexp does not run (see findEach). Off unless set.
	spanOnly []bool
	// lits are the prefilter literals of all the regexps; users[i] lists
	// the regexps whose prefilter holds lits[i]. The detector finds them
	// in the same automaton as its phrases.
	lits  []string
	users [][]int
}

func newRegexSet(res []*regexp.Regexp) *regexSet {
	rs := &regexSet{res: res, always: make([]bool, len(res)), width: make([]int, len(res)), edge: make([][4]*regexp.Regexp, len(res)),
		dfa: make([][4]*lazydfa.Prog, len(res)), empty: make([]bool, len(res)), spanOnly: make([]bool, len(res)), slot: make([][4]int, len(res)),
		prefix: make([]bool, len(res)), suffix: make([]bool, len(res)), suffixLen: make([]int, len(res)), also: make([][]alsoSet, len(res))}
	index := map[string]int{}
	var lits []string
	for i, re := range res {
		rs.width[i], rs.edge[i] = windowed(re)
		rs.empty[i] = true
		if tree, err := syntax.Parse(re.String(), syntax.Perl); err == nil {
			rs.empty[i] = minWidth(tree.Simplify()) == 0
		}
		for k, e := range rs.edge[i] {
			// Variants that are the same regexp (it has no edge
			// assertion) share one DFA and so one cache (see slot).
			rs.slot[i][k] = k
			if j := slices.Index(rs.edge[i][:k], e); j >= 0 {
				rs.dfa[i][k], rs.slot[i][k] = rs.dfa[i][j], j
			} else if p, err := lazydfa.Compile(e.String()); err == nil {
				rs.dfa[i][k] = p
			}
		}
		pre := newPrefilter(re)
		if pre == nil {
			rs.always[i] = true
			rs.alwaysRun = append(rs.alwaysRun, i)
			continue
		}
		if tree, err := syntax.Parse(re.String(), syntax.Perl); err == nil {
			rs.prefix[i], rs.suffix[i], rs.suffixLen[i] = anchoredBy(tree, pre)
			rs.also[i] = alsoRequired(tree, pre)
		}
		for _, l := range pre {
			j, ok := index[l]
			if !ok {
				j = len(lits)
				index[l] = j
				lits = append(lits, l)
				rs.users = append(rs.users, nil)
			}
			rs.users[j] = append(rs.users[j], i)
		}
	}
	rs.lits = lits
	return rs
}

// windowed returns the longest match of re in bytes (-1 when unbounded)
// and re's variants with text-edge assertions disabled.
func windowed(re *regexp.Regexp) (int, [4]*regexp.Regexp) {
	v := [4]*regexp.Regexp{re, re, re, re}
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return -1, v
	}
	w := maxWidth(tree)
	for k := 1; k < 4; k++ {
		t, _ := syntax.Parse(re.String(), syntax.Perl)
		if disableEdges(t, k&1 != 0, k&2 != 0) {
			if c, err := regexp.Compile(t.String()); err == nil {
				v[k] = c
			} else {
				return -1, [4]*regexp.Regexp{re, re, re, re}
			}
		}
	}
	return w, v
}

// anchoredBy reports whether every match of re begins (ends) with a
// string of a finite set whose every member begins with a literal of pre,
// and the length of the longest member of the end set.
func anchoredBy(re *syntax.Regexp, pre prefilter) (prefix, suffix bool, suffixLen int) {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	zeroWidth := func(r *syntax.Regexp) bool {
		switch r.Op {
		case syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpBeginText, syntax.OpBeginLine,
			syntax.OpEndText, syntax.OpEndLine, syntax.OpEmptyMatch:
			return true
		}
		return false
	}
	covered := func(r *syntax.Regexp) (bool, int) {
		e, ok := exact(r)
		if !ok {
			return false, 0
		}
		longest := 0
		for _, s := range e {
			if !slices.ContainsFunc(pre, func(p string) bool { return strings.HasPrefix(s, p) }) {
				return false, 0
			}
			longest = max(longest, len(s))
		}
		return true, longest
	}
	first, last := 0, len(subs)-1
	for first < len(subs) && zeroWidth(subs[first]) {
		first++
	}
	for last >= 0 && zeroWidth(subs[last]) {
		last--
	}
	if first > last {
		return false, false, 0
	}
	prefix, _ = covered(subs[first])
	suffix, suffixLen = covered(subs[last])
	return prefix, suffix, suffixLen
}

// alsoSet is a set of literals one of which a match holds: a set of bytes
// when every literal is one byte long, else a few strings and the set of
// their first bytes.
type alsoSet struct {
	bytes *[256]bool
	lits  []string
}

// holds reports whether text holds a member of the set. It reads text
// once, looking for the strings only where one of their first bytes is,
// rather than searching for each string in turn.
func (a alsoSet) holds(text string) bool {
	for i := 0; i < len(text); i++ {
		if !a.bytes[text[i]] {
			continue
		}
		if a.lits == nil {
			return true
		}
		for _, l := range a.lits {
			if l[0] == text[i] && strings.HasPrefix(text[i:], l) {
				return true
			}
		}
	}
	return false
}

// maxAlsoStrings bounds the number of strings of an alsoSet: checking many
// costs more than running the pattern.
const maxAlsoStrings = 12

// alsoRequired returns literal sets, other than pre, of which every match
// of re holds a member: those of the parts of a concatenation.
func alsoRequired(re *syntax.Regexp, pre prefilter) []alsoSet {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpConcat {
		return nil
	}
	var out []alsoSet
	for _, sub := range re.Sub {
		r := requiredN(sub, maxAlsoLiterals)
		if r == nil || slices.Contains(r, "") || slices.Equal(minimal(r), []string(pre)) {
			continue
		}
		r = minimal(r)
		switch {
		case !slices.ContainsFunc(r, func(l string) bool { return len(l) > 1 }):
			out = append(out, alsoSet{bytes: firstBytes(r)})
		case len(r) <= maxAlsoStrings:
			out = append(out, alsoSet{bytes: firstBytes(r), lits: r})
		default:
			// Too many strings to look for each: a match holds the
			// first byte of one of them, which is worth checking when
			// few bytes qualify ("15".."99" need a digit).
			if set := firstBytes(r); countTrue(set) <= maxAlsoFirstBytes {
				out = append(out, alsoSet{bytes: set})
			}
		}
	}
	// A window that lacks one set is skipped when that set is checked,
	// and each set checked before costs a read of the window: check the
	// sets most windows lack first. Strings are rarer than single bytes,
	// longer ones rarer than shorter; a byte set of fewer bytes is rarer
	// than one of more.
	slices.SortStableFunc(out, func(a, b alsoSet) int { return cmp.Compare(a.commonness(), b.commonness()) })
	return out
}

// commonness ranks how likely a window is to hold a member of the set,
// for ordering the checks: below zero for string sets, the longer their
// shortest string the lower; the number of bytes for a byte set.
func (a alsoSet) commonness() int {
	if a.lits == nil {
		return countTrue(a.bytes)
	}
	shortest := math.MaxInt
	for _, l := range a.lits {
		shortest = min(shortest, len(l))
	}
	return -100*shortest + len(a.lits)
}

// maxAlsoFirstBytes bounds the first-byte set that stands for a literal
// set with too many strings: a larger one rejects too few windows to pay.
const maxAlsoFirstBytes = 32

// firstBytes returns the set of the first bytes of lits.
func firstBytes(lits []string) *[256]bool {
	var set [256]bool
	for _, l := range lits {
		set[l[0]] = true
	}
	return &set
}

func countTrue(set *[256]bool) int {
	n := 0
	for _, b := range set {
		if b {
			n++
		}
	}
	return n
}

// disableEdges replaces the begin (end) of text and line assertions in re
// by an empty character class that never matches, and reports whether it
// replaced any.
func disableEdges(re *syntax.Regexp, begin, end bool) bool {
	changed := false
	switch {
	case begin && (re.Op == syntax.OpBeginText || re.Op == syntax.OpBeginLine),
		end && (re.Op == syntax.OpEndText || re.Op == syntax.OpEndLine):
		*re = syntax.Regexp{Op: syntax.OpNoMatch}
		return true
	}
	for _, sub := range re.Sub {
		changed = disableEdges(sub, begin, end) || changed
	}
	return changed
}

// maxWidth returns the most bytes re can match, or -1 when unbounded.
func maxWidth(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return utf8.UTFMax * len(re.Rune)
		}
		n := 0
		for _, r := range re.Rune {
			n += runeWidth(r)
		}
		return n
	case syntax.OpCharClass:
		w := 0
		for i := 1; i < len(re.Rune); i += 2 {
			w = max(w, runeWidth(re.Rune[i]))
		}
		return w
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpEmptyMatch, syntax.OpNoMatch, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpBeginText, syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpCapture, syntax.OpQuest:
		return maxWidth(re.Sub[0])
	case syntax.OpRepeat:
		w := maxWidth(re.Sub[0])
		if re.Max < 0 || w < 0 {
			return -1
		}
		return re.Max * w
	case syntax.OpConcat, syntax.OpAlternate:
		n := 0
		for _, sub := range re.Sub {
			w := maxWidth(sub)
			if w < 0 {
				return -1
			}
			if re.Op == syntax.OpConcat {
				n += w
			} else {
				n = max(n, w)
			}
		}
		return n
	}
	return -1
}

// minWidth returns the fewest bytes re can match (for a case-folded literal,
// the bytes of the literal as written): 0 exactly when re can match the
// empty string.
func minWidth(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpLiteral:
		n := 0
		for _, r := range re.Rune {
			n += runeWidth(r)
		}
		return n
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return 1
	case syntax.OpCapture, syntax.OpPlus:
		return minWidth(re.Sub[0])
	case syntax.OpRepeat:
		return re.Min * minWidth(re.Sub[0])
	case syntax.OpConcat:
		n := 0
		for _, sub := range re.Sub {
			n += minWidth(sub)
		}
		return n
	case syntax.OpAlternate:
		n := -1
		for _, sub := range re.Sub {
			if w := minWidth(sub); n < 0 || w < n {
				n = w
			}
		}
		return max(n, 0)
	}
	return 0 // empty-width ops, star, quest, no match
}

// runeWidth is the UTF-8 length of r, counting runes that cannot be
// encoded as the widest.
func runeWidth(r rune) int {
	if w := utf8.RuneLen(r); w > 0 {
		return w
	}
	return utf8.UTFMax
}

// lines is the line structure of a normalised text.
type lines struct {
	text   string
	starts []int // start offset of each line
}

func splitLines(text string, starts []int) lines {
	l := lines{text: text, starts: append(starts[:0], 0)}
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		l.starts = append(l.starts, i)
	}
	return l
}

// line returns the span of line i, without its line break.
func (l lines) line(i int) (start, end int) {
	start = l.starts[i]
	end = len(l.text)
	if i+1 < len(l.starts) {
		end = l.starts[i+1] - 1
	}
	return start, end
}

// window is a span of one line that a regexp runs on.
type window struct{ start, end int32 }

// litHit is an occurrence of literal lit at [start, end).
type litHit struct{ lit, start, end int32 }

// candidateSet is the windows of one text for each regexp of a regexSet,
// with its buffers, reused from text to text.
type candidateSet struct {
	// win[i] are the windows to run regexp i on.
	win [][]window
	// used lists the regexps with windows, in increasing order; the
	// others' win is empty.
	used []int
}

// candidates fills c with the windows to run each regexp on, given every
// occurrence of the literals in l.text in order of end position. A regexp
// without a prefilter runs on every line, one with an unbounded match
// length on each line holding one of its literals, any other on windows
// around its literals (see merge). Only the regexps that had windows are
// visited, so a text with few literals costs little whatever the number
// of regexps.
func (rs *regexSet) candidates(l lines, hits []litHit, c *candidateSet) {
	if len(c.win) != len(rs.res) {
		c.win = make([][]window, len(rs.res))
		c.used = c.used[:0]
	}
	win := c.win
	for _, i := range c.used {
		win[i] = win[i][:0]
	}
	used := c.used[:0]
	li := 0
	for _, h := range hits {
		lit, s, e := int(h.lit), int(h.start), int(h.end)
		if li >= len(l.starts) || l.starts[li] > s {
			li = 0
		}
		for li+1 < len(l.starts) && l.starts[li+1] <= s {
			li++
		}
		ls, le := l.line(li)
		if e > le {
			continue // spans a line break: no match can hold it
		}
		for _, r := range rs.users[lit] {
			a, b := ls, le
			if w := rs.width[r]; w >= 0 {
				a, b = max(ls, e-w), min(le, s+w)
			}
			if rs.prefix[r] {
				a = s
			}
			if rs.suffix[r] {
				b = min(b, s+rs.suffixLen[r])
			}
			n := len(win[r])
			if n == 0 {
				used = append(used, r)
			} else if int(win[r][n-1].start) == a && int(win[r][n-1].end) == b {
				continue
			}
			win[r] = append(win[r], window{int32(a), int32(b)})
		}
	}
	for _, i := range rs.alwaysRun {
		used = append(used, i)
		for li := range l.starts {
			s, e := l.line(li)
			win[i] = append(win[i], window{int32(s), int32(e)})
		}
	}
	slices.Sort(used)
	for _, i := range used {
		if !rs.always[i] {
			win[i] = l.merge(win[i])
		}
	}
	c.used = used
}

// merge sorts ws, widens each window so that its edges fall on character
// boundaries with no ASCII word character just outside them, and joins
// the windows that overlap or touch.
//
// Why running a regexp on these windows finds exactly what running it on
// whole lines finds: every match of the regexp holds one of its literals
// and is at most width bytes long, so it lies inside the window around
// that literal; windows that overlap are joined, so no match crosses a
// window edge, and leftmost-first matching proceeds window by window as it
// would along the line. What the regexp can see of the context differs
// only at the edges: \b and \B look one character outside, and that
// character is not a word character either way after widening; ^ and $
// are disabled (the edge variants) at edges that are not line edges.
func (l lines) merge(ws []window) []window {
	byStart := func(a, b window) int { return int(a.start - b.start) }
	if !slices.IsSortedFunc(ws, byStart) { // they mostly come sorted
		slices.SortFunc(ws, byStart)
	}
	text := l.text
	out := ws[:0]
	// The line of the first window, found by binary search.
	li, found := slices.BinarySearch(l.starts, int(ws[0].start))
	if !found {
		li--
	}
	for _, w := range ws {
		for li+1 < len(l.starts) && l.starts[li+1] <= int(w.start) {
			li++
		}
		ls, le := l.line(li)
		a, b := int(w.start), int(w.end)
		for a > ls && (!utf8.RuneStart(text[a]) || isASCIIWord(text[a-1])) {
			a--
		}
		for b < le && (!utf8.RuneStart(text[b]) || isASCIIWord(text[b])) {
			b++
		}
		if n := len(out); n > 0 && int(out[n-1].end)+mergeGap >= a && int(out[n-1].start) >= ls {
			out[n-1].end = int32(max(int(out[n-1].end), b))
			continue
		}
		out = append(out, window{int32(a), int32(b)})
	}
	return out
}

// holdsAlso reports whether text holds a literal of each of the further
// literal sets of regexp i.
func (rs *regexSet) holdsAlso(i int, text string) bool {
	for _, set := range rs.also[i] {
		if !set.holds(text) {
			return false
		}
	}
	return true
}

// mergeGap is the widest gap between two windows of a line that are run
// as one: one regexp call on a few more bytes costs less than two calls.
const mergeGap = 24

// isASCIIWord reports whether c is a word character for \b: an ASCII
// letter, digit or underscore.
func isASCIIWord(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// reCaches are a scan's lazily built DFAs of one regexp's edge variants,
// indexed by regexSet.slot.
type reCaches struct {
	dfa   [4]lazydfa.Cache
	first [4]lazydfa.FirstCache
	// spans backs the matches of a spanOnly regexp that find returns,
	// reused by its next call.
	spans []int
}

// find appends to out the matches (with submatch offsets into l.text) of
// regexp i in the given windows, at most max, and returns out. For a
// regexp marked spanOnly a match holds only its span, and is valid until
// the next call with cs. cs are the DFA caches of regexp i's edge
// variants.
func (rs *regexSet) find(out [][]int, i int, l lines, on []window, max int, cs *reCaches) [][]int {
	out = out[:0]
	cs.spans = cs.spans[:0]
	for _, w := range on {
		if len(out) >= max {
			break
		}
		start, end := int(w.start), int(w.end)
		if !rs.holdsAlso(i, l.text[start:end]) {
			continue
		}
		k := 0
		if start > 0 && l.text[start-1] != '\n' {
			k |= 1
		}
		if end < len(l.text) && l.text[end] != '\n' {
			k |= 2
		}
		if p := rs.dfa[i][k]; p != nil {
			// Most windows hold no match: the DFA tells, and the regexp
			// does not run. A pattern whose matches begin with one of its
			// literals goes straight to Leftmost (findEach), whose runs
			// die at once at every other start, so it tells as cheaply.
			direct := rs.prefix[i] && !rs.empty[i]
			if !direct && !p.Match(&cs.dfa[rs.slot[i][k]], l.text[start:end]) {
				continue
			}
			if !rs.empty[i] {
				out = rs.findEach(out, i, l, start, end, k, max, cs)
				continue
			}
		}
		out = rs.findAll(out, i, l, start, end, k, max)
	}
	return out
}

// findAll appends the matches of regexp i (edge variant k) in window
// [start, end) of l.text, at most max in all.
func (rs *regexSet) findAll(out [][]int, i int, l lines, start, end, k, max int) [][]int {
	for _, m := range rs.edge[i][k].FindAllStringSubmatchIndex(l.text[start:end], max-len(out)) {
		for j := range m {
			if m[j] >= 0 {
				m[j] += start
			}
		}
		out = append(out, m)
	}
	return out
}

// findEach is findAll for a regexp that never matches the empty string,
// with the regexp run only from near each match: the DFA finds where the
// next match starts, and the regexp starts there (at a point whose context
// it sees as a window edge sees it: see merge) instead of trying every
// position before. The matches are those findAll finds: each search starts
// where the last match ended, as regexp's FindAll does.
//
// For a spanOnly regexp not even that: Leftmost's ordered DFA also finds
// where the match that the regexp would find ends.
func (rs *regexSet) findEach(out [][]int, i int, l lines, start, end, k, max int, cs *reCaches) [][]int {
	text := l.text
	for pos := start; len(out) < max && pos < end; {
		kk, prev := k, rune(-1)
		if pos > start {
			// Inside the window: never a line start.
			kk = k | 1
			prev, _ = utf8.DecodeLastRuneInString(text[:pos])
		}
		at, e, ok := rs.dfa[i][kk].Leftmost(&cs.first[rs.slot[i][kk]], text[pos:end], prev, rs.spanOnly[i])
		if ok && at < 0 {
			break
		}
		a := pos + at
		for ok && a > pos && (!utf8.RuneStart(text[a]) || isASCIIWord(text[a-1])) {
			a--
		}
		if !ok || a > start && isASCIIWord(text[a-1]) {
			// The DFA gave up, or there is no clean edge since the last
			// match: search the way findAll does and keep the matches
			// from pos on.
			for _, m := range rs.findAll(nil, i, l, start, end, k, max) {
				if m[0] >= pos && len(out) < max {
					out = append(out, m)
				}
			}
			return out
		}
		ka := k
		if a > start {
			ka = k | 1
		}
		var m []int
		if rs.spanOnly[i] {
			// The match the regexp would find, seeing text[a:end] as a
			// whole text: Leftmost's, as the contexts agree from a on
			// (see merge).
			n := len(cs.spans)
			cs.spans = append(cs.spans, pos+at-a, pos+e-a)
			m = cs.spans[n : n+2 : n+2]
		} else {
			m = rs.edge[i][ka].FindStringSubmatchIndex(text[a:end])
		}
		if m == nil {
			break // cannot happen: the DFA found a match
		}
		for j := range m {
			if m[j] >= 0 {
				m[j] += a
			}
		}
		out = append(out, m)
		pos = m[1]
	}
	return out
}

// required returns literals of which every match of re contains at least
// one, or nil when it cannot tell.
func required(re *syntax.Regexp) []string { return requiredN(re, maxLiterals) }

// requiredN is required with at most limit literals in a set.
func requiredN(re *syntax.Regexp, limit int) []string {
	switch re.Op {
	case syntax.OpLiteral:
		s := string(re.Rune)
		if re.Flags&syntax.FoldCase != 0 {
			s = strings.ToLower(s)
		}
		return []string{s}
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				if len(out) >= limit || r > utf8.MaxRune {
					return nil
				}
				out = append(out, string(r))
			}
		}
		return out
	case syntax.OpCapture:
		return requiredN(re.Sub[0], limit)
	case syntax.OpPlus:
		return requiredN(re.Sub[0], limit)
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return requiredN(re.Sub[0], limit)
		}
		return nil
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			s := requiredN(sub, limit)
			if s == nil || len(out)+len(s) > limit {
				return nil
			}
			out = append(out, s...)
		}
		return out
	case syntax.OpConcat:
		// Runs of children that match a small finite set of strings are
		// joined into the set of their concatenations; of the candidates,
		// the one whose shortest literal is longest wins.
		var best []string
		consider := func(s []string) {
			if s == nil || slices.Contains(s, "") {
				return
			}
			s = minimal(s)
			if best == nil || score(s, limit) > score(best, limit) {
				best = s
			}
		}
		var run []string
		for _, sub := range re.Sub {
			if e, ok := exactN(sub, limit); ok {
				if run == nil {
					run = e
				} else if c, ok := cross(run, e, limit); ok {
					run = c
				} else {
					consider(run)
					run = e
				}
				continue
			}
			consider(run)
			run = nil
			consider(requiredN(sub, limit))
		}
		consider(run)
		return best
	}
	return nil
}

// minimal drops the literals that contain another literal of s: a text
// that holds the longer one holds the shorter one too.
func minimal(s []string) []string {
	var out []string
	for i, a := range s {
		redundant := false
		for j, b := range s {
			if i != j && strings.Contains(a, b) && (len(b) < len(a) || j < i) {
				redundant = true
				break
			}
		}
		if !redundant {
			out = append(out, a)
		}
	}
	return out
}

// score ranks a literal set: longer shortest literal first, then fewer.
func score(s []string, limit int) int {
	m := 1 << 20
	for _, l := range s {
		m = min(m, len(l))
	}
	return m*limit - len(s)
}

// exact returns the finite set of strings re matches, when it is small.
func exact(re *syntax.Regexp) ([]string, bool) { return exactN(re, maxLiterals) }

// exactN is exact with at most limit strings in a set.
func exactN(re *syntax.Regexp, limit int) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		s := string(re.Rune)
		if re.Flags&syntax.FoldCase != 0 {
			s = strings.ToLower(s)
		}
		return []string{s}, true
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpCharClass:
		out := requiredN(re, limit)
		return out, out != nil
	case syntax.OpCapture:
		return exactN(re.Sub[0], limit)
	case syntax.OpQuest:
		e, ok := exactN(re.Sub[0], limit)
		if !ok || len(e) >= limit {
			return nil, false
		}
		return append(e, ""), true
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			e, ok := exactN(sub, limit)
			if !ok || len(out)+len(e) > limit {
				return nil, false
			}
			out = append(out, e...)
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			e, ok := exactN(sub, limit)
			if !ok {
				return nil, false
			}
			if out, ok = cross(out, e, limit); !ok {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// cross returns every a+b, or false when there would be too many.
func cross(as, bs []string, limit int) ([]string, bool) {
	if len(as)*len(bs) > limit {
		return nil, false
	}
	out := make([]string, 0, len(as)*len(bs))
	for _, a := range as {
		for _, b := range bs {
			out = append(out, a+b)
		}
	}
	return out, true
}
