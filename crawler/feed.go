package crawler

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"
	"go.uber.org/zap"
	"golang.org/x/net/html/charset"

	"github.com/lurewatch/lurewatch"
)

const (
	// maxFeedEntries bounds the entries read from one feed.
	maxFeedEntries = 1000
	// maxIDLen bounds an entry's guid or id used in an ad id.
	maxIDLen = 500
)

// errNotFeed marks an XML document that is not an RSS or Atom feed.
var errNotFeed = errors.New("not an RSS or Atom feed")

// newXMLDecoder returns a strict decoder for an untrusted XML document
// that knows the HTML entities (&nbsp; and the like are common in feeds)
// and decodes any charset the document declares. A UTF-8 byte order mark
// is skipped.
func newXMLDecoder(body []byte) *xml.Decoder {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = true
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	return d
}

// feedEntry is one RSS item or Atom entry, its text fields already plain
// text.
type feedEntry struct {
	title, text, author string
	// link is the entry's link as given (maybe relative); id its guid or
	// Atom id.
	link, id string
	posted   time.Time
}

// xmlText is an element of a feed whose text is wanted: its character
// data, its raw content (for Atom type="xhtml") and the attributes that
// say how to read it.
type xmlText struct {
	Type        string `xml:"type,attr"`
	Src         string `xml:"src,attr"`
	IsPermaLink string `xml:"isPermaLink,attr"`
	Text        string `xml:",chardata"`
	Inner       string `xml:",innerxml"`
}

// xmlLink is an RSS <link>URL</link> or an Atom <link href rel type/>.
type xmlLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// xmlAuthor is an RSS <author> (text) or an Atom <author> (name, email).
type xmlAuthor struct {
	Name  string `xml:"name"`
	Email string `xml:"email"`
	Text  string `xml:",chardata"`
}

// xmlItem is an RSS 2.0 or 1.0 item or an Atom entry. Elements are matched
// by local name in any namespace: "encoded" is content:encoded, "date"
// dc:date, "creator" dc:creator.
type xmlItem struct {
	Title       []xmlText   `xml:"title"`
	Links       []xmlLink   `xml:"link"`
	Description []xmlText   `xml:"description"`
	Encoded     []xmlText   `xml:"encoded"`
	Content     []xmlText   `xml:"content"`
	Summary     []xmlText   `xml:"summary"`
	PubDate     []xmlText   `xml:"pubDate"`
	Date        []xmlText   `xml:"date"`
	Published   []xmlText   `xml:"published"`
	Updated     []xmlText   `xml:"updated"`
	Author      []xmlAuthor `xml:"author"`
	Creator     []xmlText   `xml:"creator"`
	GUID        []xmlText   `xml:"guid"`
	ID          []xmlText   `xml:"id"`
}

// parseFeed reads the entries of an RSS 2.0, RSS 1.0 or Atom feed, in
// document order, at most maxFeedEntries. On malformed XML it returns the
// entries read before the error, and the error; a document whose root is
// not rss, RDF or feed is an error wrapping errNotFeed.
func parseFeed(body []byte) ([]feedEntry, error) {
	var entries []feedEntry
	root, err := decodeRecords(body, errNotFeed, feedRecords, func(root string, d *xml.Decoder, se *xml.StartElement) (bool, error) {
		var it xmlItem
		if err := d.DecodeElement(&it, se); err != nil {
			return false, err
		}
		entries = append(entries, it.entry(root == "feed"))
		return len(entries) < maxFeedEntries, nil
	})
	if root == "" {
		return nil, err
	}
	return entries, err
}

// feedRecords names, for each root element of a feed, the element of one
// entry: items in RSS 2.0 and 1.0 (RDF), entries in Atom.
var feedRecords = map[string]string{"rss": "item", "RDF": "item", "feed": "entry"}

