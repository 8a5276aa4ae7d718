package crawler

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxFieldSize bounds every text field of an ad, in bytes: ad text is
// hostile input and is bounded wherever it is parsed.
const maxFieldSize = 64 << 10

// Break strengths between two pieces of text.
const (
	noBreak   = 0
	lineBreak = 1
	paraBreak = 2
)

// blockBreaks says which elements start and end on a line of their own, and
// whether they are set apart by a blank line (paragraphs, headings, lists).
var blockBreaks = map[atom.Atom]int{
	atom.Address: lineBreak, atom.Article: paraBreak, atom.Aside: paraBreak,
	atom.Blockquote: paraBreak, atom.Caption: lineBreak, atom.Dd: lineBreak,
	atom.Details: lineBreak, atom.Dialog: lineBreak, atom.Div: lineBreak,
	atom.Dl: paraBreak, atom.Dt: lineBreak, atom.Fieldset: lineBreak,
	atom.Figcaption: lineBreak, atom.Figure: lineBreak, atom.Footer: lineBreak,
	atom.Form: lineBreak, atom.H1: paraBreak, atom.H2: paraBreak,
	atom.H3: paraBreak, atom.H4: paraBreak, atom.H5: paraBreak,
	atom.H6: paraBreak, atom.Header: lineBreak, atom.Hgroup: lineBreak,
	atom.Hr: paraBreak, atom.Li: lineBreak, atom.Main: lineBreak,
	atom.Nav: lineBreak, atom.Ol: paraBreak, atom.P: paraBreak,
	atom.Pre: paraBreak, atom.Section: paraBreak, atom.Summary: lineBreak,
	atom.Table: paraBreak, atom.Tbody: lineBreak, atom.Tfoot: lineBreak,
	atom.Thead: lineBreak, atom.Tr: lineBreak, atom.Ul: paraBreak,
}

// invisible elements contribute no text.
var invisible = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Svg: true, atom.Math: true, atom.Iframe: true,
	atom.Object: true, atom.Canvas: true, atom.Select: true, atom.Datalist: true,
	atom.Title: true, atom.Meta: true, atom.Link: true,
}

// textWriter accumulates visible text: runs of white space become one
// space, block elements become line breaks (a blank line between
// paragraphs), and the result stops growing at maxFieldSize.
type textWriter struct {
	b       strings.Builder
	brk     int  // pending break
	space   bool // pending space
	inPre   int
	full    bool
	lineLen int
}

func (w *textWriter) breakAtLeast(n int) {
	if n > noBreak {
		w.brk = max(w.brk, n)
		w.space = false
	}
}

func (w *textWriter) text(s string) {
	for i := 0; i < len(s); {
		if w.full {
			return
		}
		r, size := decodeRune(s[i:])
		if w.inPre > 0 && r == '\n' {
			if w.brk < paraBreak && w.b.Len() > 0 {
				w.brk++
			}
			w.space = false
			i += size
			continue
		}
		if unicode.IsSpace(r) || r == '\u200b' {
			w.space = true
			i += size
			continue
		}
		if unicode.IsControl(r) {
			i += size
			continue
		}
		switch {
		case w.brk > noBreak && w.b.Len() > 0:
			w.write("\n\n"[:w.brk]) // brk is lineBreak or paraBreak
			w.lineLen = 0
		case w.space && w.lineLen > 0:
			w.write(" ")
		}
		w.brk, w.space = noBreak, false
		// Write the run of ordinary characters that starts here at once,
		// single spaces between words included (they would be written as
		// they are); an invalid byte is written as U+FFFD, one at a time.
		j, n := i+size, 1
		if r != utf8.RuneError {
			for j < len(s) {
				if c := s[j]; c > ' ' && c < utf8.RuneSelf && c != 0x7f {
					j++
					n++
					continue
				}
				if s[j] == ' ' && j+1 < len(s) && s[j+1] > ' ' && s[j+1] < utf8.RuneSelf && s[j+1] != 0x7f {
					j++ // a space alone, before an ASCII character: kept as it is
					continue
				}
				r2, size2 := decodeRune(s[j:])
				if r2 == utf8.RuneError || unicode.IsSpace(r2) || r2 == '\u200b' || unicode.IsControl(r2) {
					break
				}
				j += size2
				n++
			}
		}
		if run := s[i:j]; r != utf8.RuneError && w.b.Len()+len(run) <= maxFieldSize {
			w.b.WriteString(run)
			w.lineLen += n
		} else {
			for _, r := range run {
				if r == ' ' {
					w.write(" ") // a space kept in the run, as the loop above would write it
					continue
				}
				w.write(string(r))
				w.lineLen++
				if w.full {
					return
				}
			}
		}
		i = j
	}
}

