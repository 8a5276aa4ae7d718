// Package ahocorasick finds every occurrence of many byte patterns in a text
// in one pass (Aho–Corasick automaton). Building is linear in the total
// pattern length times the number of distinct pattern bytes; matching is
// linear in the text length plus the number of matches.
//
// The automaton is a deterministic one: no failure links are followed at
// match time. Bytes are first mapped to classes (bytes that occur in no
// pattern share one). The states where matching spends most of its time,
// the shallower ones, have dense rows of complete transitions; a row's
// entry is the next state's row offset, so a step is one table load, and
// states that need attention (they end a pattern, or have no dense row)
// are numbered above all others, so the hot loop is one load and one
// compare per byte. Deeper states, numerous but rarely reached, keep only
// the transitions in which they differ from the dense row of the nearest
// state on their failure chain that has one: a short list, then one dense
// load. Their records are laid out depth first, so that following a
// pattern reads consecutive memory.
//
// With thousands of patterns the tables outgrow the fastest caches and a
// step waits for its load, so a longer text is walked as four segments at
// once, whose loads overlap, and the segments' results are joined (see
// matchSplit).
package ahocorasick

import (
	"cmp"
	"math"
	"slices"
)

// maxDenseCells bounds the size of the dense table, in cells (4 bytes
// each, so 4 MiB). States get dense rows breadth-first, shallowest first,
// while the table stays within this bound. Doubling it makes matching the
// shipped rules a few per cent faster.
const maxDenseCells = 1 << 20

// Matcher is a compiled set of patterns. It is immutable and safe for
// concurrent use.
type Matcher struct {
	// classes maps a byte to its class.
	classes [256]uint8
	// dense holds the rows of the dense states, each of stride cells: one
	// per class, holding a state code (see code), then the index in outOff
	// of the state's patterns (0 for a state that ends none), then the
	// state's depth.
	dense  []int32
	stride int32
	// quiet is the first code of a state that needs more than a dense step:
	// codes below it are dense states that end no pattern. Codes from quiet
	// to sparseBase are dense states that end patterns, codes from
	// sparseBase up are sparse states.
	quiet, sparseBase int32
	// sparse holds the records of the sparse states, depth first so that a
	// state's first child follows it. A record is:
	//
	//	depth<<hdrDepthShift | n<<1 | 1 if the state ends patterns
	//	the code of the nearest dense state on its failure chain
	//	its output index, if it ends patterns
	//	n pairs of class and code, by class: the transitions on which it
	//	differs from that dense state
	sparse []int32
	// The patterns that end at a state, longest first (the state's own
	// patterns, then those along its failure links), are
	// outs[outOff[j]:outOff[j+1]] for its output index j; index 0 is the
	// empty list.
	outOff []int32
	outs   []int32
	// lens[i] is the length of pattern i.
	lens []int
	// minSplit is the length from which Match walks a text in four
	// segments at once (see matchSplit); a field so that tests can lower
	// it.
	minSplit int
}

// Layout of a sparse record's first word.
const (
	hdrEdgeWords  = 0x3fe // the number of words of transitions (2n)
	hdrDepthShift = 10
	// maxHdrDepth stands for any depth from itself up.
	maxHdrDepth = 1<<(31-hdrDepthShift) - 1
)

// minSplit is the default for Matcher.minSplit: below it, walking four
// segments at once gains less than it costs to set up.
const minSplit = 128

// code is a state's identity in the tables: for a dense state the offset
// of its row in Matcher.dense, for a sparse state Matcher.sparseBase plus
// the offset of its record in Matcher.sparse, plus endsFlag if it ends
// patterns. Codes are int32 to keep the tables compact.
type code = int32

// endsFlag marks the code of a sparse state that ends patterns, so that
// telling whether a state ends patterns needs no memory access.
const endsFlag code = 1 << 30

// edge is a trie edge, or a transition of a sparse node: on a class, to a
// trie node.
type edge struct {
	to    int32
	class uint8
}

// New compiles patterns. Empty patterns never match.
func New(patterns []string) *Matcher { return build(patterns, maxDenseCells) }

