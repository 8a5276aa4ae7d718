// Package lazydfa tells, fast, whether a regular expression matches
// anywhere in a short text: a prefilter in front of Go's regexp package,
// whose backtracking engine costs far more per call than walking a DFA.
//
// A Prog is compiled from a regexp's syntax; it is immutable. Its DFA is
// built lazily, state by state as texts need them, in a Cache that belongs
// to one goroutine. A DFA state is the set of the program's instructions
// waiting to read the next character plus what the previous character
// was (start of text, newline, word character, other), which is all the
// empty-width assertions (^ $ \A \z \b \B) need: whether they hold at a
// position depends only on the characters either side of it. Characters
// are grouped into classes that every instruction treats alike, so the
// transitions of a state form one row of a table.
//
// Match answers exactly what regexp.MatchString answers, in one pass over
// the text. Leftmost says where the match regexp finds starts and ends: it
// tries each start position with an anchored run of a second DFA, whose
// states are ordered as regexp's threads are (see first.go), within a
// budget that keeps it linear. The tests check both by fuzzing against
// package regexp.
//
// Work is bounded: every step is one table load once its state is built;
// building a state costs time linear in the program; a Cache past
// maxTransitions entries is flushed.
package lazydfa

import (
	"errors"
	"regexp/syntax"
	"slices"
	"unicode/utf8"
)

// ErrUnsupported is returned for programs this package does not handle:
// case-folded instructions (its character classes would need the fold
// orbits).
var ErrUnsupported = errors.New("lazydfa: unsupported regexp")

// Previous-character categories, part of every state.
const (
	prevStart = iota // no previous character: start of text
	prevNewline
	prevWord // an ASCII word character (as \b defines it)
	prevOther
	nPrev
)

// Prog is a compiled regexp: its instructions and character classes.
type Prog struct {
	prog *syntax.Prog
	// bounds are the sorted first runes of the character classes above
	// ASCII; the class of rune r >= 0x80 is firstHigh + the index of the
	// last bound <= r.
	bounds []rune
	// ascii maps each ASCII character to its class; reps holds one rune
	// of each class, cat the category a character of the class leaves
	// behind.
	ascii   [utf8.RuneSelf]uint16
	reps    []rune
	cat     []uint8
	classes int
	// firstHigh is the class of bounds[0].
	firstHigh int
}

// Compile builds a Prog for the regexp re (RE2 syntax, as package regexp
// parses it with syntax.Perl).
func Compile(re string) (*Prog, error) {
	tree, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return nil, err
	}
	prog, err := syntax.Compile(tree.Simplify())
	if err != nil {
		return nil, err
	}
	p := &Prog{prog: prog}
	// Class boundaries: every range edge of every rune instruction, and
	// the edges of the categories (newline, word characters).
	cuts := []rune{0, '\n', '\n' + 1, '0', '9' + 1, 'A', 'Z' + 1, '_', '_' + 1, 'a', 'z' + 1, utf8.RuneSelf}
	for _, in := range prog.Inst {
		switch in.Op {
		case syntax.InstRune, syntax.InstRune1:
			if syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
				return nil, ErrUnsupported
			}
			rs := in.Rune
			if in.Op == syntax.InstRune1 || len(rs) == 1 {
				rs = []rune{in.Rune[0], in.Rune[0]}
			}
			for i := 0; i+1 < len(rs); i += 2 {
				cuts = append(cuts, rs[i], rs[i+1]+1)
			}
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	// One class per span between cuts: every instruction treats the
	// characters of a span alike.
	for i, c := range cuts {
		if c > utf8.MaxRune {
			break
		}
		p.reps = append(p.reps, c)
		if c >= utf8.RuneSelf {
			p.bounds = append(p.bounds, c)
			continue
		}
		end := rune(utf8.RuneSelf)
		if i+1 < len(cuts) {
			end = min(cuts[i+1], utf8.RuneSelf)
		}
		for r := c; r < end; r++ {
			p.ascii[r] = uint16(i)
		}
	}
	p.classes = len(p.reps)
	p.firstHigh = p.classes - len(p.bounds)
	p.cat = make([]uint8, p.classes)
	for k, r := range p.reps {
		p.cat[k] = category(r)
	}
	return p, nil
}