// decodeRune decodes the first rune of s, quickly for ASCII.
func decodeRune(s string) (rune, int) {
	if c := s[0]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s)
}

func (w *textWriter) write(s string) {
	if w.b.Len()+len(s) > maxFieldSize {
		w.full = true
		return
	}
	w.b.WriteString(s)
}

// node writes the visible text of n and its descendants.
func (w *textWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			w.node(c)
		}
		return
	case html.ElementNode:
	default:
		return
	}
	if invisible[n.DataAtom] || hidden(n) {
		return
	}
	switch n.DataAtom {
	case atom.Br:
		if w.brk < paraBreak {
			w.brk++
		}
		w.space = false
		return
	case atom.Td, atom.Th:
		w.space = true
	case atom.Pre:
		w.inPre++
		defer func() { w.inPre-- }()
	}
	brk := blockBreaks[n.DataAtom]
	w.breakAtLeast(brk)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	w.breakAtLeast(brk)
	if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
		w.space = true
	}
}

// hidden reports whether an element is hidden from view by its attributes.
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch strings.ToLower(a.Key) {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(a.Val, "true") {
				return true
			}
		case "style":
			s := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

func (w *textWriter) String() string { return w.b.String() }

// visibleText returns the visible text of nodes, each starting on a new
// line. A node inside another of the nodes is not written twice.
func visibleText(nodes []*html.Node) string {
	in := make(map[*html.Node]bool, len(nodes))
	for _, n := range nodes {
		in[n] = true
	}
	var w textWriter
	w.b.Grow(textSize(nodes))
outer:
	for _, n := range nodes {
		for p := n.Parent; p != nil; p = p.Parent {
			if in[p] {
				continue outer
			}
		}
		w.breakAtLeast(lineBreak)
		w.node(n)
	}
	return w.String()
}

// textSize returns the bytes of text in nodes and their descendants, at
// most maxFieldSize: about the size of their visible text, so that
// visibleText writes it into a buffer of the right size instead of growing
// one (an ad's text is up to maxFieldSize). A node inside another counts
// twice, which is harmless.
func textSize(nodes []*html.Node) int {
	n := 0
	var walk func(*html.Node)
	walk = func(node *html.Node) {
		for ; node != nil && n < maxFieldSize; node = node.NextSibling {
			if node.Type == html.TextNode {
				n += len(node.Data)
			}
			walk(node.FirstChild)
		}
	}
	for _, node := range nodes {
		if node.Type == html.TextNode {
			n += len(node.Data)
		}
		walk(node.FirstChild)
	}
	return min(n, maxFieldSize)
}

var bodyContext = &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}

// tagRE matches something that looks like an HTML tag.
var tagRE = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>`)

// htmlText returns the visible text of s, a fragment of HTML such as a
// JSON-LD description. Markup that was escaped twice (&lt;p&gt;) is
// converted once more.
func htmlText(s string) string {
	t := fragmentText(s)
	if tagRE.MatchString(t) {
		t = fragmentText(t)
	}
	return t
}

func fragmentText(s string) string {
	if len(s) > 4*maxFieldSize {
		s = truncate(s, 4*maxFieldSize)
	}
	nodes, err := html.ParseFragment(strings.NewReader(s), bodyContext)
	if err != nil {
		// The parser fails only on reader errors; keep the text as it is.
		return truncate(collapseSpace(s), maxFieldSize)
	}
	var w textWriter
	for _, n := range nodes {
		w.node(n)
	}
	return w.String()
}

// collapseSpace turns every run of white space in s into one space and
// trims both ends.
func collapseSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// dateLayouts are the date formats parseDate understands, most specific
// first. Dates without a zone are taken as UTC.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02",
	"2006-01-02T15:04Z07:00", // W3C datetime without seconds (sitemaps)
	time.RFC1123Z,
	time.RFC1123,
	// RSS dates: RFC 822 with a one-digit day, without the weekday, or
	// with a two-digit year.
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"2 Jan 2006",
	"2 January 2006",
	"Jan 2, 2006",
	"January 2, 2006",
	"Jan 2 2006",
	"January 2 2006",
}

// parseDate parses a date as ads and JSON-LD give it, returning the zero
// time when s is empty or in no known format.
func parseDate(s string) time.Time {
	s = collapseSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}