// decodeRecords reads an untrusted XML document whose root element's local
// name is a key of records (else it returns an error wrapping notDoc), and
// calls decode on each element named records[root] below it, in document
// order, until decode returns false or an error, or the document ends. It
// returns the root's name ("" when there is none) and the first error
// from the XML or from decode; what decode kept before stays the caller's.
func decodeRecords(body []byte, notDoc error, records map[string]string,
	decode func(root string, d *xml.Decoder, se *xml.StartElement) (more bool, err error)) (string, error) {
	d := newXMLDecoder(body)
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if root == "" {
				return "", fmt.Errorf("%w: no root element", notDoc)
			}
			return root, nil
		}
		if err != nil {
			return root, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root == "" {
			if _, ok := records[se.Name.Local]; !ok {
				return "", fmt.Errorf("%w: root element is <%s>", notDoc, truncate(se.Name.Local, 50))
			}
			root = se.Name.Local
			continue
		}
		if se.Name.Local != records[root] {
			continue
		}
		if more, err := decode(root, d, &se); err != nil || !more {
			return root, err
		}
	}
}

// entry reads the fields of an item: title; the content (content:encoded
// or Atom content) or else the description or summary, as text; the link
// (an Atom link with rel alternate, or an RSS guid that is a permalink);
// the publication date (or else the update date); the author.
func (it *xmlItem) entry(atom bool) feedEntry {
	e := feedEntry{}
	if len(it.Title) > 0 {
		e.title = collapseSpace(textOf(it.Title[0], atom))
	}
	for _, group := range [][]xmlText{it.Encoded, it.Content, it.Description, it.Summary} {
		for _, t := range group {
			if t.Src != "" {
				continue // Atom content kept elsewhere
			}
			if e.text = textOf(t, atom); e.text != "" {
				break
			}
		}
		if e.text != "" {
			break
		}
	}
	if e.link = itemLink(it); len(e.link) > maxLinkLen {
		e.link = ""
	}
	for _, group := range [][]xmlText{it.GUID, it.ID} {
		if len(group) > 0 {
			e.id = truncate(collapseSpace(group[0].Text), maxIDLen)
			break
		}
	}
	for _, group := range [][]xmlText{it.PubDate, it.Published, it.Date, it.Updated} {
		for _, t := range group {
			if e.posted = parseDate(t.Text); !e.posted.IsZero() {
				break
			}
		}
		if !e.posted.IsZero() {
			break
		}
	}
	var authors []string
	for _, a := range it.Author {
		s := collapseSpace(a.Name)
		if em := collapseSpace(a.Email); em != "" {
			s = strings.TrimSpace(s + " <" + em + ">")
		}
		if s == "" {
			s = collapseSpace(a.Text)
		}
		if s != "" {
			authors = append(authors, s)
		}
	}
	for _, c := range it.Creator {
		if s := collapseSpace(c.Text); s != "" {
			authors = append(authors, s)
		}
	}
	e.author = truncate(strings.Join(authors, ", "), maxFieldSize)
	return e
}

// itemLink returns the link of an item: an RSS <link> text, an Atom link
// with rel "alternate" (or none) preferring HTML, or else an RSS guid that
// is a permalink.
func itemLink(it *xmlItem) string {
	var best string
	for _, l := range it.Links {
		if l.Href == "" {
			if t := strings.TrimSpace(l.Text); t != "" && best == "" {
				best = t
			}
			continue
		}
		if rel := strings.ToLower(strings.TrimSpace(l.Rel)); rel != "" && rel != "alternate" {
			continue
		}
		href := strings.TrimSpace(l.Href)
		if typ := strings.ToLower(l.Type); typ == "" || strings.Contains(typ, "html") {
			return href
		}
		if best == "" {
			best = href
		}
	}
	if best != "" {
		return best
	}
	for _, g := range it.GUID {
		t := strings.TrimSpace(g.Text)
		lt := strings.ToLower(t)
		if !strings.EqualFold(strings.TrimSpace(g.IsPermaLink), "false") &&
			(strings.HasPrefix(lt, "http://") || strings.HasPrefix(lt, "https://")) {
			return t
		}
	}
	return ""
}

