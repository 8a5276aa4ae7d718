package crawler

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
)

var htmlRoutes = map[string]string{
	"/jobs":        "html/listing1.html",
	"/jobs?page=2": "html/listing2.html",
	"/jobs/101":    "html/ad101.html",
	"/jobs/102":    "html/ad102.html",
	"/jobs/103":    "html/ad103.html",
}

func htmlProfile(site *testSite) *Profile {
	return &Profile{
		Name:      "demo-board",
		Kind:      KindHTML,
		StartURLs: []string{site.URL + "/jobs"},
		MaxPages:  50,
		HTML: &HTMLSelectors{
			AdLinks:  "a.job-link",
			NextPage: "a.next",
			Ad: AdSelectors{
				Title:    "h1.job-title",
				Body:     "div.job-description",
				Employer: ".employer",
				Location: ".location",
				Salary:   ".salary",
				Posted:   "time.posted",
				Contact:  ".contact",
			},
		},
	}
}

var htmlWant = []wantAd{
	{
		Key:      "/jobs/101",
		Title:    "Customer service agent",
		Text:     "Easy work, no experience needed.\n\nFree flight ticket, visa and accommodation provided.\nPassport kept by company for safety.\n\nAge 18-35\nBasic English",
		Employer: "Golden Lotus Trading Co.",
		Location: "Sihanoukville, Cambodia",
		Salary:   "USD 1,500 – 3,000 / month",
		Contact:  "Telegram: @hr_fictional_01, WhatsApp +855 12 000 000\nhttps://t.me/hr_fictional_01\n+85512000000",
		Posted:   "2025-03-14T00:00:00Z",
	},
	{
		Key:      "/jobs/102",
		Title:    "Data entry assistant",
		Text:     "Office hours 9 to 5. Contract of one year.",
		Employer: "Fictional Office Services Ltd",
		Location: "Phnom Penh",
		Posted:   "2025-03-10T02:30:00Z",
	},
	{
		Key:     "/jobs/103",
		Title:   "Typist, night shift",
		Text:    "Typing chat messages to customers.\nWork from a compound near the border.",
		Salary:  "$800",
		Contact: "Apply on Telegram\nhttps://t.me/hr_fictional_02",
		Posted:  "2025-02-02T00:00:00Z",
	},
}

func TestRunHTML(t *testing.T) {
	site := newSite(t, htmlRoutes, "")
	c, logs := testCrawler(t, Options{AllowPrivate: true})
	p := htmlProfile(site)
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkAds(t, site, p, pub.published(), htmlWant)
	if rec.Status != StatusOK || rec.Source != p.Name || rec.Pages != 5 || rec.Ads != 3 || rec.Errors != 0 {
		t.Errorf("run record %+v, want ok, 5 pages, 3 ads, 0 errors", rec)
	}
	if rec.StartedAt.IsZero() || rec.FinishedAt.Before(rec.StartedAt) {
		t.Errorf("run times %v → %v", rec.StartedAt, rec.FinishedAt)
	}
	// Each page once, by its canonical URL (tracking parameters removed);
	// /about is not an ad link, and the off-site link is not followed.
	for uri := range htmlRoutes {
		if n := site.hitCount(uri); n != 1 {
			t.Errorf("%s requested %d times, want 1", uri, n)
		}
	}
	if n := site.pageHits(); n != len(htmlRoutes) {
		t.Errorf("%d page requests, want %d: %v", n, len(htmlRoutes), site.hits)
	}
	checkAdLogs(t, logs)
}

func TestRunHTMLParallel(t *testing.T) {
	routes := map[string]string{"/jobs": "html/listing1.html", "/jobs?page=2": "html/listing2.html"}
	for _, id := range []string{"101", "102", "103"} {
		routes["/jobs/"+id] = "html/ad" + id + ".html"
	}
	site := newSite(t, routes, "")
	site.sleep = 30 * time.Millisecond
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := htmlProfile(site)
	p.Parallelism = 2
	pub := &memPublisher{}
	if _, err := c.Run(context.Background(), p, pub); err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkAds(t, site, p, pub.published(), htmlWant)
	site.mu.Lock()
	peak := site.peak
	site.mu.Unlock()
	if peak > 2 {
		t.Errorf("%d requests in flight at once, profile allows 2", peak)
	}
}

func TestRunDelaySpacesRequests(t *testing.T) {
	site := newSite(t, htmlRoutes, "")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := htmlProfile(site)
	p.Delay = 40 * time.Millisecond
	p.Parallelism = 4
	start := time.Now()
	if _, err := c.Run(context.Background(), p, &memPublisher{}); err != nil {
		t.Fatalf("Run: %v", err)
	}
	// robots.txt and 5 pages: 6 requests, at least 5 delays apart.
	if el := time.Since(start); el < 5*p.Delay {
		t.Errorf("run took %v, want at least %v", el, 5*p.Delay)
	}
}

