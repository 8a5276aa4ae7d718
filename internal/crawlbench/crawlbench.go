// Package crawlbench is what the crawler benchmarks share: a loopback job
// site of pages of about 100 KB, the selectors that read its ads, and the
// baseline the lurewatch crawler is measured against, bare colly + goquery
// extracting the same fields. Only benchmarks import it.
package crawlbench

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"
)

// The site: Listings listing pages in a chain (each links to the next),
// each linking to AdsPerListing ad pages; every page is about PageSize
// bytes, most of it the ad's description (or a listing's blurb).
const (
	Listings      = 20
	AdsPerListing = 10
	Ads           = Listings * AdsPerListing
	Pages         = Listings + Ads
	PageSize      = 100 << 10
	// Parallelism is how many requests both crawlers have in flight.
	Parallelism = 8
)

// Selectors of the site, for a lurewatch profile of kind html; the bare
// colly crawler reads the same elements.
const (
	SelAdLinks  = "a.job-link"
	SelNextPage = "a.next"
	SelTitle    = "h1.job-title"
	SelBody     = "div.job-description"
	SelEmployer = ".employer"
	SelLocation = ".location"
	SelSalary   = ".salary"
	SelPosted   = "time.posted"
	SelContact  = ".contact"
)

// Site serves the benchmark site from memory on loopback. StartURL is its
// first listing; Bytes the size of all its pages.
type Site struct {
	*httptest.Server
	StartURL string
	Bytes    int64
	pages    map[string][]byte
}

// NewSite builds the site and starts serving it; it stops when the test
// or benchmark ends. robots.txt is not found (everything allowed).
func NewSite(tb testing.TB) *Site {
	tb.Helper()
	s := &Site{pages: make(map[string][]byte)}
	para := "<p>Easy work in a friendly team, no experience needed. Free flight ticket, visa and accommodation. " +
		"Salary paid monthly in cash, contract of one year with the possibility of extension.</p>\n"
	pad := func(sb *strings.Builder) {
		for sb.Len() < PageSize-200 {
			sb.WriteString(para)
		}
	}
	for l := 1; l <= Listings; l++ {
		var sb strings.Builder
		sb.WriteString("<!DOCTYPE html><html><head><title>Jobs</title></head><body><ul>\n")
		for a := 1; a <= AdsPerListing; a++ {
			fmt.Fprintf(&sb, "<li><a class=\"job-link\" href=\"/jobs/%d\">Job %d</a></li>\n", l*100+a, a)
		}
		sb.WriteString("</ul>\n")
		if l < Listings {
			fmt.Fprintf(&sb, "<a class=\"next\" href=\"/list/%d\">next</a>\n", l+1)
		}
		sb.WriteString("<div class=\"blurb\">")
		pad(&sb)
		sb.WriteString("</div></body></html>")
		s.pages[fmt.Sprintf("/list/%d", l)] = []byte(sb.String())
		for a := 1; a <= AdsPerListing; a++ {
			var ab strings.Builder
			id := l*100 + a
			fmt.Fprintf(&ab, "<!DOCTYPE html><html><head><title>Job %d</title></head><body>\n"+
				"<h1 class=\"job-title\">Customer service agent %d</h1>\n"+
				"<span class=\"employer\">Fictional Trading Co.</span><span class=\"location\">Sihanoukville</span>\n"+
				"<span class=\"salary\">USD 1,500 / month</span><time class=\"posted\" datetime=\"2025-03-14\">14 March</time>\n"+
				"<div class=\"contact\">Telegram: <a href=\"https://t.me/hr_%d\">@hr_%d</a></div>\n"+
				"<div class=\"job-description\">", id, id, id, id)
			pad(&ab)
			ab.WriteString("</div></body></html>")
			s.pages[fmt.Sprintf("/jobs/%d", id)] = []byte(ab.String())
		}
	}
	for _, p := range s.pages {
		s.Bytes += int64(len(p))
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(p)
	}))
	s.StartURL = s.URL + "/list/1"
	tb.Cleanup(s.Close)
	return s
}

// NewTransport returns a keep-alive transport for the bare colly crawler,
// pooling as many connections per host as the lurewatch crawler does.
func NewTransport(tb testing.TB) *http.Transport {
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 16, IdleConnTimeout: 90 * time.Second}
	tb.Cleanup(tr.CloseIdleConnections)
	return tr
}

// ad is what bare colly extracts from an ad page: the fields the
// lurewatch crawler reads with the same selectors.
type ad struct {
	url, title, text, employer, location, salary, posted, contact string
}

// requestTimeout bounds each request of the bare colly crawler, as the
// lurewatch crawler's default bounds each of its own: colly's own default
// (10s) drops pages when the machine is busy with other work.
const requestTimeout = 30 * time.Second

// CrawlColly crawls the site once with bare colly (async, Parallelism
// requests at once, no delay, no robots.txt) and goquery, extracting every
// ad's fields, and returns the pages it fetched. It fails tb unless every
// page was fetched and every ad read.
func CrawlColly(tb testing.TB, tr http.RoundTripper, site *Site) int {
	col := colly.NewCollector(colly.Async(true))
	col.WithTransport(tr)
	col.SetRequestTimeout(requestTimeout)
	col.MaxBodySize = 0
	if err := col.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: Parallelism}); err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	var ads []ad
	var errs []error
	var pages atomic.Int64
	col.OnError(func(r *colly.Response, err error) {
		mu.Lock()
		errs = append(errs, fmt.Errorf("%s: %w", r.Request.URL, err))
		mu.Unlock()
	})
	col.OnResponse(func(r *colly.Response) {
		pages.Add(1)
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(r.Body)))
		if err != nil {
			return
		}
		if strings.HasPrefix(r.Request.URL.Path, "/jobs/") {
			a := ad{
				url:      r.Request.URL.String(),
				title:    strings.TrimSpace(doc.Find(SelTitle).Text()),
				text:     strings.TrimSpace(doc.Find(SelBody).Text()),
				employer: doc.Find(SelEmployer).Text(),
				location: doc.Find(SelLocation).Text(),
				salary:   doc.Find(SelSalary).Text(),
				posted:   doc.Find(SelPosted).AttrOr("datetime", ""),
				contact:  doc.Find(SelContact).Text() + " " + doc.Find(SelContact+" a").AttrOr("href", ""),
			}
			mu.Lock()
			ads = append(ads, a)
			mu.Unlock()
			return
		}
		doc.Find(SelAdLinks + ", " + SelNextPage).Each(func(_ int, s *goquery.Selection) {
			if href, ok := s.Attr("href"); ok {
				_ = r.Request.Visit(href)
			}
		})
	})
	if err := col.Visit(site.StartURL); err != nil {
		tb.Fatal(err)
	}
	col.Wait()
	if int(pages.Load()) != Pages || len(ads) != Ads {
		tb.Fatalf("colly crawled %d pages and extracted %d ads, want %d and %d; errors: %v",
			pages.Load(), len(ads), Pages, Ads, errs)
	}
	return int(pages.Load())
}