// textOf returns the plain text of a feed text element. RSS text is HTML
// (escaped or in CDATA); Atom text is as its type says: "html" (escaped
// HTML), "xhtml" (inline markup), or "text", the default (plain text).
func textOf(t xmlText, atom bool) string {
	typ := strings.ToLower(strings.TrimSpace(t.Type))
	switch {
	case !atom || typ == "html" || typ == "text/html":
		return htmlText(t.Text)
	case typ == "xhtml" || typ == "application/xhtml+xml":
		return htmlText(t.Inner)
	default:
		return plainText(t.Text)
	}
}

// plainText returns plain text s bounded and with its white space tidied
// as htmlText does, keeping its line breaks.
func plainText(s string) string {
	if len(s) > 4*maxFieldSize {
		s = truncate(s, 4*maxFieldSize)
	}
	return fragmentText("<pre>" + html.EscapeString(s) + "</pre>")
}

// entryAd makes an ad of a feed entry: the ad's URL is the entry's link
// (resolved against the feed's URL), or the feed's own canonical URL when
// the entry has no http(s) link; its id key is the link, or else the feed
// URL with the entry's guid, or else with a hash of its title and text.
func (r *run) entryAd(e feedEntry, feedURL *url.URL, feedCanon string) (ad *lurewatch.Ad, hasLink bool) {
	adURL, key := feedCanon, ""
	if e.link != "" {
		if u, err := feedURL.Parse(e.link); err == nil {
			if c, err := canonicalURL(u); err == nil {
				adURL, key, hasLink = c, c, true
			}
		}
	}
	switch {
	case key != "":
	case e.id != "":
		key = feedCanon + "#id=" + e.id
	default:
		h := sha256.Sum256([]byte(e.title + "\x00" + e.text))
		key = feedCanon + "#sha=" + hex.EncodeToString(h[:8])
	}
	return &lurewatch.Ad{
		ID:       lurewatch.AdID(r.p.Name, key),
		URL:      adURL,
		Title:    truncate(e.title, maxFieldSize),
		Text:     e.text,
		Employer: e.author,
		PostedAt: e.posted,
	}, hasLink
}

// readFeed publishes the entries of a feed as ads or, when the profile
// follows links, enqueues each entry's page with the entry to publish if
// the page gives no ad. A feed that does not parse is logged and counted
// (and fails its start URL); the entries read before the error are kept.
func (r *run) readFeed(resp *colly.Response, feedURL *url.URL, canon string, depth int, fetched time.Time) {
	entries, err := parseFeed(resp.Body)
	if err != nil {
		r.readFailed(canon, startKey(resp.Ctx), "feed does not parse", fmt.Errorf("parse feed %s: %w", canon, err))
	}
	if len(entries) == maxFeedEntries {
		r.log.Info("feed has more entries than are read", zap.String("url", canon), zap.Int("max_entries", maxFeedEntries))
	}
	r.log.Debug("feed read", zap.String("url", canon), zap.Int("entries", len(entries)))
	follow := ""
	if r.p.Feed != nil {
		follow = r.p.Feed.Follow
	}
	seen := make(map[string]bool)
	for _, e := range entries {
		ad, hasLink := r.entryAd(e, feedURL, canon)
		if seen[ad.ID] {
			continue
		}
		seen[ad.ID] = true
		ad.FetchedAt = fetched
		if follow != "" && hasLink {
			switch r.enqueue(ad.URL, nil, rolePage, depth+1, false, &pageData{entry: ad}) {
			case enqueueDone, enqueueSeen:
				continue // the page publishes the ad, or the entry if it has none
			}
		}
		if !r.publish(ad, fetched) {
			return
		}
	}
}
