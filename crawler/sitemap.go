package crawler

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/gocolly/colly/v2"
	"go.uber.org/zap"
)

const (
	// maxSitemapEntries bounds the entries read from one sitemap: the
	// sitemaps.org protocol allows 50,000 per file.
	maxSitemapEntries = 50_000
	// maxLocLen bounds a sitemap <loc>: the protocol allows 2,048
	// characters.
	maxLocLen = 2048
)

// errNotSitemap marks an XML document that is not a sitemap.
var errNotSitemap = errors.New("not a sitemap")

// sitemapEntry is one <url> of a urlset or one <sitemap> of an index.
type sitemapEntry struct {
	loc     string
	lastmod time.Time // zero when absent or not understood
}

// sitemapDoc is a parsed sitemap: page entries (a urlset) or sitemap
// entries (an index).
type sitemapDoc struct {
	index   bool
	entries []sitemapEntry
}

// xmlLoc is a <url> or <sitemap> element.
type xmlLoc struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod"`
}

// parseSitemap reads a sitemap (urlset) or sitemap index, at most
// maxSitemapEntries entries; entries with an empty or overlong loc are
// skipped. On malformed XML it returns the entries read before the error,
// and the error; a document whose root is not urlset or sitemapindex is an
// error wrapping errNotSitemap.
func parseSitemap(body []byte) (sitemapDoc, error) {
	var doc sitemapDoc
	root, err := decodeRecords(body, errNotSitemap, sitemapRecords, func(_ string, d *xml.Decoder, se *xml.StartElement) (bool, error) {
		var l xmlLoc
		if err := d.DecodeElement(&l, se); err != nil {
			return false, err
		}
		if loc := strings.TrimSpace(l.Loc); loc != "" && len(loc) <= maxLocLen {
			doc.entries = append(doc.entries, sitemapEntry{loc: loc, lastmod: parseDate(l.Lastmod)})
		}
		return len(doc.entries) < maxSitemapEntries, nil
	})
	doc.index = root == "sitemapindex"
	return doc, err
}

// sitemapRecords names, for each root element of a sitemap, the element of
// one entry.
var sitemapRecords = map[string]string{"urlset": "url", "sitemapindex": "sitemap"}

// readSitemap enqueues the sitemaps of an index or the pages of a urlset,
// skipping those whose lastmod is before r.since and pages that do not
// match the profile's pattern, until the page budget is spent. A sitemap
// that does not parse is logged and counted (and fails its start URL);
// the entries read before the error are kept.
func (r *run) readSitemap(resp *colly.Response, pageURL *url.URL, canon string, depth int) {
	doc, err := parseSitemap(resp.Body)
	if err != nil {
		r.readFailed(canon, startKey(resp.Ctx), "sitemap does not parse", fmt.Errorf("parse sitemap %s: %w", canon, err))
	}
	role := rolePage
	if doc.index {
		role = roleSitemap
	}
	var old, unmatched, queued int
	for _, e := range doc.entries {
		if r.ctx.Err() != nil {
			return
		}
		if r.reserved.Load() >= int64(r.p.MaxPages) {
			if !r.maxLogged.Swap(true) {
				r.log.Info("max pages reached; further pages skipped", zap.Int("max_pages", r.p.MaxPages))
			}
			break
		}
		if (!r.since.IsZero() && !e.lastmod.IsZero() && e.lastmod.Before(r.since)) ||
			(!doc.index && r.fetchedSince(e.loc, pageURL, e.lastmod)) {
			old++
			continue
		}
		if !doc.index && r.match != nil && !r.match.MatchString(e.loc) {
			unmatched++
			continue
		}
		if r.enqueue(e.loc, pageURL, role, depth+1, false, nil) == enqueueDone {
			queued++
		}
	}
	r.log.Info("sitemap read", zap.String("url", canon), zap.Bool("index", doc.index),
		zap.Int("entries", len(doc.entries)), zap.Int("queued", queued),
		zap.Int("skipped_not_modified", old), zap.Int("skipped_unmatched", unmatched))
}
