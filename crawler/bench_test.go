package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/lurewatch/lurewatch"
)

// The benchmark site: benchListings listing pages in a chain, each
// linking to benchAdsPerListing ad pages; every page is about
// benchPageSize bytes.
const (
	benchListings      = 20
	benchAdsPerListing = 10
	benchPages         = benchListings * (1 + benchAdsPerListing)
	benchPageSize      = 100 << 10
	benchParallelism   = 8
)

// benchSite serves the benchmark site from memory on loopback.
type benchSite struct {
	*httptest.Server
	bytes int64 // the size of all pages
	pages map[string][]byte
}

func newBenchSite(b *testing.B) *benchSite {
	b.Helper()
	s := &benchSite{pages: make(map[string][]byte)}
	para := "<p>Easy work in a friendly team, no experience needed. Free flight ticket, visa and accommodation. " +
		"Salary paid monthly in cash, contract of one year with the possibility of extension.</p>\n"
	pad := func(sb *strings.Builder) {
		for sb.Len() < benchPageSize-200 {
			sb.WriteString(para)
		}
	}
	for l := 1; l <= benchListings; l++ {
		var sb strings.Builder
		sb.WriteString("<!DOCTYPE html><html><head><title>Jobs</title></head><body><ul>\n")
		for a := 1; a <= benchAdsPerListing; a++ {
			fmt.Fprintf(&sb, "<li><a class=\"job-link\" href=\"/jobs/%d\">Job %d</a></li>\n", l*100+a, a)
		}
		sb.WriteString("</ul>\n")
		if l < benchListings {
			fmt.Fprintf(&sb, "<a class=\"next\" href=\"/list/%d\">next</a>\n", l+1)
		}
		sb.WriteString("<div class=\"blurb\">")
		pad(&sb)
		sb.WriteString("</div></body></html>")
		s.pages[fmt.Sprintf("/list/%d", l)] = []byte(sb.String())
		for a := 1; a <= benchAdsPerListing; a++ {
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
		s.bytes += int64(len(p))
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
	b.Cleanup(s.Close)
	return s
}

// nopPublisher counts the ads it is given.
type nopPublisher struct{ n atomic.Int64 }

func (p *nopPublisher) PublishAd(context.Context, *lurewatch.Ad) error {
	p.n.Add(1)
	return nil
}

// crawlLurewatch crawls the site once with the lurewatch crawler,
// politeness off for it, and returns the pages it fetched.
func crawlLurewatch(b *testing.B, c *Crawler, site *benchSite) int {
	p := &Profile{
		Name:        "bench",
		Kind:        KindHTML,
		StartURLs:   []string{site.URL + "/list/1"},
		Parallelism: benchParallelism,
		MaxPages:    MaxPagesLimit,
		HTML: &HTMLSelectors{
			AdLinks:  "a.job-link",
			NextPage: "a.next",
			Ad: AdSelectors{
				Title: "h1.job-title", Body: "div.job-description", Employer: ".employer",
				Location: ".location", Salary: ".salary", Posted: "time.posted", Contact: ".contact",
			},
		},
	}
	pub := &nopPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		b.Fatal(err)
	}
	if rec.Pages != benchPages || pub.n.Load() != benchListings*benchAdsPerListing {
		b.Fatalf("lurewatch crawled %d pages and published %d ads, want %d and %d",
			rec.Pages, pub.n.Load(), benchPages, benchListings*benchAdsPerListing)
	}
	return rec.Pages
}

// benchAd is what bare colly extracts from an ad page: the same fields.
type benchAd struct {
	url, title, text, employer, location, salary, posted, contact string
}

// crawlColly crawls the site once with bare colly and goquery, extracting
// the same fields, and returns the pages it fetched.
func crawlColly(b *testing.B, tr http.RoundTripper, site *benchSite) int {
	col := colly.NewCollector(colly.Async(true))
	col.WithTransport(tr)
	col.MaxBodySize = 0
	if err := col.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: benchParallelism}); err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var ads []benchAd
	var pages atomic.Int64
	col.OnResponse(func(r *colly.Response) {
		pages.Add(1)
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(r.Body)))
		if err != nil {
			return
		}
		if strings.HasPrefix(r.Request.URL.Path, "/jobs/") {
			ad := benchAd{
				url:      r.Request.URL.String(),
				title:    strings.TrimSpace(doc.Find("h1.job-title").Text()),
				text:     strings.TrimSpace(doc.Find("div.job-description").Text()),
				employer: doc.Find(".employer").Text(),
				location: doc.Find(".location").Text(),
				salary:   doc.Find(".salary").Text(),
				posted:   doc.Find("time.posted").AttrOr("datetime", ""),
				contact:  doc.Find(".contact").Text() + " " + doc.Find(".contact a").AttrOr("href", ""),
			}
			mu.Lock()
			ads = append(ads, ad)
			mu.Unlock()
			return
		}
		doc.Find("a.job-link, a.next").Each(func(_ int, s *goquery.Selection) {
			if href, ok := s.Attr("href"); ok {
				_ = r.Request.Visit(href)
			}
		})
	})
	if err := col.Visit(site.URL + "/list/1"); err != nil {
		b.Fatal(err)
	}
	col.Wait()
	if int(pages.Load()) != benchPages || len(ads) != benchListings*benchAdsPerListing {
		b.Fatalf("colly crawled %d pages and extracted %d ads, want %d and %d",
			pages.Load(), len(ads), benchPages, benchListings*benchAdsPerListing)
	}
	return int(pages.Load())
}

