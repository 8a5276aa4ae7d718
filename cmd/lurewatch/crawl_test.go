package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/crawler"
)

// crawlFixtures is a fictional site with a Telegram channel preview (two
// posts, one quoting another), a channel without a preview, an RSS feed,
// and a sitemap of one JSON-LD job page.
const (
	crawlChannel = `<!DOCTYPE html><html><body><section class="tgme_channel_history">
<div class="tgme_widget_message" data-post="fictional_cli/7">
  <div class="tgme_widget_message_reply"><div class="tgme_widget_message_text js-message_reply_text">QUOTED</div></div>
  <div class="tgme_widget_message_text js-message_text">Customer service in Poipet, USD 2000, free visa.<br/>Write to <a href="https://t.me/hr_fictional_cli">HR</a></div>
  <a class="tgme_widget_message_date" href="https://t.me/fictional_cli/7"><time datetime="2025-04-10T08:15:00+00:00">08:15</time></a>
</div>
<div class="tgme_widget_message" data-post="fictional_cli/8">
  <div class="tgme_widget_message_text js-message_text">Cook wanted in a hotel kitchen.</div>
</div>
</section></body></html>`
	crawlFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Fictional jobs</title>
<item><title>Driver &amp; guide</title><link>{{BASE}}/jobs/1</link><pubDate>Tue, 01 Apr 2025 09:30:00 GMT</pubDate>
<description><![CDATA[<p>Free <b>housing</b>.</p>]]></description></item></channel></rss>`
	crawlSitemap = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>{{BASE}}/job</loc></url><url><loc>{{BASE}}/job2</loc></url></urlset>`
	crawlJobPage = `<html><head><script type="application/ld+json">{"@type": "JobPosting", "title": "Fictional %s",
"description": "Packing parcels.", "datePosted": "2025-04-03"}</script></head><body></body></html>`
)

func crawlSite(t *testing.T) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		base := srv.URL
		switch r.URL.RequestURI() {
		case "/s/fictional_cli":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(crawlChannel))
		case "/s/fictional_gone":
			http.Redirect(w, r, "/fictional_gone", http.StatusFound)
		case "/fictional_gone":
			_, _ = w.Write([]byte("<html><body>Contact @fictional_gone</body></html>"))
		case "/feed.rss":
			w.Header().Set("Content-Type", "application/rss+xml")
			_, _ = w.Write([]byte(strings.ReplaceAll(crawlFeed, "{{BASE}}", base)))
		case "/sitemap.xml":
			w.Header().Set("Content-Type", "application/xml")
			_, _ = w.Write([]byte(strings.ReplaceAll(crawlSitemap, "{{BASE}}", base)))
		case "/job", "/job2":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(strings.Replace(crawlJobPage, "%s", r.URL.Path[1:], 1)))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// readAds parses JSON Lines of ads, failing the test on any other line.
func readAds(t *testing.T, out string) []lurewatch.Ad {
	t.Helper()
	var ads []lurewatch.Ad
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var ad lurewatch.Ad
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&ad); err != nil {
			t.Fatalf("stdout line %q is not an ad: %v", sc.Text(), err)
		}
		ads = append(ads, ad)
	}
	return ads
}

func TestCrawlTelegram(t *testing.T) {
	srv := crawlSite(t)
	code, out, errOut := runApp(t, context.Background(), "", "crawl", "--kind", "telegram",
		"--url", srv.URL+"/s/fictional_cli", "--once", "--jsonl", "--allow-private", "--delay", "0", "--log-format", "json")
	if code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	ads := readAds(t, out)
	if len(ads) != 2 {
		t.Fatalf("%d ads, want 2:\n%s", len(ads), out)
	}
	byID := map[string]lurewatch.Ad{}
	for _, ad := range ads {
		byID[ad.ID] = ad
	}
	ad, ok := byID[lurewatch.AdID("telegram-fictional_cli", "fictional_cli/7")]
	if !ok {
		t.Fatalf("post 7 not printed under its id: %+v", ads)
	}
	want := lurewatch.Ad{
		SchemaVersion: lurewatch.SchemaVersion, ID: ad.ID, Source: "telegram-fictional_cli", SourceKind: crawler.KindTelegram,
		URL: srv.URL + "/fictional_cli/7", Text: "Customer service in Poipet, USD 2000, free visa.\nWrite to HR",
		Contact: "https://t.me/hr_fictional_cli", PostedAt: time.Date(2025, 4, 10, 8, 15, 0, 0, time.UTC),
		FetchedAt: ad.FetchedAt, ContentHash: lurewatch.ContentHashOf(&ad),
	}
	if ad != want {
		t.Errorf("post 7:\n got  %+v\n want %+v", ad, want)
	}
	if ad.FetchedAt.IsZero() {
		t.Error("fetched_at missing")
	}
	// Logs are on stderr, as JSON lines, never on stdout.
	if !strings.Contains(errOut, `"msg":"crawl finished"`) {
		t.Errorf("stderr has no crawl log:\n%s", errOut)
	}
}