// build compiles patterns with a dense table of at most maxCells cells (but
// at least the root's row).
func build(patterns []string, maxCells int) *Matcher {
	m := &Matcher{lens: make([]int, len(patterns)), minSplit: minSplit}
	// Classes: one per byte that occurs in a pattern, in byte order (which
	// keeps letters, digits and space, the cells most texts read, together
	// in each dense row); class 0 for all other bytes, if any.
	var used [256]bool
	nUsed := 0
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			if !used[p[i]] {
				used[p[i]] = true
				nUsed++
			}
		}
	}
	nClasses := 1
	if nUsed == 256 {
		nClasses = 0
	}
	for b := range 256 {
		if used[b] {
			m.classes[b] = uint8(nClasses)
			nClasses++
		}
	}

	// Trie, with sparse edges per node in insertion order.
	var trie [][]edge // trie[v] are the edges of node v, to node numbers
	var own [][]int32 // patterns ending exactly at each node
	trie, own = append(trie, nil), append(own, nil)
	child := func(v int32, c uint8) int32 {
		for _, e := range trie[v] {
			if e.class == c {
				return e.to
			}
		}
		return -1
	}
	for i, p := range patterns {
		m.lens[i] = len(p)
		if p == "" {
			continue
		}
		cur := int32(0)
		for j := 0; j < len(p); j++ {
			c := m.classes[p[j]]
			next := child(cur, c)
			if next < 0 {
				next = int32(len(trie))
				trie, own = append(trie, nil), append(own, nil)
				trie[cur] = append(trie[cur], edge{next, c})
			}
			cur = next
		}
		own[cur] = append(own[cur], int32(i))
	}
	nodes := len(trie)
	m.outOff = []int32{0, 0}
	if nodes == 1 {
		return m
	}

	// Breadth-first order and failure links. A node's failure link is its
	// longest proper suffix that is in the trie; it is shallower, so it
	// comes first in this order.
	order := make([]int32, 1, nodes)
	fail := make([]int32, nodes)
	depth := make([]int, nodes)
	for qi := 0; qi < len(order); qi++ {
		v := order[qi]
		for _, e := range trie[v] {
			order = append(order, e.to)
			depth[e.to] = depth[v] + 1
			if v == 0 {
				continue
			}
			f := fail[v]
			for child(f, e.class) < 0 && f != 0 {
				f = fail[f]
			}
			if t := child(f, e.class); t >= 0 {
				fail[e.to] = t
			}
		}
	}

	// Output lists: a node's own patterns, then its failure link's list.
	out := make([][]int32, nodes)
	for _, v := range order[1:] {
		if f := out[fail[v]]; len(own[v])+len(f) > 0 {
			out[v] = append(slices.Clip(own[v]), f...)
		}
	}

	// The first nodes in breadth-first order get dense rows, as many as
	// fit in maxCells (at least the root). Every node of the dense
	// set's failure chain is then dense too, since links point to
	// shallower nodes and the set holds every node shallower than its
	// deepest; and the descendants of a sparse node are sparse.
	stride := nClasses + 2
	nDense := min(nodes, max(1, maxCells/stride))
	isDense := make([]bool, nodes)
	for _, v := range order[:nDense] {
		isDense[v] = true
	}

	// Transitions of the sparse nodes, breadth-first: a node's own edges,
	// then, if its failure link is sparse too, the link's transitions on
	// other classes; fallback is the nearest dense node on its chain,
	// which gives all other transitions.
	patch := make([][]edge, nodes)
	fallback := make([]int32, nodes)
	var pool []edge
	for _, v := range order[nDense:] {
		f := fail[v]
		first := len(pool)
		pool = append(pool, trie[v]...)
		if isDense[f] {
			fallback[v] = f
		} else {
			fallback[v] = fallback[f]
			for _, e := range patch[f] {
				if child(v, e.class) < 0 {
					pool = append(pool, e)
				}
			}
		}
		p := pool[first:len(pool):len(pool)]
		slices.SortFunc(p, func(a, b edge) int { return cmp.Compare(a.class, b.class) })
		patch[v] = p
	}

	// Codes: dense nodes that end no pattern (the root first), then dense
	// nodes that end patterns, each in breadth-first order; then sparse
	// nodes, depth first from each dense node's sparse children, so that
	// the records along a pattern's path are contiguous.
	codes := make([]code, nodes)
	var next code
	for pass := range 2 {
		for _, v := range order[:nDense] {
			if (len(out[v]) > 0) == (pass == 1) {
				codes[v] = next
				next += code(stride)
			}
		}
		if pass == 0 {
			m.quiet = next
		}
	}
	m.sparseBase = next
	m.stride = code(stride)
	var sparseOrder, stack []int32
	for _, v := range order[:nDense] {
		for _, e := range slices.Backward(trie[v]) {
			if !isDense[e.to] {
				stack = append(stack, e.to)
			}
		}
		for len(stack) > 0 {
			u := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			sparseOrder = append(sparseOrder, u)
			codes[u] = next
			next += 2 + code(2*len(patch[u]))
			if len(out[u]) > 0 {
				codes[u] |= endsFlag
				next++
			}
			if next >= endsFlag {
				panic("ahocorasick: too many patterns")
			}
			for _, e := range slices.Backward(trie[u]) {
				stack = append(stack, e.to)
			}
		}
	}

	outIndex := func(v int32) int32 {
		if len(out[v]) == 0 {
			return 0
		}
		m.outs = append(m.outs, out[v]...)
		m.outOff = append(m.outOff, int32(len(m.outs)))
		return int32(len(m.outOff) - 2)
	}

	// Dense rows, breadth-first: a node's row is its failure link's row
	// (the root's is all root) with its own edges replacing entries.
	m.dense = make([]int32, nDense*stride)
	for _, v := range order[:nDense] {
		row := m.dense[codes[v]:][:stride]
		if v != 0 {
			copy(row, m.dense[codes[fail[v]]:][:nClasses])
		}
		for _, e := range trie[v] {
			row[e.class] = codes[e.to]
		}
		row[nClasses] = outIndex(v)
		row[nClasses+1] = int32(min(depth[v], math.MaxInt32))
	}

	// Sparse records.
	m.sparse = make([]int32, 0, next-m.sparseBase)
	for _, v := range sparseOrder {
		hdr := int32(min(depth[v], maxHdrDepth)<<hdrDepthShift | 2*len(patch[v]))
		if len(out[v]) > 0 {
			hdr |= 1
		}
		m.sparse = append(m.sparse, hdr, codes[fallback[v]])
		if len(out[v]) > 0 {
			m.sparse = append(m.sparse, outIndex(v))
		}
		for _, e := range patch[v] {
			m.sparse = append(m.sparse, int32(e.class), codes[e.to])
		}
	}
	return m
}

