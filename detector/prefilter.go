package detector

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/lurewatch/lurewatch/detector/internal/ahocorasick"
)

// prefilter is a cheap necessary condition for a regexp to match: at least
// one of its literals occurs in the text. nil means no such condition.
// Go's regexp engine costs far more per byte than strings.Contains, and
// most patterns need a literal that most ads lack (an "@", a currency, an
// age word).
type prefilter []string

// maxLiterals bounds the size of a prefilter; a pattern that needs more is
// always run.
const maxLiterals = 64

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

// regexSet runs many regexps over a text, each only on the lines that hold
// one of its prefilter literals. The literals of all the regexps are found
// in one Aho–Corasick pass. A regexSet is immutable once built.
type regexSet struct {
	res    []*regexp.Regexp
	always []bool // no prefilter: run on every line
	ac     *ahocorasick.Matcher
	// users[i] lists the regexps whose prefilter holds literal i.
	users [][]int
}

func newRegexSet(res []*regexp.Regexp) *regexSet {
	rs := &regexSet{res: res, always: make([]bool, len(res))}
	index := map[string]int{}
	var lits []string
	for i, re := range res {
		pre := newPrefilter(re)
		if pre == nil {
			rs.always[i] = true
			continue
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
	rs.ac = ahocorasick.New(lits)
	return rs
}

// lines is the line structure of a normalised text.
type lines struct {
	text   string
	starts []int // start offset of each line
}

func splitLines(text string) lines {
	l := lines{text: text, starts: []int{0}}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' {
			l.starts = append(l.starts, i+1)
		}
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

// candidates returns, for each regexp, the lines to run it on: the lines
// holding one of its prefilter literals, or every line when it has none.
func (rs *regexSet) candidates(l lines) [][]int {
	out := make([][]int, len(rs.res))
	rs.ac.Match(l.text, func(lit, s, _ int) bool {
		li := sort.SearchInts(l.starts, s+1) - 1
		for _, r := range rs.users[lit] {
			if n := len(out[r]); n == 0 || out[r][n-1] != li {
				out[r] = append(out[r], li)
			}
		}
		return true
	})
	for i := range out {
		if rs.always[i] {
			out[i] = out[i][:0]
			for li := range l.starts {
				out[i] = append(out[i], li)
			}
			continue
		}
		slices.Sort(out[i])
		out[i] = slices.Compact(out[i])
	}
	return out
}

// find returns the matches (with submatch offsets into l.text) of regexp i
// on the given lines, at most max. Patterns match line by line: none spans
// a line break.
func (rs *regexSet) find(i int, l lines, on []int, max int) [][]int {
	var out [][]int
	for _, li := range on {
		if len(out) >= max {
			break
		}
		start, end := l.line(li)
		for _, m := range rs.res[i].FindAllStringSubmatchIndex(l.text[start:end], max-len(out)) {
			for k := range m {
				if m[k] >= 0 {
					m[k] += start
				}
			}
			out = append(out, m)
		}
	}
	return out
}

// required returns literals of which every match of re contains at least
// one, or nil when it cannot tell.
func required(re *syntax.Regexp) []string {
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
				if len(out) >= maxLiterals || r > utf8.MaxRune {
					return nil
				}
				out = append(out, string(r))
			}
		}
		return out
	case syntax.OpCapture:
		return required(re.Sub[0])
	case syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
		return nil
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			s := required(sub)
			if s == nil || len(out)+len(s) > maxLiterals {
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
			if best == nil || score(s) > score(best) {
				best = s
			}
		}
		var run []string
		for _, sub := range re.Sub {
			if e, ok := exact(sub); ok {
				if run == nil {
					run = e
				} else if c, ok := cross(run, e); ok {
					run = c
				} else {
					consider(run)
					run = e
				}
				continue
			}
			consider(run)
			run = nil
			consider(required(sub))
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
func score(s []string) int {
	m := 1 << 20
	for _, l := range s {
		m = min(m, len(l))
	}
	return m*maxLiterals - len(s)
}

// exact returns the finite set of strings re matches, when it is small.
func exact(re *syntax.Regexp) ([]string, bool) {
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
		out := required(re)
		return out, out != nil
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpQuest:
		e, ok := exact(re.Sub[0])
		if !ok || len(e) >= maxLiterals {
			return nil, false
		}
		return append(e, ""), true
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			e, ok := exact(sub)
			if !ok || len(out)+len(e) > maxLiterals {
				return nil, false
			}
			out = append(out, e...)
		}
		return out, true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			e, ok := exact(sub)
			if !ok {
				return nil, false
			}
			if out, ok = cross(out, e); !ok {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false
}

// cross returns every a+b, or false when there would be too many.
func cross(as, bs []string) ([]string, bool) {
	if len(as)*len(bs) > maxLiterals {
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