// category returns the previous-character category r leaves behind.
func category(r rune) uint8 {
	switch {
	case r == '\n':
		return prevNewline
	case syntax.IsWordChar(r):
		return prevWord
	}
	return prevOther
}

// classOf returns the class of rune r.
func (p *Prog) classOf(r rune) int {
	if r < utf8.RuneSelf {
		return int(p.ascii[r])
	}
	i, found := slices.BinarySearch(p.bounds, r)
	if !found {
		i--
	}
	return p.firstHigh + i
}

// matched is what Cache.step returns, instead of a state, when a match
// ends before the character read.
const matched = -2

// maxTransitions bounds the transition table of a Cache: past it the
// cache is flushed. A Prog with few classes keeps more states. It keeps
// every row offset below the sentinels of the table's entries.
const maxTransitions = 0xfff0

// A transition table entry is the row offset (state times classes) of the
// next state, or one of these. Two bytes an entry keep the rows of the
// states a window walks in few cache lines.
const (
	tUnknown uint16 = 0xffff
	tMatched uint16 = 0xfffe
	tMin            = tMatched // the least sentinel
)

// Cache is the lazily built DFA of one Prog. It is not safe for
// concurrent use; the zero value is ready for Match.
type Cache struct {
	prog *Prog
	// states holds the states: insts[s] is the set of instructions of
	// state s, sorted.
	states
	// start is the state at the start of text; -1 until built.
	start int32
	// trans[s*classes+c] are the transitions (see tUnknown).
	trans []uint16
	// Scratch space for closures.
	stack []uint32
	set   []uint32
}

// states are the states of a lazily built DFA, numbered in the order
// they were added: each is a list of instructions waiting to read the
// next character (a sorted set, or a list in priority order) and the
// category of the character before.
type states struct {
	// index finds a state by its key (category then instructions).
	index map[string]int32
	insts [][]uint32
	prev  []uint8
	// atEnd[s]: whether a match ends at the end of text in state s (0
	// unknown, 1 no, 2 yes).
	atEnd []uint8
	// seen is scratch space for closures, one flag per instruction.
	seen []bool
	key  []byte
}

// reset drops every state, for a program of n instructions.
func (t *states) reset(n int) {
	if t.index == nil {
		t.index = map[string]int32{}
	}
	clear(t.index)
	t.insts = t.insts[:0]
	t.prev = t.prev[:0]
	t.atEnd = t.atEnd[:0]
	if len(t.seen) != n {
		t.seen = make([]bool, n)
	}
}

// intern returns the number of the state of instructions insts after a
// character of category cat, and whether it is new.
func (t *states) intern(insts []uint32, cat uint8) (int32, bool) {
	t.key = append(t.key[:0], cat)
	for _, pc := range insts {
		t.key = append(t.key, byte(pc), byte(pc>>8), byte(pc>>16), byte(pc>>24))
	}
	if s, ok := t.index[string(t.key)]; ok {
		return s, false
	}
	s := int32(len(t.insts))
	t.index[string(t.key)] = s
	t.insts = append(t.insts, slices.Clone(insts))
	t.prev = append(t.prev, cat)
	t.atEnd = append(t.atEnd, 0)
	return s, true
}

// reset readies c for p, dropping every state.
func (c *Cache) reset(p *Prog) {
	c.prog = p
	c.states.reset(len(p.prog.Inst))
	c.start = -1
	c.trans = c.trans[:0]
}

// state returns the state of instructions set (sorted) after a character
// of category cat, adding it if new. Every state starts a new match at
// the next character (the search is unanchored).
func (c *Cache) state(set []uint32, cat uint8) int32 {
	s, isNew := c.intern(set, cat)
	if isNew {
		for range c.prog.classes {
			c.trans = append(c.trans, tUnknown)
		}
	}
	return s
}

