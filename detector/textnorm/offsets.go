package textnorm

import (
	"math"
	"unicode/utf8"
)

// offsetMap maps each byte of a normalised text to the span of the
// original text it stands for, run by run, so that the long stretches
// copied from the original (ASCII, most other scripts) cost one entry each
// rather than two per byte.
//
// A run covers the bytes of the normalised text from its at up to the next
// run's at (or the end of the text). A copy run is a copy of the original
// from off bytes on, made of whole normalisation segments that NFKC and
// folding left as they are: a byte maps to the span of its segment (a
// character, with the combining marks after it), moved by off; in a copy
// run of characters (x == charRun), every character is a segment of its
// own. In an explicit run, byte k maps to [xs[x+k-at], xe[x+k-at]).
type offsetMap struct {
	runs   []mapRun
	xs, xe []int32
	// blocks[b], when set (see index), is the index of the run holding
	// byte b*mapBlock of the text.
	blocks []int32
}

// mapBlock is the size of the blocks of the text that offsetMap.blocks
// indexes.
const mapBlock = 64

// mapRun is one run of an offsetMap.
type mapRun struct {
	at  int32 // the run's first byte in the normalised text
	off int32 // copy run: original offset minus normalised offset
	x   int32 // explicit run: index in xs and xe of the entry for at; copy run: charRun or segmentRun
}

// Values of mapRun.x for copy runs.
const (
	charRun    = -1 // every character is a segment of its own
	segmentRun = -2 // a character may have combining marks after it
)

// reset empties m, keeping its buffers.
func (m *offsetMap) reset() {
	m.runs, m.xs, m.xe, m.blocks = m.runs[:0], m.xs[:0], m.xe[:0], m.blocks[:0]
}

// indexBlocks sets m.blocks for a text n bytes long whose map m is
// complete, so that index finds runs in constant time.
func (m *offsetMap) indexBlocks(n int) {
	m.blocks = m.blocks[:0]
	q := 0
	for k := 0; k < n; k += mapBlock {
		for q+1 < len(m.runs) && int(m.runs[q+1].at) <= k {
			q++
		}
		m.blocks = append(m.blocks, int32(q))
	}
}

// index returns the index of the run holding byte k, which must be a byte
// of the text the map is for: the last run starting at or before k.
func (m *offsetMap) index(k int) int {
	if b := uint(k) / mapBlock; b < uint(len(m.blocks)) {
		q := int(m.blocks[b])
		for q+1 < len(m.runs) && int(m.runs[q+1].at) <= k {
			q++
		}
		return q
	}
	return m.search(k)
}

