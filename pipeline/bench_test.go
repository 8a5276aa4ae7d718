package pipeline

import (
	"context"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/internal/crawlbench"
	"github.com/lurewatch/lurewatch/queue"
)

// crawlSpan is the wall and CPU time spent in one side of the benchmark;
// cpu stays zero where crawlbench.CPUTime cannot read it.
type crawlSpan struct{ wall, cpu time.Duration }

// measure adds the wall and CPU time of f to s.
func (s *crawlSpan) measure(f func()) {
	wall := time.Now()
	cpu, _ := crawlbench.CPUTime()
	f()
	s.wall += time.Since(wall)
	after, _ := crawlbench.CPUTime()
	s.cpu += after - cpu
}

// crawlToJetStream crawls the site once with the lurewatch crawler,
// publishing every ad to q and waiting for its ack, and fails b unless
// every page was fetched and every ad published.
func crawlToJetStream(b *testing.B, c *crawler.Crawler, p *crawler.Profile, q *queue.Queue) {
	run, err := c.Run(context.Background(), p, q)
	if err != nil || run.Pages != crawlbench.Pages || run.Ads != crawlbench.Ads {
		b.Fatalf("crawl to JetStream: %d pages, %d ads (want %d and %d): %v",
			run.Pages, run.Ads, crawlbench.Pages, crawlbench.Ads, err)
	}
}

// openQueue opens a fresh embedded JetStream in a new temporary directory.
func openQueue(b *testing.B) *queue.Queue {
	q, err := queue.Open(context.Background(), queue.Options{DataDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	return q
}

// BenchmarkCrawlToJetStream is the crawler benchmark of issue 4: a
// loopback site of 100 KB pages (crawlbench, 20 listings and 200 ads with
// about 64 KB of text each), politeness off for it, crawled in the same
// run by bare colly + goquery extracting the same fields and by the
// lurewatch crawler publishing every ad to a fresh embedded JetStream
// (file store, message ids, every ad acked before it counts; the server is
// started and stopped outside the timing; the crawler has its default
// options: robots.txt, canonical URLs, content hashes, no crawl state and
// no evidence kept). Each op crawls the site once
// with each, in alternating order so that machine noise hits both. It
// reports the pages per second of each, their ratio, and the CPU time per
// page of each side (the whole process: site, crawler, NATS server).
func BenchmarkCrawlToJetStream(b *testing.B) {
	site := crawlbench.NewSite(b)
	tr := crawlbench.NewTransport(b)
	profile := &crawler.Profile{
		Name: "bench", Kind: crawler.KindHTML, StartURLs: []string{site.StartURL},
		Parallelism: crawlbench.Parallelism, MaxPages: crawler.MaxPagesLimit,
		HTML: &crawler.HTMLSelectors{
			AdLinks: crawlbench.SelAdLinks, NextPage: crawlbench.SelNextPage,
			Ad: crawler.AdSelectors{
				Title: crawlbench.SelTitle, Body: crawlbench.SelBody, Employer: crawlbench.SelEmployer,
				Location: crawlbench.SelLocation, Salary: crawlbench.SelSalary, Posted: crawlbench.SelPosted,
				Contact: crawlbench.SelContact,
			},
		},
	}
	c := crawler.New(crawler.Options{AllowPrivate: true, UserAgent: "lurewatch-bench"})
	// Warm both up (connections, robots.txt, caches) outside the timing.
	q := openQueue(b)
	crawlToJetStream(b, c, profile, q)
	if err := q.Close(); err != nil {
		b.Fatal(err)
	}
	crawlbench.CrawlColly(b, tr, site)

	b.SetBytes(2 * site.Bytes) // each op crawls the site twice
	var js, bare crawlSpan
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		q := openQueue(b)
		b.StartTimer()
		ours := func() { crawlToJetStream(b, c, profile, q) }
		colly := func() { crawlbench.CrawlColly(b, tr, site) }
		if i%2 == 0 {
			js.measure(ours)
			bare.measure(colly)
		} else {
			bare.measure(colly)
			js.measure(ours)
		}
		b.StopTimer()
		if err := q.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	pages := float64(crawlbench.Pages * b.N)
	jsRate, bareRate := pages/js.wall.Seconds(), pages/bare.wall.Seconds()
	b.ReportMetric(jsRate, "jetstream_pages/s")
	b.ReportMetric(bareRate, "colly_pages/s")
	b.ReportMetric(jsRate/bareRate, "ratio")
	if _, ok := crawlbench.CPUTime(); ok {
		b.ReportMetric(float64(js.cpu.Microseconds())/pages, "jetstream_cpu_us/page")
		b.ReportMetric(float64(bare.cpu.Microseconds())/pages, "colly_cpu_us/page")
	}
}