var jsonldRoutes = map[string]string{
	"/careers":        "jsonld/listing.html",
	"/careers?page=2": "jsonld/listing2.html",
	"/single":         "jsonld/single.html",
	"/array":          "jsonld/array.html",
	"/graph":          "jsonld/graph.html",
	"/two-blocks":     "jsonld/two-blocks.html",
	"/malformed":      "jsonld/malformed.html",
}

func TestRunJSONLD(t *testing.T) {
	site := newSite(t, jsonldRoutes, "")
	c, logs := testCrawler(t, Options{AllowPrivate: true})
	p := &Profile{
		Name:      "careers_portal",
		Kind:      KindJSONLD,
		StartURLs: []string{site.URL + "/careers"},
		JSONLD:    &JSONLDOptions{Follow: "a.job-link", NextPage: "a.next"},
	}
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	want := jsonldAds("/single", "/array#id=GT-7", "/array#2", "/graph", "/two-blocks#id=R-1", "/two-blocks#2", "/malformed")
	checkAds(t, site, p, pub.published(), want)
	// 7 pages; the malformed block is the one error.
	if rec.Status != StatusOK || rec.Pages != 7 || rec.Ads != 7 || rec.Errors != 1 {
		t.Errorf("run record %+v, want ok, 7 pages, 7 ads, 1 error", rec)
	}
	if n := site.hitCount("/single"); n != 1 {
		t.Errorf("/single requested %d times, want 1", n)
	}
	if logs.FilterMessage("malformed JSON-LD block skipped").Len() != 1 {
		t.Error("malformed block not logged once")
	}
	checkAdLogs(t, logs)
}

func TestRunRobotsDisallow(t *testing.T) {
	robots := "User-agent: *\nDisallow: /jobs/102\n\nUser-agent: otherbot\nDisallow: /\n"
	site := newSite(t, htmlRoutes, robots)
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := htmlProfile(site)
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := site.hitCount("/jobs/102"); n != 0 {
		t.Errorf("disallowed /jobs/102 requested %d times", n)
	}
	if n := site.hitCount("/robots.txt"); n != 1 {
		t.Errorf("robots.txt requested %d times, want 1", n)
	}
	checkAds(t, site, p, pub.published(), []wantAd{htmlWant[0], htmlWant[2]})
	if rec.Pages != 4 || rec.Ads != 2 {
		t.Errorf("run record %+v, want 4 pages, 2 ads", rec)
	}
}

func TestRunRobotsDisallowsEverything(t *testing.T) {
	for name, robots := range map[string]string{
		"for us":   "User-agent: lurewatch\nDisallow: /\n",
		"for all":  "User-agent: *\nDisallow: /\n",
		"unparsed": "Crawl-delay: soon\n",
	} {
		t.Run(name, func(t *testing.T) {
			site := newSite(t, htmlRoutes, robots)
			c, _ := testCrawler(t, Options{AllowPrivate: true})
			pub := &memPublisher{}
			rec, err := c.Run(context.Background(), htmlProfile(site), pub)
			if !errors.Is(err, lurewatch.ErrRefused) {
				t.Fatalf("Run error %v, want one wrapping ErrRefused", err)
			}
			if rec.Status != StatusFailed || rec.Error == "" {
				t.Errorf("run record %+v, want failed with an error", rec)
			}
			if n := site.pageHits(); n != 0 {
				t.Errorf("%d pages requested, want 0", n)
			}
			if len(pub.published()) != 0 {
				t.Error("ads published")
			}
		})
	}
}

func TestRunRefusesPrivateAddresses(t *testing.T) {
	site := newSite(t, htmlRoutes, "")
	port := site.URL[strings.LastIndex(site.URL, ":")+1:]
	for _, start := range []string{site.URL + "/jobs", "http://localhost:" + port + "/jobs"} {
		t.Run(start, func(t *testing.T) {
			c, logs := testCrawler(t, Options{}) // AllowPrivate false
			p := htmlProfile(site)
			p.StartURLs = []string{start}
			pub := &memPublisher{}
			rec, err := c.Run(context.Background(), p, pub)
			if !errors.Is(err, lurewatch.ErrRefused) {
				t.Fatalf("Run error %v, want one wrapping ErrRefused", err)
			}
			if rec.Status != StatusFailed || rec.Errors != 1 || rec.Pages != 0 || rec.Ads != 0 {
				t.Errorf("run record %+v, want failed, 1 error, nothing fetched", rec)
			}
			if len(pub.published()) != 0 || pub.calls != 0 {
				t.Error("ads published")
			}
			if logs.FilterMessage("fetch refused").Len() != 1 {
				t.Errorf("refusal not logged once: %v", logs.All())
			}
		})
	}
	if n := site.totalHits(); n != 0 {
		t.Errorf("%d requests reached the server, want 0", n)
	}
}