// search is index without m.blocks.
//
//go:noinline
func (m *offsetMap) search(k int) int {
	runs := m.runs
	lo, hi := 0, len(runs) // runs[lo].at <= k < runs[hi].at
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if int(runs[mid].at) <= k {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// spanAt returns the original span of byte k of the normalised text norm.
func spanAt[T ~string | ~[]byte](m *offsetMap, norm T, k int) (start, end int32) {
	return spanIn(m, norm, k, m.index(k))
}

// span is spanAt for a text as Text holds it, quicker for ASCII.
func (m *offsetMap) span(norm string, k int) (start, end int32) {
	q := m.index(k)
	r := m.runs[q]
	if r.x >= 0 {
		x := int(r.x) + k - int(r.at)
		return m.xs[x], m.xe[x]
	}
	if norm[k] < utf8.RuneSelf && (k+1 == len(norm) || norm[k+1] < utf8.RuneSelf) {
		// An ASCII character followed by another, or by nothing: a
		// segment of its own.
		return int32(k) + r.off, int32(k+1) + r.off
	}
	return spanIn(m, norm, k, q)
}

// spanIn is spanAt for byte k of run q.
func spanIn[T ~string | ~[]byte](m *offsetMap, norm T, k, q int) (start, end int32) {
	r := m.runs[q]
	if r.x >= 0 {
		x := int(r.x) + k - int(r.at)
		return m.xs[x], m.xe[x]
	}
	if r.x == charRun {
		// The character of byte k.
		s, e := k, k+1
		for norm[s]&0xc0 == 0x80 {
			s--
		}
		for e < len(norm) && norm[e]&0xc0 == 0x80 {
			e++
		}
		return int32(s) + r.off, int32(e) + r.off
	}
	// The segment of byte k: back to the character that starts it,
	// forward to the next that does, within the run.
	runEnd := len(norm)
	if q+1 < len(m.runs) {
		runEnd = int(m.runs[q+1].at)
	}
	flags := &fastTab().flags
	s := k
	for {
		for s > int(r.at) && norm[s]&0xc0 == 0x80 {
			s--
		}
		if s == int(r.at) || startsSegment(flags, norm, s) {
			break
		}
		s--
	}
	e := k + 1
	for {
		for e < runEnd && norm[e]&0xc0 == 0x80 {
			e++
		}
		if e >= runEnd || startsSegment(flags, norm, e) {
			break
		}
		e++
	}
	return int32(s) + r.off, int32(e) + r.off
}

// startsSegment reports whether the character at norm[p], in a copy run,
// starts a normalisation segment: it is ASCII, outside the BMP (a copy
// run holds only such characters that do), or flagged so in flags, the
// fastTables.flags.
func startsSegment[T ~string | ~[]byte](flags *[0x10000]uint8, norm T, p int) bool {
	c := norm[p]
	if c < utf8.RuneSelf || c >= 0xf0 {
		return true
	}
	var r rune
	if c >= 0xe0 {
		r = rune(c&0x0f)<<12 | rune(norm[p+1]&0x3f)<<6 | rune(norm[p+2]&0x3f)
	} else {
		r = rune(c&0x1f)<<6 | rune(norm[p+1]&0x3f)
	}
	return flags[r]&flagStarts != 0
}

// setExplicit makes m the map whose byte k maps to [start[k], end[k]),
// one explicit run; m keeps start and end.
func (m *offsetMap) setExplicit(start, end []int32) {
	m.runs = append(m.runs[:0], mapRun{at: 0, x: 0})
	m.xs, m.xe, m.blocks = start, end, m.blocks[:0]
}

// Values of mapWriter.cur other than a copy run's offset.
const (
	noRun       = math.MinInt32     // no run yet
	explicitRun = math.MinInt32 + 1 // the last run is explicit
)

// mapWriter builds an offsetMap byte by byte, in order, as scan writes the
// normalised text.
type mapWriter struct {
	offsetMap
	// cur is the offset of the last run when it is a copy run, else
	// noRun or explicitRun.
	cur int32
}

// copied maps the bytes written from k on to the original from i on, the
// same characters (see offsetMap), until another call says otherwise.
func (w *mapWriter) copied(k, i int) {
	if off := int32(i - k); off != w.cur {
		w.runs = append(w.runs, mapRun{at: int32(k), off: off, x: charRun})
		w.cur = off
	}
}

// copiedSegment is copied for a segment with combining marks: the run
// it goes in is a segmentRun.
func (w *mapWriter) copiedSegment(k, i int) {
	if off := int32(i - k); off != w.cur {
		w.runs = append(w.runs, mapRun{at: int32(k), off: off, x: segmentRun})
		w.cur = off
	} else {
		w.runs[len(w.runs)-1].x = segmentRun
	}
}

// explicit maps byte k, the next byte of the normalised text, to the
// original span [s, e).
func (w *mapWriter) explicit(k int, s, e int32) {
	if w.cur != explicitRun {
		w.runs = append(w.runs, mapRun{at: int32(k), x: int32(len(w.xs))})
		w.cur = explicitRun
	}
	w.xs = append(w.xs, s)
	w.xe = append(w.xe, e)
}

// explicitN maps the n bytes of the normalised text from k on to the
// original span [s, e).
func (w *mapWriter) explicitN(k, n int, s, e int32) {
	if w.cur != explicitRun {
		w.runs = append(w.runs, mapRun{at: int32(k), x: int32(len(w.xs))})
		w.cur = explicitRun
	}
	switch n {
	case 1:
		w.xs = append(w.xs, s)
		w.xe = append(w.xe, e)
	case 2:
		w.xs = append(w.xs, s, s)
		w.xe = append(w.xe, e, e)
	case 3:
		w.xs = append(w.xs, s, s, s)
		w.xe = append(w.xe, e, e, e)
	default:
		for ; n > 0; n-- {
			w.xs = append(w.xs, s)
			w.xe = append(w.xe, e)
		}
	}
}

// setEnd makes byte k, the last written and a one-byte character, end at
// e in the original.
func (w *mapWriter) setEnd(k int, e int32) {
	if w.cur == explicitRun {
		w.xe[len(w.xe)-1] = e
		return
	}
	// A copy run: end it before k, or turn it into an explicit one when
	// it starts at k.
	last := &w.runs[len(w.runs)-1]
	s := int32(k) + last.off
	if int(last.at) == k {
		*last = mapRun{at: int32(k), x: int32(len(w.xs))}
	} else {
		w.runs = append(w.runs, mapRun{at: int32(k), x: int32(len(w.xs))})
	}
	w.cur = explicitRun
	w.xs = append(w.xs, s)
	w.xe = append(w.xe, e)
}

// start begins a new map, reusing the buffers of m.
func (w *mapWriter) start(m offsetMap) {
	w.offsetMap = m
	w.reset()
	w.cur = noRun
}
