package lazydfa

import (
	"regexp/syntax"
	"slices"
	"unicode/utf8"
)

// FirstEnd answers the other half of a search: where the match that
// package regexp finds starting at the beginning of text ends. With
// Leftmost it locates a match without running the regexp, for a caller
// that needs no submatches.
//
// regexp's matches are leftmost-first (Perl's): of the ways the program
// can match from a start, the one its threads prefer in priority order,
// not the longest. A DFA keeps that order when its states are ordered
// lists of instructions instead of sets, as in regexp's own Pike VM (and
// RE2's DFA): a step walks the list in priority order, a thread that
// reaches the match instruction records where the match ends and cuts off
// every thread after it, and the threads before it go on. The run ends
// when no thread is left; the last match recorded is regexp's.

// FirstCache is the lazily built ordered DFA of one Prog for FirstEnd.
// It is not safe for concurrent use; the zero value is ready.
type FirstCache struct {
	prog *Prog
	// index finds a state by its key (category then instructions in
	// order); lists[s] are its instructions, waiting to read a character,
	// in priority order.
	index map[string]int32
	lists [][]uint32
	prev  []uint8
	// trans[s*classes+c] is the next state times two, plus one if a match
	// ends before the character; or fUnknown; or fDead plus that bit.
	trans []int32
	// atEnd[s]: whether a match ends at the end of text in state s (0
	// unknown, 1 no, 2 yes).
	atEnd []uint8
	start [nPrev]int32
	// Scratch space for closures.
	seen  []bool
	order []uint32
	next  []uint32
	key   []byte
}

// Transition entries of a FirstCache besides states (times two, plus the
// match bit).
const (
	fUnknown = -2 // not computed yet
	fDead    = -4 // no thread left after the character (bit 0: a match ended before it)
)

func (c *FirstCache) reset(p *Prog) {
	c.prog = p
	if c.index == nil {
		c.index = map[string]int32{}
	}
	clear(c.index)
	c.lists = c.lists[:0]
	c.prev = c.prev[:0]
	c.trans = c.trans[:0]
	c.atEnd = c.atEnd[:0]
	c.start = [nPrev]int32{-1, -1, -1, -1}
	if len(c.seen) != len(p.prog.Inst) {
		c.seen = make([]bool, len(p.prog.Inst))
	}
}

// state returns the state of the ordered instructions list after a
// character of category cat, adding it if new.
func (c *FirstCache) state(list []uint32, cat uint8) int32 {
	c.key = append(c.key[:0], cat)
	for _, pc := range list {
		c.key = append(c.key, byte(pc), byte(pc>>8), byte(pc>>16), byte(pc>>24))
	}
	if s, ok := c.index[string(c.key)]; ok {
		return s
	}
	s := int32(len(c.lists))
	c.index[string(c.key)] = s
	c.lists = append(c.lists, slices.Clone(list))
	c.prev = append(c.prev, cat)
	c.atEnd = append(c.atEnd, 0)
	for range c.prog.classes {
		c.trans = append(c.trans, fUnknown)
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
	c.closure(c.lists[s], syntax.EmptyOpContext(prevRune(c.prev[s]), r))
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
		c.closure(c.lists[s], syntax.EmptyOpContext(prevRune(c.prev[s]), -1))
		for _, pc := range c.order {
			if c.prog.prog.Inst[pc].Op == syntax.InstMatch {
				c.atEnd[s] = 2
				break
			}
		}
	}
	return c.atEnd[s] == 2
}

// FirstEnd returns where the match of p that starts at the beginning of
// text ends, as package regexp finds it (leftmost-first), or -1 when no
// match starts there. prev is the character before text, or -1 when there
// is none; it matters to \b, \B and ^ at the start. It reads each
// character of text at most once.
func (p *Prog) FirstEnd(c *FirstCache, text string, prev rune) int {
	if c.prog != p {
		c.reset(p)
	}
	cat := uint8(prevStart)
	if prev >= 0 {
		cat = category(prev)
	}
	s := c.start[cat]
	if s < 0 {
		s = c.state([]uint32{uint32(p.prog.Start)}, cat)
		c.start[cat] = s
	}
	classes := int32(p.classes)
	end := -1
	for i := 0; i < len(text); {
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
				list, cat := slices.Clone(c.lists[s]), c.prev[s]
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
		}
		if t < 0 {
			return end // no thread left
		}
		s = t >> 1
	}
	if c.endsHere(s) {
		end = len(text)
	}
	return end
}