func TestCrawlFeedAndSitemap(t *testing.T) {
	srv := crawlSite(t)
	code, out, errOut := runApp(t, context.Background(), "", "crawl", "--kind", "feed", "--url", srv.URL+"/feed.rss",
		"--once", "--jsonl", "--allow-private", "--log-level", "warn")
	if code != 0 {
		t.Fatalf("feed: exit %d; stderr:\n%s", code, errOut)
	}
	ads := readAds(t, out)
	if len(ads) != 1 || ads[0].Title != "Driver & guide" || ads[0].Text != "Free housing." || ads[0].URL != srv.URL+"/jobs/1" ||
		ads[0].ID != lurewatch.AdID("feed-127-0-0-1", srv.URL+"/jobs/1") || ads[0].PostedAt.IsZero() {
		t.Errorf("feed ads: %+v", ads)
	}

	// A profile, with --max-pages: the sitemap and one of its two pages.
	dir := t.TempDir()
	prof := writeFile(t, dir, "sitemap.yaml", "name: fictional-sitemap\nkind: sitemap\nstart_urls: ["+srv.URL+"/sitemap.xml]\n")
	code, out, errOut = runApp(t, context.Background(), "", "crawl", "--profile", prof, "--once", "--jsonl",
		"--allow-private", "--max-pages", "2", "--log-level", "warn")
	if code != 0 {
		t.Fatalf("sitemap: exit %d; stderr:\n%s", code, errOut)
	}
	ads = readAds(t, out)
	if len(ads) != 1 || ads[0].Source != "fictional-sitemap" || ads[0].Text != "Packing parcels." ||
		!strings.HasPrefix(ads[0].Title, "Fictional job") {
		t.Errorf("sitemap ads: %+v", ads)
	}
}

func TestCrawlFailures(t *testing.T) {
	srv := crawlSite(t)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no preview", []string{"--kind", "telegram", "--url", srv.URL + "/s/fictional_gone", "--allow-private"}, "has no public preview"},
		{"private address", []string{"--kind", "feed", "--url", srv.URL + "/feed.rss"}, "refused"},
		{"malformed feed", []string{"--kind", "feed", "--url", srv.URL + "/s/fictional_cli", "--allow-private"}, "parse feed " + srv.URL + "/s/fictional_cli"},
		{"bad profile", []string{"--profile", writeFile(t, t.TempDir(), "p.yaml", "name: p\nkind: telegram\n")}, "p.yaml:2:7: "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"crawl", "--once", "--jsonl", "--delay", "0"}, tt.args...)
			code, out, errOut := runApp(t, context.Background(), "", args...)
			if code != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and %q", code, errOut, tt.want)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
		})
	}
}

func TestCrawlUsageErrors(t *testing.T) {
	prof := writeFile(t, t.TempDir(), "p.yaml", "name: p\nkind: feed\nstart_urls: [http://127.0.0.1:1/feed]\n")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--kind", "feed", "--url", "http://127.0.0.1:1/f", "--jsonl"},
			"--once is required for now (scheduled crawling runs under 'lurewatch run')"},
		{[]string{"--kind", "feed", "--url", "http://127.0.0.1:1/f", "--once"}, "--jsonl is required"},
		{[]string{"--kind", "html", "--url", "http://127.0.0.1:1/", "--once", "--jsonl"}, "kind html needs CSS selectors: give them in a profile with --profile FILE"},
		{[]string{"--kind", "rss", "--url", "http://127.0.0.1:1/", "--once", "--jsonl"}, `unknown kind "rss"`},
		{[]string{"--kind", "feed", "--once", "--jsonl"}, "give --profile FILE, or --kind KIND and --url URL"},
		{[]string{"--once", "--jsonl"}, "give --profile FILE, or --kind KIND and --url URL"},
		{[]string{"--profile", prof, "--kind", "feed", "--once", "--jsonl"}, "not both"},
		{[]string{"--kind", "telegram", "--url", "https://t.me/+invite", "--once", "--jsonl"}, "not a telegram channel URL"},
		{[]string{"--kind", "feed", "--url", "/feed.rss", "--once", "--jsonl"}, "must be an absolute http or https URL"},
		{[]string{"--profile", prof, "--url", "ftp://x/", "--once", "--jsonl"}, "must be an absolute http or https URL"},
		{[]string{"--kind", "feed", "--url", "http://127.0.0.1:1/f", "--once", "--jsonl", "--max-pages", "-1"}, "--max-pages -1"},
		{[]string{"--kind", "feed", "--url", "http://127.0.0.1:1/f", "--once", "--jsonl", "--log-level", "loud"}, "log level"},
		{[]string{"--kind", "feed", "--url", "http://127.0.0.1:1/f", "--once", "--jsonl", "extra"}, "takes no arguments"},
		{[]string{"--bogus"}, "flag provided but not defined"},
	} {
		code, out, errOut := runApp(t, context.Background(), "", append([]string{"crawl"}, tt.args...)...)
		if code != 2 || !strings.Contains(errOut, tt.want) || out != "" {
			t.Errorf("crawl %q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, out, errOut, tt.want)
		}
	}
	code, _, errOut := runApp(t, context.Background(), "", "crawl", "--help")
	if code != 0 || !strings.Contains(errOut, "Usage: lurewatch crawl") || !strings.Contains(errOut, "--kind telegram") {
		t.Errorf("crawl --help: exit %d, %q", code, errOut)
	}
}

func TestSourceName(t *testing.T) {
	for in, want := range map[string]string{
		"feed-jobs.example.org":   "feed-jobs-example-org",
		"telegram-Fictional_Chan": "telegram-fictional_chan",
		"sitemap-[::1]":           "sitemap-1",
		strings.Repeat("a", 70):   strings.Repeat("a", 64),
	} {
		if got := sourceName(in); got != want {
			t.Errorf("sourceName(%q) = %q, want %q", in, got, want)
		}
	}
}

// PublishAd is safe to call from several goroutines: lines never mix.
func TestJSONLPublisher(t *testing.T) {
	var b bytes.Buffer
	pub := newJSONLPublisher(&b)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			ad := &lurewatch.Ad{ID: strings.Repeat("x", i+1), Text: strings.Repeat("line\n", 100)}
			if err := pub.PublishAd(context.Background(), ad); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if ads := readAds(t, b.String()); len(ads) != 20 {
		t.Errorf("%d ads read back, want 20", len(ads))
	}
}
