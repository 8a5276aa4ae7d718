package ahocorasick

import "slices"

// refDenseDepth is the depth down to which states have dense rows.
const refDenseDepth = 2

// Reference is the matcher as it was before the deterministic one: byte
// classes, dense rows down to depth 2, sparse sorted edges and failure
// links deeper. It is kept, exported to the external tests, as the oracle
// of the differential tests and the fuzz target and as the baseline of the
// benchmarks.
type Reference struct {
	// classes maps a byte to its class.
	classes [256]uint8
	stride  int32
	// States are numbered breadth-first; states below nDense have dense
	// rows: dense[s*stride+c] is the state after reading class c in s.
	nDense int32
	dense  []int32
	// A state s >= nDense has trie edges labels[off[k]:off[k+1]] to
	// targets[off[k]:off[k+1]], k = s-nDense, and failure link fail[k].
	off     []int32
	labels  []uint8
	targets []int32
	fail    []int32
	// out[s] lists the patterns that end at state s, longest first (the
	// node's own patterns, then those along its failure links); hasOut
	// marks the states whose list is not empty.
	out    [][]int32
	hasOut []bool
	// lens[i] is the length of pattern i.
	lens []int
}

// NewReference compiles patterns. Empty patterns never match.
func NewReference(patterns []string) *Reference {
	m := &Reference{lens: make([]int, len(patterns))}
	var used [256]bool
	for _, p := range patterns {
		for i := 0; i < len(p); i++ {
			used[p[i]] = true
		}
	}
	n := 1
	for b := range 256 {
		if used[b] {
			m.classes[b] = uint8(min(n, 255))
			n++
		}
	}
	if n > 256 {
		// Every byte value occurs: each is its own class.
		for b := range 256 {
			m.classes[b] = uint8(b)
		}
		n = 256
	}
	stride := n
	m.stride = int32(stride)

	// Trie, with sparse sorted edges per node.
	type edge struct {
		c  uint8
		to int32
	}
	var edges [][]edge
	var own [][]int32 // patterns ending exactly at each node
	edges, own = append(edges, nil), append(own, nil)
	child := func(v int32, c uint8) int32 {
		for _, e := range edges[v] {
			if e.c == c {
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
				next = int32(len(edges))
				edges, own = append(edges, nil), append(own, nil)
				edges[cur] = append(edges[cur], edge{c, next})
			}
			cur = next
		}
		own[cur] = append(own[cur], int32(i))
	}
	nodes := len(edges)

	// Breadth-first order, depths, failure links and output lists.
	order := make([]int32, 0, nodes)
	order = append(order, 0)
	depth := make([]int, nodes)
	fail := make([]int32, nodes)
	for qi := 0; qi < len(order); qi++ {
		v := order[qi]
		for _, e := range edges[v] {
			depth[e.to] = depth[v] + 1
			order = append(order, e.to)
		}
	}
	// next follows goto edges and failure links: the complete transition.
	var next func(v int32, c uint8) int32
	next = func(v int32, c uint8) int32 {
		for {
			if t := child(v, c); t >= 0 {
				return t
			}
			if v == 0 {
				return 0
			}
			v = fail[v]
		}
	}
	out := make([][]int32, nodes)
	out[0] = own[0]
	for _, v := range order {
		for _, e := range edges[v] {
			if v == 0 {
				fail[e.to] = 0
			} else {
				fail[e.to] = next(fail[v], e.c)
			}
		}
		if v != 0 {
			f := fail[v]
			if len(own[v])+len(out[f]) > 0 {
				out[v] = append(slices.Clip(own[v]), out[f]...)
			}
		}
	}

	// Renumber breadth-first and lay out the two parts.
	id := make([]int32, nodes)
	for i, v := range order {
		id[v] = int32(i)
	}
	nDense := 0
	for nDense < nodes && depth[order[nDense]] <= refDenseDepth {
		nDense++
	}
	m.nDense = int32(nDense)
	m.dense = make([]int32, nDense*stride)
	for i := range nDense {
		v := order[i]
		for c := range stride {
			m.dense[i*stride+c] = id[next(v, uint8(c))]
		}
	}
	m.off = make([]int32, 0, nodes-nDense+1)
	for i := nDense; i < nodes; i++ {
		v := order[i]
		es := slices.Clone(edges[v])
		slices.SortFunc(es, func(a, b edge) int { return int(a.c) - int(b.c) })
		m.off = append(m.off, int32(len(m.labels)))
		for _, e := range es {
			m.labels = append(m.labels, e.c)
			m.targets = append(m.targets, id[e.to])
		}
		m.fail = append(m.fail, id[fail[v]])
	}
	m.off = append(m.off, int32(len(m.labels)))
	m.out = make([][]int32, nodes)
	m.hasOut = make([]bool, nodes)
	for v := range nodes {
		m.out[id[v]] = out[v]
		m.hasOut[id[v]] = len(out[v]) > 0
	}
	return m
}

// Len returns the number of patterns.
func (m *Reference) Len() int { return len(m.lens) }

// Match calls fn for every occurrence of every pattern in text, in order of
// end position (and, at one end position, longest pattern first), with the
// pattern's index and the occurrence's byte span. Overlapping occurrences
// are all reported. Match stops early when fn returns false.
func (m *Reference) Match(text string, fn func(pattern, start, end int) bool) {
	if len(m.out) <= 1 {
		return
	}
	dense, nDense, stride := m.dense, m.nDense, m.stride
	off, labels, targets, fail := m.off, m.labels, m.targets, m.fail
	s := int32(0)
	for i := 0; i < len(text); i++ {
		c := m.classes[text[i]]
		// From a deep state, take a trie edge or fall back along failure
		// links; a shallow state's dense row is complete.
	step:
		for {
			if s < nDense {
				s = dense[s*stride+int32(c)]
				break
			}
			k := s - nDense
			for j := off[k]; j < off[k+1]; j++ {
				if labels[j] == c {
					s = targets[j]
					break step
				}
			}
			s = fail[k]
		}
		if m.hasOut[s] {
			for _, p := range m.out[s] {
				if !fn(int(p), i+1-m.lens[p], i+1) {
					return
				}
			}
		}
	}
}