// prevRune returns a rune of category cat, or -1 for the start of text,
// as syntax.EmptyOpContext takes it.
func prevRune(cat uint8) rune {
	switch cat {
	case prevStart:
		return -1
	case prevNewline:
		return '\n'
	case prevWord:
		return 'a'
	}
	return ' '
}

// closure collects into c.set the rune and match instructions reachable
// from set and from the program's start (a match may start anywhere)
// without reading a character, where the empty-width assertions hold as
// flags says, and reports whether a match instruction is among them.
func (c *Cache) closure(set []uint32, flags syntax.EmptyOp) bool {
	prog := c.prog.prog
	clear(c.seen)
	c.set = c.set[:0]
	c.stack = append(c.stack[:0], set...)
	c.stack = append(c.stack, uint32(prog.Start))
	match := false
	for len(c.stack) > 0 {
		pc := c.stack[len(c.stack)-1]
		c.stack = c.stack[:len(c.stack)-1]
		if c.seen[pc] {
			continue
		}
		c.seen[pc] = true
		in := &prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			c.stack = append(c.stack, in.Out, in.Arg)
		case syntax.InstNop, syntax.InstCapture:
			c.stack = append(c.stack, in.Out)
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg)&^flags == 0 {
				c.stack = append(c.stack, in.Out)
			}
		case syntax.InstMatch:
			match = true
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			c.set = append(c.set, pc)
		}
	}
	return match
}

// step computes the transition of state s on class k.
func (c *Cache) step(s int32, k int) int32 {
	p := c.prog
	r := p.reps[k]
	flags := syntax.EmptyOpContext(prevRune(c.prev[s]), r)
	if c.closure(c.insts[s], flags) {
		return matched
	}
	var next []uint32
	for _, pc := range c.set {
		in := &p.prog.Inst[pc]
		if in.MatchRune(r) {
			next = append(next, in.Out)
		}
	}
	slices.Sort(next)
	next = slices.Compact(next)
	return c.state(next, p.cat[k])
}

// endsHere reports whether a match ends at the end of text in state s.
func (c *Cache) endsHere(s int32) bool {
	if c.atEnd[s] == 0 {
		c.atEnd[s] = 1
		if c.closure(c.insts[s], syntax.EmptyOpContext(prevRune(c.prev[s]), -1)) {
			c.atEnd[s] = 2
		}
	}
	return c.atEnd[s] == 2
}

// Match reports whether p matches somewhere in text, using and extending
// the DFA in c.
func (p *Prog) Match(c *Cache, text string) bool {
	if c.prog != p {
		c.reset(p)
	}
	if c.start < 0 {
		c.start = c.state(nil, prevStart)
	}
	return p.run(c, c.start, text)
}

// run walks text from state s and reports whether a match ends in it.
func (p *Prog) run(c *Cache, s int32, text string) bool {
	classes := p.classes
	off := int(s) * classes // the row of the current state
	trans := c.trans
	for i := 0; i < len(text); {
		var k int
		if b := text[i]; b < utf8.RuneSelf {
			k = int(p.ascii[b])
			i++
		} else {
			r, w := utf8.DecodeRuneInString(text[i:])
			k = p.classOf(r)
			i += w
		}
		next := trans[off+k]
		if next >= tMin {
			if next == tUnknown {
				s := int32(off / classes)
				if len(c.trans)+classes > maxTransitions {
					// Flush, keeping the current state as the only one.
					set, cat := slices.Clone(c.insts[s]), c.prev[s]
					c.reset(p)
					s = c.state(set, cat)
					off = int(s) * classes
				}
				if ns := c.step(s, k); ns == matched {
					next = tMatched
				} else {
					next = uint16(int(ns) * classes)
				}
				trans = c.trans // step may have grown it
				trans[off+k] = next
			}
			if next == tMatched {
				return true
			}
		}
		off = int(next)
	}
	return c.endsHere(int32(off / classes))
}

// leftmostBudget is how many characters Leftmost reads per byte of text
// at most.
const leftmostBudget = 8
