package lazydfa

import (
	"regexp/syntax"
	"slices"
	"unicode/utf8"
)

// Leftmost finds where the match that package regexp finds in a text
// starts and ends, for a caller that needs no submatches, or only the
// start, without running the regexp.
//
// regexp's matches are leftmost-first (Perl's): the earliest start, and of
// the ways the program can match from there, the one its threads prefer
// in priority order, not the longest. Leftmost tries each start in turn
// with an anchored run. A DFA keeps the priority order when its states
// are ordered lists of instructions instead of sets, as in regexp's own
// Pike VM (and RE2's DFA): a step walks the list in priority order, a
// thread that reaches the match instruction records where the match ends
// and cuts off every thread after it, and the threads before it go on.
// The first start whose run records a match is regexp's; the run ends
// when no thread is left, and the last match recorded is regexp's.

// FirstCache is the lazily built ordered DFA of one Prog for Leftmost.
// It is not safe for concurrent use; the zero value is ready.
type FirstCache struct {
	prog *Prog
	// states holds the states: insts[s] are the instructions of state s
	// in priority order.
	states
	// trans[s*classes+c] is the next state times two, plus one if a match
	// ends before the character; or fUnknown; or fDead plus that bit.
	trans []int32
	// start[cat] is the state that starts a match after a character of
	// category cat; -1 until built.
	start [nPrev]int32
	// Scratch space for closures.
	order []uint32
	next  []uint32
}

// Transition entries of a FirstCache besides states (times two, plus the
// match bit).
const (
	fUnknown = -2 // not computed yet
	fDead    = -4 // no thread left after the character (bit 0: a match ended before it)
)

func (c *FirstCache) reset(p *Prog) {
	c.prog = p
	c.states.reset(len(p.prog.Inst))
	c.trans = c.trans[:0]
	c.start = [nPrev]int32{-1, -1, -1, -1}
}

// state returns the state of the ordered instructions list after a
// character of category cat, adding it if new.
func (c *FirstCache) state(list []uint32, cat uint8) int32 {
	s, isNew := c.intern(list, cat)
	if isNew {
		for range c.prog.classes {
			c.trans = append(c.trans, fUnknown)
		}
	}
	return s
}

// closure sets c.order to the rune and match instructions reachable from
// list without reading a character, in the priority order in which
// regexp's Pike VM adds them (an Alt's Out before its Arg), each once.
func (c *FirstCache) closure(list []uint32, flags syntax.EmptyOp) {
	clear(c.seen)
	c.order = c.order[:0]
	for _, pc := range list {
		c.add(pc, flags)
	}
}

func (c *FirstCache) add(pc uint32, flags syntax.EmptyOp) {
	prog := c.prog.prog
	for pc != 0 && !c.seen[pc] { // instruction 0 is always a Fail
		c.seen[pc] = true
		in := &prog.Inst[pc]
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			c.add(in.Out, flags)
			pc = in.Arg
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg)&^flags != 0 {
				return
			}
			pc = in.Out
		case syntax.InstNop, syntax.InstCapture:
			pc = in.Out
		case syntax.InstMatch, syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			c.order = append(c.order, pc)
			return
		default: // InstFail
			return
		}
	}
}

// step computes the transition of state s on class k: the next state (or
// -1 when no thread is left) and whether a match ends before the
// character.
func (c *FirstCache) step(s int32, k int) (int32, bool) {
	p := c.prog
	r := p.reps[k]
	c.closure(c.insts[s], syntax.EmptyOpContext(prevRune(c.prev[s]), r))
	c.next = c.next[:0]
	matched := false
	for _, pc := range c.order {
		in := &p.prog.Inst[pc]
		if in.Op == syntax.InstMatch {
			matched = true // threads after this one are cut off
			break
		}
		if in.MatchRune(r) && !slices.Contains(c.next, in.Out) {
			c.next = append(c.next, in.Out)
		}
	}
	if len(c.next) == 0 {
		return -1, matched
	}
	return c.state(c.next, p.cat[k]), matched
}

