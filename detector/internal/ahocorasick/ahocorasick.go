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
// When every pattern is valid UTF-8, as the detector's are, a state's row
// covers only the bytes that can follow it in valid UTF-8 text: a state
// whose text ends inside a character (after a lead byte) reads only
// continuation bytes, any other state only ASCII and lead bytes. Each kind
// of byte has its own classes, so rows are narrower (for the detector's
// rules, 87 and 64 classes instead of 148) and nearly twice as many states
// fit in the dense table. A lead byte that starts no pattern leads to a
// stand-in for the root that reads the rest of its character. Text that
// is not valid UTF-8 is matched on a copy whose invalid bytes are replaced
// by one that no pattern holds (no occurrence of a valid pattern can
// include an invalid byte, so the occurrences are the same).
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
	"unicode/utf8"
)

// maxDenseCells bounds the size of the dense table, in cells (4 bytes
// each, so 4 MiB). States get dense rows breadth-first, shallowest first,
// while the table stays within this bound. With rows per kind of UTF-8
// byte, halving or doubling it made BenchmarkAssess no faster (2026-11-26).
const maxDenseCells = 1 << 20

// Matcher is a compiled set of patterns. It is immutable and safe for
// concurrent use.
type Matcher struct {
	// classes maps a byte to its class. With utf8, continuation bytes
	// (0x80 to 0xBF) are classes of their own kind, numbered from 0 like
	// the others.
	classes [256]uint8
	// utf8 is set when every pattern is valid UTF-8: rows are then of two
	// widths (see width), and Match reads valid UTF-8 only (see Match).
	utf8 bool
	// pad is a byte no pattern holds (class 0), which stands in for the
	// invalid bytes of a text in utf8 mode.
	pad byte
	// width holds the row width (the number of classes) of states that
	// read a lead or ASCII byte next, and of states inside a character,
	// which read a continuation byte next (0 without utf8).
	width [2]int32
	// dense holds the rows of the dense states, each two header cells,
	// the index in outOff of the state's patterns (0 for a state that ends
	// none) and the state's depth, then one cell per class of its kind,
	// holding a state code (see code). A dense state's code is the offset
	// of its first class cell.
	dense []int32
	// quiet is the first code of a state that needs more than a dense step:
	// codes below it are dense states that end no pattern. Codes from quiet
	// to sparseBase are dense states that end patterns, codes from
	// sparseBase up are sparse states.
	quiet, sparseBase int32
	// sparse holds the records of the sparse states, depth first so that a
	// state's first child follows it. A record is:
	//
	//	depth<<hdrDepthShift | n<<1 | 1 if the state ends patterns
	//	the code of the nearest dense state on its failure chain (the
	//	root's stand-in, for a state inside a character that fails to
	//	the root)
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
func New(patterns []string) *Matcher { return build(patterns, maxDenseCells, nil) }

// NewFolded compiles patterns into a matcher that reads each byte b of the
// text and of the patterns that has an entry in fold as the byte fold[b]:
// with fold {'\n': ' '}, the pattern "free flight" also occurs in
// "free\nflight", and the pattern "a\nb" in "a b". Bytes folded and their
// targets must be ASCII; NewFolded panics otherwise.
func NewFolded(patterns []string, fold map[byte]byte) *Matcher {
	return build(patterns, maxDenseCells, fold)
}

// build compiles patterns with a dense table of at most maxCells cells (but
// at least the root's row).
func build(patterns []string, maxCells int, fold map[byte]byte) *Matcher {
	m := &Matcher{lens: make([]int, len(patterns)), minSplit: minSplit}
	var used [256]bool
	m.utf8 = true
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			used[p[i]] = true
		}
		if !utf8.ValidString(p) {
			m.utf8 = false
		}
	}
	for from, to := range fold {
		if from >= utf8.RuneSelf || to >= utf8.RuneSelf {
			panic("ahocorasick: fold of a byte that is not ASCII")
		}
		used[to] = used[to] || used[from]
		used[from] = false // its class is its target's (see below)
	}
	// The pad byte must be one no pattern holds and no fold reads as
	// another.
	pad := -1
	for b := range byte(utf8.RuneSelf) {
		if _, folded := fold[b]; !used[b] && !folded {
			pad = int(b)
			break
		}
	}
	if pad < 0 {
		m.utf8 = false
	}
	m.pad = byte(max(pad, 0))

	// Classes: one per byte that occurs in a pattern, in byte order (which
	// keeps letters, digits and space, the cells most texts read, together
	// in each row). The bytes no pattern holds share a class, one per
	// kind of byte; with utf8, one per number of continuation bytes they
	// start (none for ASCII), since that tells which state follows them.
	// groupOf returns a byte's kind (0, or 1 for a continuation byte with
	// utf8) and, for the others, that number.
	groupOf := func(b int) (kind, group int) {
		switch {
		case !m.utf8 || b < 0x80:
			return 0, 0
		case b < 0xC0:
			return 1, 0
		case b < 0xE0:
			return 0, 1
		case b < 0xF0:
			return 0, 2
		}
		return 0, 3
	}
	// The classes of the unused bytes come first, one per kind and group
	// that has any.
	var hasUnused [2][4]bool
	for b := range 256 {
		if k, g := groupOf(b); !used[b] {
			hasUnused[k][g] = true
		}
	}
	var unused [2][4]uint8 // the class of the unused bytes of each kind and group
	var nClasses [2]int
	for kind := range 2 {
		for g := range 4 {
			if hasUnused[kind][g] {
				unused[kind][g] = uint8(nClasses[kind])
				nClasses[kind]++
			}
		}
	}
	// classPending[c] is how many continuation bytes follow a byte of
	// lead class c (0 for ASCII).
	var classPending [256]int8
	for b := range 256 {
		k, g := groupOf(b)
		if used[b] {
			m.classes[b] = uint8(nClasses[k])
			nClasses[k]++
		} else {
			m.classes[b] = unused[k][g]
		}
		if k == 0 {
			classPending[m.classes[b]] = int8(g)
		}
	}
	m.width = [2]int32{int32(nClasses[0]), int32(nClasses[1])}
	for from, to := range fold {
		m.classes[from] = m.classes[to]
	}

	// Trie, with sparse edges per node in insertion order. pending[v] is
	// how many continuation bytes node v's text still needs to end its
	// last character (with utf8; 0 without): a node with some pending
	// is inside a character, and its edges are on continuation classes.
	var trie [][]edge // trie[v] are the edges of node v, to node numbers
	var own [][]int32 // patterns ending exactly at each node
	var pending []int8
	trie, own, pending = append(trie, nil), append(own, nil), append(pending, 0)
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
				pending = append(pending, 0)
				if m.utf8 {
					pending[next] = pendingAfter(pending[cur], p[j])
				}
				trie[cur] = append(trie[cur], edge{next, c})
			}
			cur = next
		}
		own[cur] = append(own[cur], int32(i))
	}
	nodes := len(trie)
	kindOf := func(v int32) int {
		if pending[v] > 0 {
			return 1
		}
		return 0
	}
	m.outOff = []int32{0, 0}
	if nodes == 1 {
		return m
	}

	// Breadth-first order and failure links. A node's failure link is its
	// longest proper suffix that is in the trie; it is shallower, so it
	// comes first in this order. A suffix in the trie starts at a
	// character boundary, so a node inside a character fails to a node
	// inside the same character, with as many continuation bytes pending,
	// or to the root; the failure link to the root stands for the root's
	// stand-in with that many pending (see inChar below).
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
			for f != 0 && child(f, e.class) < 0 {
				f = fail[f]
			}
			if kindOf(f) != kindOf(v) {
				continue // the root, which reads no continuation byte
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

	// With utf8, the root has stand-ins inChar[1..3]: the states after a
	// lead byte that starts no pattern (or after a character that ends no
	// suffix of one), with 1, 2 or 3 continuation bytes pending. They end
	// no pattern, read continuation bytes only, each to the stand-in with
	// one fewer pending (inChar[0] is the root), and have dense rows,
	// numbered right after the root's.
	nInChar := 0
	if m.utf8 {
		nInChar = 3
	}
	inCells := nInChar * (2 + nClasses[1])

	// The first nodes in breadth-first order get dense rows, as many as
	// fit in maxCells (at least the root). Every node of the dense set's
	// failure chain is then dense too, since links point to shallower
	// nodes and the set holds every node shallower than its deepest; and
	// the descendants of a sparse node are sparse.
	rowCells := func(v int32) int { return 2 + nClasses[kindOf(v)] }
	nDense, cells := 0, inCells
	for _, v := range order {
		if nDense > 0 && cells+rowCells(v) > maxCells {
			break
		}
		cells += rowCells(v)
		nDense++
	}
	isDense := make([]bool, nodes)
	for _, v := range order[:nDense] {
		isDense[v] = true
	}

	// Codes: dense nodes that end no pattern (the root first, then its
	// stand-ins), then dense nodes that end patterns, each in
	// breadth-first order; then sparse nodes, depth first from each dense
	// node's sparse children, so that the records along a pattern's path
	// are contiguous.
	codes := make([]code, nodes)
	var inChar [4]code
	var next code
	for pass := range 2 {
		for _, v := range order[:nDense] {
			if (len(out[v]) > 0) == (pass == 1) {
				codes[v] = next + 2
				next += code(rowCells(v))
			}
			if v == 0 && pass == 0 {
				inChar[0] = codes[0]
				for p := 1; p <= nInChar; p++ {
					inChar[p] = next + 2
					next += code(2 + nClasses[1])
				}
			}
		}
		if pass == 0 {
			// Below every code from here on: the next row's (after its
			// header) and the sparse records'.
			m.quiet = next
		}
	}
	denseLen := next

	// Transitions of the sparse nodes, breadth-first: a node's own edges,
	// then, if its failure link is sparse too, the link's transitions on
	// other classes; fallback is the code of the nearest dense node on its
	// chain (for the root, the stand-in with the node's pending), which
	// gives all other transitions.
	patch := make([][]edge, nodes)
	fallback := make([]code, nodes)
	var pool []edge
	for _, v := range order[nDense:] {
		f := fail[v]
		first := len(pool)
		pool = append(pool, trie[v]...)
		switch {
		case f == 0:
			fallback[v] = inChar[pending[v]]
		case isDense[f]:
			fallback[v] = codes[f]
		default:
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

	m.sparseBase = next
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
	// with its own edges replacing entries. The root's row leads each
	// byte that starts no pattern to the stand-in with the continuation
	// bytes it needs pending (the root itself for ASCII), and a
	// stand-in's every cell to the next one.
	m.dense = make([]int32, denseLen)
	for p := 1; p <= nInChar; p++ {
		fill(m.dense[inChar[p]:][:nClasses[1]], inChar[p-1])
	}
	for _, v := range order[:nDense] {
		row := m.dense[codes[v]:][:nClasses[kindOf(v)]]
		switch {
		case v == 0:
			for c := range row {
				row[c] = inChar[classPending[c]]
			}
		case fail[v] == 0 && kindOf(v) == 1:
			copy(row, m.dense[inChar[pending[v]]:][:len(row)])
		default:
			copy(row, m.dense[codes[fail[v]]:][:len(row)])
		}
		for _, e := range trie[v] {
			row[e.class] = codes[e.to]
		}
		m.dense[codes[v]-2] = outIndex(v)
		m.dense[codes[v]-1] = int32(min(depth[v], math.MaxInt32))
	}

	// Sparse records.
	m.sparse = make([]int32, 0, next-m.sparseBase)
	for _, v := range sparseOrder {
		hdr := int32(min(depth[v], maxHdrDepth)<<hdrDepthShift | 2*len(patch[v]))
		if len(out[v]) > 0 {
			hdr |= 1
		}
		m.sparse = append(m.sparse, hdr, fallback[v])
		if len(out[v]) > 0 {
			m.sparse = append(m.sparse, outIndex(v))
		}
		for _, e := range patch[v] {
			m.sparse = append(m.sparse, int32(e.class), codes[e.to])
		}
	}
	return m
}

// pendingAfter returns how many continuation bytes a text still needs to
// end its character, after one that needed n reads byte b (valid UTF-8).
func pendingAfter(n int8, b byte) int8 {
	switch {
	case b < 0x80:
		return 0
	case b < 0xC0:
		return max(n-1, 0)
	case b < 0xE0:
		return 1
	case b < 0xF0:
		return 2
	}
	return 3
}

// fill sets every cell of row to c.
func fill(row []int32, c int32) {
	for i := range row {
		row[i] = c
	}
}

// Len returns the number of patterns.
func (m *Matcher) Len() int { return len(m.lens) }

// Match calls fn for every occurrence of every pattern in text, in order of
// end position (and, at one end position, longest pattern first), with the
// pattern's index and the occurrence's byte span. Overlapping occurrences
// are all reported. Match stops early when fn returns false. Text need not
// be valid UTF-8.
func (m *Matcher) Match(text string, fn func(pattern, start, end int) bool) {
	if len(m.dense) == 0 {
		return
	}
	if m.utf8 && !utf8.ValidString(text) {
		text = m.padInvalid(text)
	}
	m.MatchValid(text, fn)
}

// MatchValid is Match for text that is valid UTF-8, such as textnorm's
// output, without checking it (the check costs about 2% of the detector's
// instructions). On other text what it reports is undefined, and it may
// panic.
func (m *Matcher) MatchValid(text string, fn func(pattern, start, end int) bool) {
	if len(m.dense) == 0 {
		return
	}
	if len(text) >= m.minSplit && len(text) <= math.MaxInt32 {
		m.matchSplit(text, fn)
		return
	}
	m.walk(text, 0, len(text), rootCode, fn)
}

// rootCode is the root state's code: its row is the first in the dense
// table, after its two header cells.
const rootCode code = 2

// padInvalid returns text with each byte that is not part of a valid
// UTF-8 character (as utf8.DecodeRuneInString reads it, one at a time)
// replaced by m.pad. No occurrence of a valid pattern includes such a
// byte, and m.pad is in no pattern, so Match reports the same occurrences
// on the copy, at the same offsets.
func (m *Matcher) padInvalid(text string) string {
	b := []byte(text)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 {
			b[i] = m.pad
		}
		i += size
	}
	return string(b)
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
		return m.dense[s-2]
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
		return int(m.dense[s-1])
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
	// The segments start at character boundaries, where the root state
	// is right (with utf8, a state reads only the kind of byte that can
	// follow it).
	var bounds [5]int
	for k := 1; k < 4; k++ {
		b := k * (len(text) / 4)
		for m.utf8 && b < len(text) && !utf8.RuneStart(text[b]) {
			b++
		}
		bounds[k] = b
	}
	bounds[4] = len(text)
	t0, t1, t2, t3 := text[:bounds[1]], text[bounds[1]:bounds[2]], text[bounds[2]:bounds[3]], text[bounds[3]:]
	seg := min(len(t0), len(t1), len(t2), len(t3))
	s0, s1, s2, s3 := rootCode, rootCode, rootCode, rootCode
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
	s, ok := m.walk(text, j, bounds[1], s0, fn)
	if !ok {
		return
	}
	for w := range lanes {
		// The true state s is at start; lane w's walk is in state ends[w]
		// at stop.
		start := bounds[w+1]
		stop := start + j
		end := bounds[w+2]
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
