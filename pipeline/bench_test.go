package pipeline

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/queue"
)

// benchSite serves listings × adsPer pages of about 100 KB each on loopback:
// the crawler benchmark's site, here to measure the crawler publishing to
// JetStream, which the crawler package itself cannot import.
func benchSite(b *testing.B, listings, adsPer int) (*httptest.Server, int, int64) {
	b.Helper()
	pages := map[string][]byte{}
	para := "<p>Easy work in a friendly team, no experience needed. Free flight ticket and accommodation. " +
		"Salary paid monthly, contract of one year.</p>\n"
	pad := func(sb *strings.Builder) {
		for sb.Len() < 100<<10 {
			sb.WriteString(para)
		}
	}
	for l := 1; l <= listings; l++ {
		var sb strings.Builder
		sb.WriteString("<!DOCTYPE html><html><body><ul>\n")
		for a := 1; a <= adsPer; a++ {
			fmt.Fprintf(&sb, "<li><a class=\"job-link\" href=\"/jobs/%d\">Job</a></li>\n", l*1000+a)
		}
		if l < listings {
			fmt.Fprintf(&sb, "</ul><a class=\"next\" href=\"/list/%d\">next</a>\n", l+1)
		}
		pad(&sb)
		pages[fmt.Sprintf("/list/%d", l)] = []byte(sb.String())
		for a := 1; a <= adsPer; a++ {
			var ab strings.Builder
			fmt.Fprintf(&ab, "<!DOCTYPE html><html><body><h1 class=\"job-title\">Customer service agent %d</h1>"+
				"<div class=\"job-description\">", l*1000+a)
			pad(&ab)
			ab.WriteString("</div></body></html>")
			pages[fmt.Sprintf("/jobs/%d", l*1000+a)] = []byte(ab.String())
		}
	}
	var total int64
	for _, p := range pages {
		total += int64(len(p))
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := pages[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(p)
			return
		}
		http.NotFound(w, r)
	}))
	b.Cleanup(srv.Close)
	return srv, len(pages), total
}

type nopPublisher struct{}

func (nopPublisher) PublishAd(context.Context, *lurewatch.Ad) error { return nil }

// BenchmarkCrawlToJetStream crawls the site with politeness off for it,
// once publishing every ad to the embedded JetStream (synchronous, acked,
// file store; a fresh server each iteration, set up outside the timer) and
// once to a publisher that drops them, and reports pages per second of
// both and their ratio: what JetStream costs the crawler.
func BenchmarkCrawlToJetStream(b *testing.B) {
	srv, nPages, total := benchSite(b, 20, 10)
	profile := &crawler.Profile{
		Name: "bench", Kind: crawler.KindHTML, StartURLs: []string{srv.URL + "/list/1"},
		Parallelism: 8, MaxPages: 10_000,
		HTML: &crawler.HTMLSelectors{AdLinks: "a.job-link", NextPage: "a.next",
			Ad: crawler.AdSelectors{Title: "h1.job-title", Body: "div.job-description"}},
	}
	c := crawler.New(crawler.Options{AllowPrivate: true, UserAgent: "lurewatch-bench"})
	ctx := context.Background()
	b.SetBytes(2 * total) // each iteration crawls the site twice
	var jsTime, nopTime time.Duration
	for b.Loop() {
		b.StopTimer()
		q, err := queue.Open(ctx, queue.Options{DataDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		run, err := c.Run(ctx, profile, q)
		jsTime += time.Since(start)
		if err != nil || run.Ads != 200 {
			b.Fatalf("run to JetStream: %d ads, %v", run.Ads, err)
		}
		start = time.Now()
		if _, err := c.Run(ctx, profile, nopPublisher{}); err != nil {
			b.Fatal(err)
		}
		nopTime += time.Since(start)
		b.StopTimer()
		q.Close()
		b.StartTimer()
	}
	js := float64(nPages*b.N) / jsTime.Seconds()
	nop := float64(nPages*b.N) / nopTime.Seconds()
	b.ReportMetric(js, "jetstream_pages/s")
	b.ReportMetric(nop, "nop_pages/s")
	b.ReportMetric(js/nop, "ratio")
}
