// Package ahocorasick finds every occurrence of many byte patterns in a text
// in one pass (Aho–Corasick automaton). Building is linear in the total
// pattern length; matching is linear in the text length plus the number of
// matches.
package ahocorasick

import "sort"

// Matcher is a compiled set of patterns. It is immutable and safe for
// concurrent use.
type Matcher struct {
	nodes []node
	// lens[i] is the length of pattern i.
	lens []int
}

type node struct {
	// labels and next are the goto edges, sorted by label.
	labels []byte
	next   []int32
	fail   int32
	// out lists the patterns that end at this node (not via fail links).
	out []int32
	// dict is the nearest node along the fail chain with a non-empty out,
	// or -1.
	dict int32
}

// New compiles patterns. Empty patterns never match.
func New(patterns []string) *Matcher {
	m := &Matcher{nodes: []node{{fail: 0, dict: -1}}, lens: make([]int, len(patterns))}
	for i, p := range patterns {
		m.lens[i] = len(p)
		if p == "" {
			continue
		}
		cur := int32(0)
		for j := 0; j < len(p); j++ {
			n, ok := m.child(cur, p[j])
			if !ok {
				n = int32(len(m.nodes))
				m.nodes = append(m.nodes, node{dict: -1})
				m.addEdge(cur, p[j], n)
			}
			cur = n
		}
		m.nodes[cur].out = append(m.nodes[cur].out, int32(i))
	}
	// Breadth-first: fail links and dictionary links.
	queue := make([]int32, 0, len(m.nodes))
	for _, c := range m.nodes[0].next {
		m.nodes[c].fail = 0
		queue = append(queue, c)
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for k, c := range m.nodes[v].next {
			b := m.nodes[v].labels[k]
			f := m.nodes[v].fail
			for {
				if n, ok := m.child(f, b); ok && n != c {
					m.nodes[c].fail = n
					break
				}
				if f == 0 {
					m.nodes[c].fail = 0
					break
				}
				f = m.nodes[f].fail
			}
			fc := m.nodes[c].fail
			if len(m.nodes[fc].out) > 0 {
				m.nodes[c].dict = fc
			} else {
				m.nodes[c].dict = m.nodes[fc].dict
			}
			queue = append(queue, c)
		}
	}
	return m
}

func (m *Matcher) child(v int32, b byte) (int32, bool) {
	n := &m.nodes[v]
	if len(n.labels) < 8 {
		for i, l := range n.labels {
			if l == b {
				return n.next[i], true
			}
		}
		return 0, false
	}
	i := sort.Search(len(n.labels), func(i int) bool { return n.labels[i] >= b })
	if i < len(n.labels) && n.labels[i] == b {
		return n.next[i], true
	}
	return 0, false
}

func (m *Matcher) addEdge(v int32, b byte, to int32) {
	n := &m.nodes[v]
	i := sort.Search(len(n.labels), func(i int) bool { return n.labels[i] >= b })
	n.labels = append(n.labels, 0)
	copy(n.labels[i+1:], n.labels[i:])
	n.labels[i] = b
	n.next = append(n.next, 0)
	copy(n.next[i+1:], n.next[i:])
	n.next[i] = to
}

// Len returns the number of patterns.
func (m *Matcher) Len() int { return len(m.lens) }

// Match calls fn for every occurrence of every pattern in text, in order of
// end position (and, at one end position, longest pattern first), with the
// pattern's index and the occurrence's byte span. Overlapping occurrences
// are all reported. Match stops early when fn returns false.
func (m *Matcher) Match(text string, fn func(pattern, start, end int) bool) {
	cur := int32(0)
	for i := 0; i < len(text); i++ {
		b := text[i]
		for {
			if n, ok := m.child(cur, b); ok {
				cur = n
				break
			}
			if cur == 0 {
				break
			}
			cur = m.nodes[cur].fail
		}
		for v := cur; v > 0; v = m.nodes[v].dict {
			for _, p := range m.nodes[v].out {
				if !fn(int(p), i+1-m.lens[p], i+1) {
					return
				}
			}
			if m.nodes[v].dict < 0 {
				break
			}
		}
	}
}