// Len returns the number of patterns.
func (m *Matcher) Len() int { return len(m.lens) }

// Match calls fn for every occurrence of every pattern in text, in order of
// end position (and, at one end position, longest pattern first), with the
// pattern's index and the occurrence's byte span. Overlapping occurrences
// are all reported. Match stops early when fn returns false.
func (m *Matcher) Match(text string, fn func(pattern, start, end int) bool) {
	if len(m.dense) == 0 {
		return
	}
	if len(text) >= m.minSplit && len(text) <= math.MaxInt32 {
		m.matchSplit(text, fn)
		return
	}
	m.walk(text, 0, len(text), 0, fn)
}

// walk runs the automaton over text[i:end] from state s, the state after
// text[:i] (whose occurrences are reported already), reporting every
// occurrence that ends after i. It returns the state it ends in, and false
// if fn stopped it.
func (m *Matcher) walk(text string, i, end int, s code, fn func(pattern, start, end int) bool) (code, bool) {
	classes, dense, quiet := &m.classes, m.dense, m.quiet
	for text = text[:end]; i < len(text); {
		if s < quiet {
			// The hot loop, with no calls so that s stays in a register.
			for {
				s = dense[s+code(classes[text[i]])]
				i++
				if s >= quiet || i == len(text) {
					break
				}
			}
		} else {
			s = m.next(s, code(classes[text[i]]))
			i++
		}
		if j := m.outIndex(s); j != 0 && !m.report(j, i, fn) {
			return s, false
		}
	}
	return s, true
}

// next returns the state after s reads a byte of class c.
func (m *Matcher) next(s, c code) code {
	if s < m.sparseBase {
		return m.dense[s+c]
	}
	return m.sparseNext(s, c)
}

// sparseNext is next for a sparse state.
func (m *Matcher) sparseNext(s, c code) code {
	k := s&^endsFlag - m.sparseBase
	hdr := m.sparse[k]
	edges := m.sparse[k+2+hdr&1:]
	for edges = edges[:hdr&hdrEdgeWords]; len(edges) >= 2 && edges[0] <= c; edges = edges[2:] {
		if edges[0] == c {
			return edges[1]
		}
	}
	return m.dense[m.sparse[k+1]+c]
}

// outIndex returns the output index of state s (0 if it ends no pattern).
func (m *Matcher) outIndex(s code) int32 {
	switch {
	case s < m.quiet:
		return 0
	case s < m.sparseBase:
		return m.dense[s+m.stride-2]
	case s&endsFlag == 0:
		return 0
	}
	return m.sparse[s&^endsFlag-m.sparseBase+2]
}

// depth returns the depth of state s: the length of the longest suffix of
// the text read that is a prefix of a pattern, or math.MaxInt if that is
// maxHdrDepth or more.
func (m *Matcher) depth(s code) int {
	if s < m.sparseBase {
		return int(m.dense[s+m.stride-1])
	}
	if d := int(m.sparse[s&^endsFlag-m.sparseBase] >> hdrDepthShift); d < maxHdrDepth {
		return d
	}
	return math.MaxInt
}

