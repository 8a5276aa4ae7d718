package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var sitemapRoutes = map[string]string{
	"/sitemap_index.xml":      "sitemap/index.xml",
	"/sitemap-jobs.xml":       "sitemap/jobs.xml",
	"/sitemap-more.xml.gz":    "sitemap/more.xml.gz",
	"/sitemap-archive.xml":    "sitemap/archive.xml",
	"/sitemap-broken.xml":     "sitemap/broken.xml",
	"/sitemap-board.xml":      "sitemap/board.xml",
	"/board.xml.gz":           "sitemap/board.xml", // a .gz name, plain XML inside
	"/index-with-broken":      "sitemap/index-broken.xml",
	"/single":                 "jsonld/single.html",
	"/array":                  "jsonld/array.html",
	"/graph":                  "jsonld/graph.html",
	"/two-blocks":             "jsonld/two-blocks.html",
	"/malformed":              "jsonld/malformed.html",
	"/about":                  "feed/plain.html",
	"/jobs/101":               "html/ad101.html",
	"/jobs/102":               "html/ad102.html",
	"/jobs/103":               "html/ad103.html",
	"/sitemap-jobs-again.xml": "sitemap/jobs.xml",
}

// sitemapNow is the time sitemap tests run at: with max_age 30 days,
// lastmod before 2025-04-01 is old.
var sitemapNow = time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)

func sitemapProfile(site *testSite, start string) *Profile {
	return &Profile{
		Name: "careers-sitemap", Kind: KindSitemap, StartURLs: []string{site.URL + start}, MaxPages: 50,
		Sitemap: &SitemapOptions{MaxAge: 30 * 24 * time.Hour, Match: `/(single|array|graph|two-blocks|malformed)$`},
	}
}

func sitemapCrawler(t *testing.T, opts Options) *Crawler {
	t.Helper()
	c, _ := testCrawler(t, opts)
	c.now = func() time.Time { return sitemapNow }
	return c
}