// endsHere reports whether a match ends at the end of text in state s.
func (c *FirstCache) endsHere(s int32) bool {
	if c.atEnd[s] == 0 {
		c.atEnd[s] = 1
		c.closure(c.insts[s], syntax.EmptyOpContext(prevRune(c.prev[s]), -1))
		for _, pc := range c.order {
			if c.prog.prog.Inst[pc].Op == syntax.InstMatch {
				c.atEnd[s] = 2
				break
			}
		}
	}
	return c.atEnd[s] == 2
}

// Leftmost returns where the first match of p in text starts and ends, as
// package regexp's leftmost-first search finds it: start is -1 when there
// is none. With needEnd false it stops at the start and end is not set.
// prev is the character before text, or -1 when there is none; it matters
// to \b, \B and ^ at the start.
//
// An anchored run from each start costs little when runs die young (a
// pattern that starts with a literal), but could take time quadratic in
// the length of text (a pattern that starts with a repeated class): so it
// reads at most leftmostBudget characters per byte of text, and gives up
// (ok false) past that.
func (p *Prog) Leftmost(c *FirstCache, text string, prev rune, needEnd bool) (start, end int, ok bool) {
	if c.prog != p {
		c.reset(p)
	}
	cat := uint8(prevStart)
	if prev >= 0 {
		cat = category(prev)
	}
	budget := leftmostBudget*len(text) + leftmostBudget
	for i := 0; i <= len(text); {
		s := c.start[cat]
		if s < 0 {
			s = c.state([]uint32{uint32(p.prog.Start)}, cat)
			c.start[cat] = s
		}
		var k, w int
		if i < len(text) {
			if b := text[i]; b < utf8.RuneSelf {
				k, w = int(p.ascii[b]), 1
			} else {
				var r rune
				r, w = utf8.DecodeRuneInString(text[i:])
				k = p.classOf(r)
			}
			if budget > 0 && c.trans[int(s)*p.classes+k] == fDead {
				// Most starts die at their first character, with no
				// match: tell those from the table without a run.
				budget--
				cat = p.cat[k]
				i += w
				continue
			}
		}
		end, read := p.firstRun(c, s, text[i:], budget, needEnd)
		switch {
		case end >= 0:
			return i, i + end, true
		case read > budget:
			return -1, -1, false
		}
		budget -= read
		if i == len(text) {
			break
		}
		cat = p.cat[k]
		i += w
	}
	return -1, -1, true
}

// firstRun walks text from the ordered state s, reading at most limit
// characters, and returns where the match it records ends (-1 for none)
// and how many characters it read, more than limit when it gave up. With
// needEnd false it returns at the first match recorded.
func (p *Prog) firstRun(c *FirstCache, s int32, text string, limit int, needEnd bool) (end, read int) {
	classes := int32(p.classes)
	end = -1
	for i := 0; i < len(text); {
		if read++; read > limit {
			return -1, read
		}
		at := i
		var k int
		if b := text[i]; b < utf8.RuneSelf {
			k = int(p.ascii[b])
			i++
		} else {
			r, w := utf8.DecodeRuneInString(text[i:])
			k = p.classOf(r)
			i += w
		}
		t := c.trans[s*classes+int32(k)]
		if t == fUnknown {
			if len(c.trans)+p.classes > maxTransitions {
				// Flush, keeping the current state as the only one.
				list, cat := slices.Clone(c.insts[s]), c.prev[s]
				c.reset(p)
				s = c.state(list, cat)
			}
			next, matched := c.step(s, k)
			t = fDead
			if next >= 0 {
				t = next * 2
			}
			if matched {
				t |= 1
			}
			c.trans[s*classes+int32(k)] = t
		}
		if t&1 != 0 {
			end = at
			if !needEnd {
				return end, read
			}
		}
		if t < 0 {
			return end, read // no thread left
		}
		s = t >> 1
	}
	if c.endsHere(s) {
		end = len(text)
	}
	return end, read
}