// BenchmarkCrawl crawls a loopback site of 100 KB pages (listings linking
// to ads, 8 requests at once, no delay) with the lurewatch crawler and
// with bare colly + goquery extracting the same fields, alternating in
// the same run, and reports the pages per second of each and their ratio.
// One op is one crawl of the site by each.
func BenchmarkCrawl(b *testing.B) {
	site := newBenchSite(b)
	c := New(Options{AllowPrivate: true})
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 16, IdleConnTimeout: 90 * time.Second}
	b.Cleanup(tr.CloseIdleConnections)
	// Warm both up (connections, caches) outside the timing.
	crawlLurewatch(b, c, site)
	crawlColly(b, tr, site)
	b.SetBytes(2 * site.bytes)
	b.ResetTimer()
	var ours, bare time.Duration
	pages := 0
	for i := range b.N {
		if i%2 == 0 { // alternate the order so neither always runs on a warm machine
			t := time.Now()
			pages += crawlLurewatch(b, c, site)
			ours += time.Since(t)
			t = time.Now()
			crawlColly(b, tr, site)
			bare += time.Since(t)
		} else {
			t := time.Now()
			crawlColly(b, tr, site)
			bare += time.Since(t)
			t = time.Now()
			pages += crawlLurewatch(b, c, site)
			ours += time.Since(t)
		}
	}
	b.StopTimer()
	oursRate := float64(pages) / ours.Seconds()
	bareRate := float64(pages) / bare.Seconds()
	b.ReportMetric(oursRate, "lurewatch_pages/s")
	b.ReportMetric(bareRate, "colly_pages/s")
	b.ReportMetric(oursRate/bareRate, "ratio")
}

// BenchmarkCrawlLurewatch is the lurewatch crawler alone on the
// benchmark site, for profiling.
func BenchmarkCrawlLurewatch(b *testing.B) {
	site := newBenchSite(b)
	c := New(Options{AllowPrivate: true})
	crawlLurewatch(b, c, site)
	b.SetBytes(site.bytes)
	b.ResetTimer()
	pages := 0
	for range b.N {
		pages += crawlLurewatch(b, c, site)
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkCrawlColly is bare colly + goquery alone on the benchmark
// site.
func BenchmarkCrawlColly(b *testing.B) {
	site := newBenchSite(b)
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 16, IdleConnTimeout: 90 * time.Second}
	b.Cleanup(tr.CloseIdleConnections)
	crawlColly(b, tr, site)
	b.SetBytes(site.bytes)
	b.ResetTimer()
	pages := 0
	for range b.N {
		pages += crawlColly(b, tr, site)
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
}

// heapInUse returns the bytes of heap and goroutine stacks in use after a
// collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

// benchPending is how many URLs BenchmarkPendingURLMemory queues.
const benchPending = 200_000

// BenchmarkPendingURLMemory measures what the crawler's frontier costs per
// pending URL: one host whose only request slot is taken by a page that
// does not answer, then benchPending links enqueued behind it. The metric
// is the growth of heap and goroutine stacks per queued URL (the dedup
// set included).
func BenchmarkPendingURLMemory(b *testing.B) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/block" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	defer close(release)
	c := New(Options{AllowPrivate: true, MaxPagesPerHost: 1 << 30})
	var perURL float64
	for range b.N {
		p := (&Profile{
			Name: "pending", Kind: KindHTML, StartURLs: []string{srv.URL + "/block"},
			HTML: &HTMLSelectors{AdLinks: "a", Ad: AdSelectors{Title: "h1"}},
		}).withDefaults()
		p.MaxPages = 1 << 30
		p.Parallelism = 1
		ctx, cancel := context.WithCancel(context.Background())
		r := c.newRun(ctx, p, &nopPublisher{})
		r.enqueue(srv.URL+"/block", nil, roleListing, 0, true, nil)
		links := make([]string, benchPending)
		for i := range links {
			links[i] = fmt.Sprintf("/jobs/%d?ref=listing-%d", 1_000_000+i, i%50)
		}
		base := r.p.StartURLs[0]
		bu, _ := url.Parse(base)
		before := heapInUse()
		for _, l := range links {
			r.enqueue(l, bu, roleAd, 1, false, nil)
		}
		after := heapInUse()
		perURL = float64(int64(after)-int64(before)) / benchPending
		cancel()
		r.col.Wait()
		runtime.KeepAlive(links)
	}
	b.ReportMetric(perURL, "bytes/pending_url")
}
