package crawler

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/internal/crawlbench"
)

// nopPublisher counts the ads it is given.
type nopPublisher struct{ n atomic.Int64 }

func (p *nopPublisher) PublishAd(context.Context, *lurewatch.Ad) error {
	p.n.Add(1)
	return nil
}

// benchProfile is the profile of the benchmark site, politeness off: no
// delay, crawlbench.Parallelism requests at once.
func benchProfile(site *crawlbench.Site) *Profile {
	return &Profile{
		Name:        "bench",
		Kind:        KindHTML,
		StartURLs:   []string{site.StartURL},
		Parallelism: crawlbench.Parallelism,
		MaxPages:    MaxPagesLimit,
		HTML: &HTMLSelectors{
			AdLinks:  crawlbench.SelAdLinks,
			NextPage: crawlbench.SelNextPage,
			Ad: AdSelectors{
				Title: crawlbench.SelTitle, Body: crawlbench.SelBody, Employer: crawlbench.SelEmployer,
				Location: crawlbench.SelLocation, Salary: crawlbench.SelSalary, Posted: crawlbench.SelPosted,
				Contact: crawlbench.SelContact,
			},
		},
	}
}

// crawlLurewatch crawls the site once with the lurewatch crawler,
// politeness off for it, and returns the pages it fetched.
func crawlLurewatch(b *testing.B, c *Crawler, site *crawlbench.Site) int {
	pub := &nopPublisher{}
	rec, err := c.Run(context.Background(), benchProfile(site), pub)
	if err != nil {
		b.Fatal(err)
	}
	if rec.Pages != crawlbench.Pages || pub.n.Load() != crawlbench.Ads {
		b.Fatalf("lurewatch crawled %d pages and published %d ads, want %d and %d",
			rec.Pages, pub.n.Load(), crawlbench.Pages, crawlbench.Ads)
	}
	return rec.Pages
}

// BenchmarkCrawl crawls a loopback site of 100 KB pages (listings linking
// to ads, 8 requests at once, no delay) with the lurewatch crawler and
// with bare colly + goquery extracting the same fields, alternating in
// the same run, and reports the pages per second of each and their ratio.
// One op is one crawl of the site by each.
func BenchmarkCrawl(b *testing.B) {
	site := crawlbench.NewSite(b)
	c := New(Options{AllowPrivate: true})
	tr := crawlbench.NewTransport(b)
	// Warm both up (connections, caches) outside the timing.
	crawlLurewatch(b, c, site)
	crawlbench.CrawlColly(b, tr, site)
	b.SetBytes(2 * site.Bytes)
	b.ResetTimer()
	var ours, bare time.Duration
	pages := 0
	for i := range b.N {
		if i%2 == 0 { // alternate the order so neither always runs on a warm machine
			t := time.Now()
			pages += crawlLurewatch(b, c, site)
			ours += time.Since(t)
			t = time.Now()
			crawlbench.CrawlColly(b, tr, site)
			bare += time.Since(t)
		} else {
			t := time.Now()
			crawlbench.CrawlColly(b, tr, site)
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
	site := crawlbench.NewSite(b)
	c := New(Options{AllowPrivate: true})
	crawlLurewatch(b, c, site)
	b.SetBytes(site.Bytes)
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
	site := crawlbench.NewSite(b)
	tr := crawlbench.NewTransport(b)
	crawlbench.CrawlColly(b, tr, site)
	b.SetBytes(site.Bytes)
	b.ResetTimer()
	pages := 0
	for range b.N {
		pages += crawlbench.CrawlColly(b, tr, site)
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