func TestRunMaxPages(t *testing.T) {
	site := newSite(t, htmlRoutes, "")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := htmlProfile(site)
	p.MaxPages = 2
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := site.pageHits(); n != 2 {
		t.Errorf("%d pages requested, want 2", n)
	}
	if rec.Pages != 2 || rec.Ads != 1 || len(pub.published()) != 1 {
		t.Errorf("run record %+v with %d ads published, want 2 pages and 1 ad", rec, len(pub.published()))
	}
}

func TestRunMaxDepth(t *testing.T) {
	site := newSite(t, htmlRoutes, "")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := htmlProfile(site)
	p.MaxDepth = 1 // one link away from the start page: its ads and page 2, not page 2's ads
	pub := &memPublisher{}
	if _, err := c.Run(context.Background(), p, pub); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := site.hitCount("/jobs?page=2"); n != 1 {
		t.Errorf("page 2 requested %d times, want 1", n)
	}
	if n := site.hitCount("/jobs/103"); n != 0 {
		t.Errorf("/jobs/103 requested %d times beyond max depth", n)
	}
	checkAds(t, site, p, pub.published(), htmlWant[:2])
}

func TestRunPublishErrorFailsRun(t *testing.T) {
	site := newSite(t, htmlRoutes, "")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	errQueueDown := errors.New("queue down")
	pub := &memPublisher{err: errQueueDown}
	rec, err := c.Run(context.Background(), htmlProfile(site), pub)
	if !errors.Is(err, errQueueDown) {
		t.Fatalf("Run error %v, want one wrapping the publish error", err)
	}
	if rec.Status != StatusFailed || !strings.Contains(rec.Error, "queue down") || rec.Ads != 0 {
		t.Errorf("run record %+v, want failed with the publish error", rec)
	}
	if pub.calls != 1 {
		t.Errorf("PublishAd called %d times after failing, want 1", pub.calls)
	}
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	site := newSite(t, htmlRoutes, "")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pub := &memPublisher{after: cancel} // cancel after the first ad
	rec, err := c.Run(ctx, htmlProfile(site), pub)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error %v, want context.Canceled", err)
	}
	if rec.Status != StatusFailed || rec.Ads != 1 || pub.calls != 1 {
		t.Errorf("run record %+v with %d publish calls, want failed after 1 ad", rec, pub.calls)
	}

	// Already cancelled: nothing is fetched.
	site2 := newSite(t, htmlRoutes, "")
	if _, err := c.Run(ctx, htmlProfile(site2), &memPublisher{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error %v, want context.Canceled", err)
	}
	if n := site2.totalHits(); n != 0 {
		t.Errorf("%d requests after cancel", n)
	}
}

func TestRunInvalidProfile(t *testing.T) {
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	rec, err := c.Run(context.Background(), &Profile{Name: "Bad Name", Kind: "rss"}, &memPublisher{})
	if !errors.Is(err, lurewatch.ErrInvalid) {
		t.Fatalf("Run error %v, want ErrInvalid", err)
	}
	if rec.Status != StatusFailed {
		t.Errorf("status %q", rec.Status)
	}
}

func TestRunStartURLFails(t *testing.T) {
	site := newSite(t, map[string]string{}, "")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	rec, err := c.Run(context.Background(), htmlProfile(site), &memPublisher{})
	if err == nil || errors.Is(err, lurewatch.ErrRefused) {
		t.Fatalf("Run error %v, want a failure that is not a refusal", err)
	}
	if rec.Status != StatusFailed || rec.Pages != 1 || rec.Errors != 1 {
		t.Errorf("run record %+v, want failed with 1 page and 1 error", rec)
	}
}

func TestRunBodyTooLarge(t *testing.T) {
	site := newSite(t, htmlRoutes, "")
	c, logs := testCrawler(t, Options{AllowPrivate: true, MaxBodySize: 200})
	pub := &memPublisher{}
	_, err := c.Run(context.Background(), htmlProfile(site), pub)
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("Run error %v, want body too large", err)
	}
	if len(pub.published()) != 0 {
		t.Error("ads published from a truncated page")
	}
	if logs.FilterMessage("fetch failed").Len() != 1 {
		t.Error("oversized page not logged")
	}
}