// lane holds the output of one of the walks of matchSplit but the first,
// until the walks before it are reported.
type lane struct {
	// held[:n] are the output indexes of the states the walk went through
	// and the positions, from the lane's start, after which it did.
	held [16]struct{ out, end int32 }
	n    int
}

// hold records state s at position j of lane l if it ends patterns, and
// returns false when l is full.
func (m *Matcher) hold(l *lane, s code, j int) bool {
	if out := m.outIndex(s); out != 0 {
		l.held[l.n] = struct{ out, end int32 }{out, int32(j)}
		l.n++
	}
	return l.n < len(l.held)
}

// matchSplit is Match for longer texts. Matching is bound by the latency
// of one table load per byte, so it walks four segments of text at once,
// so that their loads overlap: the first from the root state, reporting as
// it goes, the others from the root state too, holding their output back
// (and all stopping early when one holds too much). Then, segment after
// segment, the walk that ends at a segment's start, in the right state,
// goes on until its state is no deeper than the distance it went into the
// segment: from there on, the longest suffix of the text read that is a
// pattern prefix starts in the segment, so the segment's own walk was in
// the right states, and its held output from there on is reported, and
// the walk goes on from where the segment's walk stopped.
func (m *Matcher) matchSplit(text string, fn func(pattern, start, end int) bool) {
	classes, dense, quiet, sparseBase := &m.classes, m.dense, m.quiet, m.sparseBase
	seg := len(text) / 4
	t0, t1, t2, t3 := text[:seg], text[seg:2*seg], text[2*seg:3*seg], text[3*seg:4*seg]
	var s0, s1, s2, s3 code
	var lanes [3]lane
	j := 0
lockstep:
	for j < seg {
		if s0 < quiet && s1 < quiet && s2 < quiet && s3 < quiet {
			// The hot loop, with no calls so that the states stay in
			// registers.
			for {
				s0 = dense[s0+code(classes[t0[j]])]
				s1 = dense[s1+code(classes[t1[j]])]
				s2 = dense[s2+code(classes[t2[j]])]
				s3 = dense[s3+code(classes[t3[j]])]
				j++
				if s0 >= quiet || s1 >= quiet || s2 >= quiet || s3 >= quiet || j == seg {
					break
				}
			}
		} else {
			// Some are in sparse states, or states that end patterns.
			c0, c1, c2, c3 := code(classes[t0[j]]), code(classes[t1[j]]), code(classes[t2[j]]), code(classes[t3[j]])
			if s0 < sparseBase {
				s0 = dense[s0+c0]
			} else {
				s0 = m.sparseNext(s0, c0)
			}
			if s1 < sparseBase {
				s1 = dense[s1+c1]
			} else {
				s1 = m.sparseNext(s1, c1)
			}
			if s2 < sparseBase {
				s2 = dense[s2+c2]
			} else {
				s2 = m.sparseNext(s2, c2)
			}
			if s3 < sparseBase {
				s3 = dense[s3+c3]
			} else {
				s3 = m.sparseNext(s3, c3)
			}
			j++
		}
		if out := m.outIndex(s0); out != 0 && !m.report(out, j, fn) {
			return
		}
		ok1, ok2, ok3 := m.hold(&lanes[0], s1, j), m.hold(&lanes[1], s2, j), m.hold(&lanes[2], s3, j)
		if !ok1 || !ok2 || !ok3 {
			break lockstep
		}
	}
	ends := [3]code{s1, s2, s3}
	s, ok := m.walk(text, j, seg, s0, fn)
	if !ok {
		return
	}
	for w := range lanes {
		// The true state s is at start; lane w's walk is in state ends[w]
		// at stop.
		start := (w + 1) * seg
		stop := start + j
		end := start + seg
		if w == len(lanes)-1 {
			end = len(text)
		}
		i := start
		for m.depth(s) > i-start && i < stop {
			s = m.next(s, code(classes[text[i]]))
			i++
			if out := m.outIndex(s); out != 0 && !m.report(out, i, fn) {
				return
			}
		}
		if m.depth(s) <= i-start {
			// The walks agree from i on.
			l := &lanes[w]
			for _, h := range l.held[:l.n] {
				if e := start + int(h.end); e > i && !m.report(h.out, e, fn) {
					return
				}
			}
			s, i = ends[w], stop
		}
		if s, ok = m.walk(text, i, end, s, fn); !ok {
			return
		}
	}
}

// report calls fn for the patterns of output index j, ending at end. It
// returns false when fn does.
func (m *Matcher) report(j int32, end int, fn func(pattern, start, end int) bool) bool {
	for _, p := range m.outs[m.outOff[j]:m.outOff[j+1]] {
		if !fn(int(p), end-m.lens[p], end) {
			return false
		}
	}
	return true
}