func TestRunSitemapIndex(t *testing.T) {
	site := newSite(t, sitemapRoutes, "")
	c := sitemapCrawler(t, Options{AllowPrivate: true})
	p := sitemapProfile(site, "/sitemap_index.xml")
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkAds(t, site, p, pub.published(), jsonldAds("/single", "/array#id=GT-7", "/array#2", "/two-blocks#id=R-1", "/two-blocks#2"))
	// The index, two sitemaps (one gzipped), three pages. The archive
	// sitemap and /graph were last modified before max_age; /about does
	// not match.
	if rec.Status != StatusOK || rec.Pages != 6 || rec.Ads != 5 || rec.Errors != 0 {
		t.Errorf("run record %+v, want ok, 6 pages, 5 ads, 0 errors", rec)
	}
	for uri, want := range map[string]int{
		"/sitemap-jobs.xml": 1, "/sitemap-more.xml.gz": 1, "/sitemap-archive.xml": 0,
		"/single": 1, "/array": 1, "/two-blocks": 1, "/graph": 0, "/about": 0, "/malformed": 0,
	} {
		if n := site.hitCount(uri); n != want {
			t.Errorf("%s requested %d times, want %d", uri, n, want)
		}
	}

	// Without max_age every entry is read.
	site2 := newSite(t, sitemapRoutes, "")
	p2 := sitemapProfile(site2, "/sitemap_index.xml")
	p2.Sitemap.MaxAge = 0
	if _, err := c.Run(context.Background(), p2, &memPublisher{}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	for _, uri := range []string{"/sitemap-archive.xml", "/graph", "/malformed"} {
		if n := site2.hitCount(uri); n != 1 {
			t.Errorf("without max_age, %s requested %d times, want 1", uri, n)
		}
	}
}

func TestRunSitemapMaxPages(t *testing.T) {
	site := newSite(t, sitemapRoutes, "")
	c := sitemapCrawler(t, Options{AllowPrivate: true})
	p := sitemapProfile(site, "/sitemap_index.xml")
	p.MaxPages = 3
	rec, err := c.Run(context.Background(), p, &memPublisher{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := site.pageHits(); n != 3 || rec.Pages != 3 || rec.Ads != 0 {
		t.Errorf("%d pages requested, run record %+v; want 3 pages (the index and its 2 fresh sitemaps), no ads", n, rec)
	}
}

func TestRunSitemapHTMLSelectors(t *testing.T) {
	c := sitemapCrawler(t, Options{AllowPrivate: true})
	for _, start := range []string{"/sitemap-board.xml", "/board.xml.gz"} {
		site := newSite(t, sitemapRoutes, "")
		p := &Profile{
			Name: "demo-board", Kind: KindSitemap, StartURLs: []string{site.URL + start},
			HTML: &HTMLSelectors{Ad: htmlProfile(site).HTML.Ad},
		}
		pub := &memPublisher{}
		if _, err := c.Run(context.Background(), p, pub); err != nil {
			t.Fatalf("Run %s: %v", start, err)
		}
		checkAds(t, site, p, pub.published(), htmlWant)
	}
}

func TestRunSitemapMalformed(t *testing.T) {
	site := newSite(t, sitemapRoutes, "")
	c := sitemapCrawler(t, Options{AllowPrivate: true})

	// A malformed start sitemap fails the run and names its URL; the
	// entries before the error are still read.
	p := sitemapProfile(site, "/sitemap-broken.xml")
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err == nil || !strings.Contains(err.Error(), "parse sitemap "+site.URL+"/sitemap-broken.xml") {
		t.Fatalf("Run error %v, want a parse error naming the sitemap's URL", err)
	}
	if rec.Status != StatusFailed || rec.Errors != 1 || rec.Ads != 1 {
		t.Errorf("run record %+v, want failed with 1 error and the 1 ad before the error", rec)
	}

	// A malformed sitemap of an index is logged and counted; the others
	// are read.
	site2 := newSite(t, sitemapRoutes, "")
	c2, logs := testCrawler(t, Options{AllowPrivate: true})
	p2 := sitemapProfile(site2, "/index-with-broken")
	p2.Sitemap.MaxAge = 0
	rec, err = c2.Run(context.Background(), p2, &memPublisher{})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	// /single (before the error in the broken sitemap), then /graph and
	// /array (2 postings) from the other.
	if rec.Status != StatusOK || rec.Errors != 1 || rec.Ads != 4 || rec.Pages != 6 {
		t.Errorf("run record %+v, want ok with 6 pages, 1 error and 4 ads", rec)
	}
	if e := logs.FilterMessage("sitemap does not parse").All(); len(e) != 1 || !strings.Contains(e[0].ContextMap()["url"].(string), "/sitemap-broken.xml") {
		t.Errorf("malformed sitemap not logged once with its URL: %v", e)
	}

	// Not a sitemap at all.
	site3 := newSite(t, sitemapRoutes, "")
	_, err = c.Run(context.Background(), sitemapProfile(site3, "/single"), &memPublisher{})
	if !errors.Is(err, errNotSitemap) {
		t.Errorf("Run error %v, want errNotSitemap", err)
	}
}

// A gzipped sitemap that inflates past the body size limit is cut and
// reported, never inflated in memory (colly would inflate it unbounded).
func TestRunSitemapGzipBomb(t *testing.T) {
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	_, _ = zw.Write([]byte(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`))
	_, _ = zw.Write(bytes.Repeat([]byte(" "), 16<<20))
	_ = zw.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sitemap.xml.gz":
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write(bomb.Bytes())
		case "/sitemap":
			w.Header().Set("Content-Type", "application/x-gzip") // colly inflates by Content-Type too
			_, _ = w.Write(bomb.Bytes())
		case "/sitemap.xml":
			w.Header().Set("Content-Type", "application/xml")
			w.Header().Set("Content-Encoding", "gzip") // inflated by net/http, within the limit
			_, _ = w.Write(bomb.Bytes())
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	for _, path := range []string{"/sitemap.xml.gz", "/sitemap", "/sitemap.xml"} {
		c, _ := testCrawler(t, Options{AllowPrivate: true, MaxBodySize: 1 << 20})
		p := &Profile{Name: "bomb", Kind: KindSitemap, StartURLs: []string{srv.URL + path}}
		_, err := c.Run(context.Background(), p, &memPublisher{})
		if !errors.Is(err, errBodyTooLarge) && (err == nil || !strings.Contains(err.Error(), "too large")) {
			t.Errorf("%s: Run error %v, want body too large", path, err)
		}
	}
}

func TestParseSitemap(t *testing.T) {
	doc, err := parseSitemap([]byte(`<?xml version="1.0"?><urlset><url><loc> https://a.example.invalid/1 </loc><lastmod>2025-04</lastmod></url>` +
		`<url><loc>https://a.example.invalid/` + strings.Repeat("x", maxLocLen) + `</loc></url>` +
		`<url><loc>https://a.example.invalid/2</loc><lastmod>2025-04-02T10:30+02:00</lastmod></url></urlset>`))
	if err != nil {
		t.Fatal(err)
	}
	want := []sitemapEntry{
		{loc: "https://a.example.invalid/1"},
		{loc: "https://a.example.invalid/2", lastmod: time.Date(2025, 4, 2, 8, 30, 0, 0, time.UTC)},
	}
	if doc.index || len(doc.entries) != 2 || doc.entries[0] != want[0] || !doc.entries[1].lastmod.Equal(want[1].lastmod) {
		t.Errorf("got %+v, want %+v", doc, want)
	}
	for _, bad := range []string{"", "<html/>", "<urlset><url><loc>x</loc>", "<sitemapindex><sitemap><loc>&x;</loc></sitemap></sitemapindex>"} {
		if _, err := parseSitemap([]byte(bad)); err == nil {
			t.Errorf("parseSitemap(%q): no error", bad)
		}
	}
	for _, notSitemap := range []string{"", "<html/>", "<rss><channel/></rss>"} {
		if _, err := parseSitemap([]byte(notSitemap)); !errors.Is(err, errNotSitemap) {
			t.Errorf("parseSitemap(%q) = %v, want errNotSitemap", notSitemap, err)
		}
	}
	// What was read before malformed XML is kept, and an index says so.
	doc, err = parseSitemap([]byte(`<sitemapindex><sitemap><loc>https://a.example.invalid/s1.xml</loc></sitemap><sitemap><loc>`))
	if err == nil || errors.Is(err, errNotSitemap) || !doc.index || len(doc.entries) != 1 || doc.entries[0].loc != "https://a.example.invalid/s1.xml" {
		t.Errorf("truncated index: got %+v, %v; want its one entry, index set, and an XML error", doc, err)
	}
	var b strings.Builder
	b.WriteString("<urlset>")
	for range maxSitemapEntries + 5 {
		b.WriteString("<url><loc>https://a.example.invalid/</loc></url>")
	}
	b.WriteString("</urlset>")
	if doc, err := parseSitemap([]byte(b.String())); err != nil || len(doc.entries) != maxSitemapEntries {
		t.Errorf("%d entries, %v; want the cap %d", len(doc.entries), err, maxSitemapEntries)
	}
}

func FuzzParseSitemap(f *testing.F) {
	for _, name := range []string{"index.xml", "jobs.xml", "broken.xml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "sitemap", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, _ := parseSitemap(data)
		if len(doc.entries) > maxSitemapEntries {
			t.Errorf("%d entries over the cap", len(doc.entries))
		}
		for _, e := range doc.entries {
			if e.loc == "" || len(e.loc) > maxLocLen {
				t.Errorf("bad loc %q", e.loc)
			}
		}
	})
}
