package crawler

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lurewatch/lurewatch"
)

var feedRoutes = map[string]string{
	"/feed.rss":   "feed/jobs.rss",
	"/jobs.atom":  "feed/jobs.atom",
	"/broken.rss": "feed/broken.rss",
	"/not-a-feed": "feed/notfeed.html",
	"/follow.rss": "feed/follow.rss",
	"/single":     "jsonld/single.html",
	"/plain":      "feed/plain.html",
	"/jobs/201":   "html/ad101.html",
}

func feedProfile(site *testSite, start string) *Profile {
	return &Profile{Name: "job-feed", Kind: KindFeed, StartURLs: []string{site.URL + start}, MaxPages: 20}
}

func TestRunFeedRSS(t *testing.T) {
	site := newSite(t, feedRoutes, "")
	c, logs := testCrawler(t, Options{AllowPrivate: true})
	p := feedProfile(site, "/feed.rss")
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkAds(t, site, p, pub.published(), []wantAd{
		{
			Key:      "/jobs/201", // utm_source dropped
			Title:    "Customer service & sales – Bavet",
			Text:     "Salary USD 2,000 per month.\n\nFree flight, visa and housing.\nNo experience needed.",
			Employer: "hr@example.invalid (Fictional HR Team)",
			Posted:   "2025-04-01T09:30:00Z",
		},
		{
			Key:      "/jobs/202", // a relative link; listed twice, published once
			Title:    "Translator (Chinese)",
			Text:     "About the job\n\nTranslate chats with \"customers\".\n\nWork in a compound near the border\nContract 2 years",
			Employer: "Fictional Agency",
			Posted:   "2025-04-02T09:45:00Z",
		},
		{
			Key:    "/feed.rss#id=fictional-203", // no link: the feed's URL and the guid
			Title:  "Night typist",
			Text:   "Typing work from a hotel near the river. Telegram @hr_fictional_21",
			Posted: "2025-04-03T01:00:00Z",
		},
	})
	// Entries are ads: their links are not fetched.
	if rec.Status != StatusOK || rec.Pages != 1 || rec.Ads != 3 || rec.Errors != 0 || site.pageHits() != 1 {
		t.Errorf("run record %+v with %d page requests, want ok, 1 page, 3 ads, 0 errors", rec, site.pageHits())
	}
	checkAdLogs(t, logs)
}

func TestRunFeedAtom(t *testing.T) {
	site := newSite(t, feedRoutes, "")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := feedProfile(site, "/jobs.atom")
	pub := &memPublisher{}
	if _, err := c.Run(context.Background(), p, pub); err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkAds(t, site, p, pub.published(), []wantAd{
		{
			Key:      "/posts/301", // rel alternate, not rel edit
			Title:    "Hotel receptionist <Vientiane>",
			Text:     "Front desk work.\n\nSalary paid at the end of the contract.",
			Employer: "Fictional Riverside Hotel <jobs@example.invalid>",
			Posted:   "2025-04-04T01:00:00Z",
		},
		{
			Key:    "/posts/302",
			Title:  "Casino dealer urgent",
			Text:   "Training provided.\n\nPassport required on arrival.",
			Posted: "2025-04-03T10:00:00Z", // updated, there being no published
		},
		{
			Key:   "/jobs.atom#id=tag:example.invalid,2025:303",
			Title: "Plain text job",
			Text:  "Line one & more\nLine two",
		},
	})
}

func TestRunFeedMalformed(t *testing.T) {
	site := newSite(t, feedRoutes, "")
	c, logs := testCrawler(t, Options{AllowPrivate: true})
	p := feedProfile(site, "/broken.rss")
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err == nil || !strings.Contains(err.Error(), "parse feed "+site.URL+"/broken.rss") {
		t.Fatalf("Run error %v, want a parse error naming the feed's URL", err)
	}
	if rec.Status != StatusFailed || rec.Errors != 1 {
		t.Errorf("run record %+v, want failed with 1 error", rec)
	}
	// The entry before the error is kept.
	checkAds(t, site, p, pub.published(), []wantAd{{Key: "/jobs/401", Title: "First entry is fine", Text: "Read before the error."}})
	if logs.FilterMessage("feed does not parse").Len() != 1 {
		t.Error("malformed feed not logged once")
	}

	rec, err = c.Run(context.Background(), feedProfile(site, "/not-a-feed"), &memPublisher{})
	if !errors.Is(err, errNotFeed) || !strings.Contains(err.Error(), site.URL+"/not-a-feed") {
		t.Fatalf("Run error %v, want errNotFeed naming the URL", err)
	}
	if rec.Status != StatusFailed {
		t.Errorf("run record %+v, want failed", rec)
	}
}

func TestRunFeedFollowJSONLD(t *testing.T) {
	site := newSite(t, feedRoutes, "")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := feedProfile(site, "/follow.rss")
	p.Feed = &FeedOptions{Follow: FollowJSONLD}
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	got := pub.published()
	offsite := "https://elsewhere.example.invalid/job/9"
	var rest []*lurewatch.Ad
	for _, ad := range got {
		if ad.URL == offsite {
			if ad.ID != lurewatch.AdID(p.Name, offsite) || ad.Title != "Off-site job" {
				t.Errorf("off-site entry published as %+v", ad)
			}
			continue
		}
		rest = append(rest, ad)
	}
	if len(rest) == len(got) {
		t.Error("the entry whose link is off the allowed hosts was not published")
	}
	checkAds(t, site, p, rest, []wantAd{
		jsonldWant["/single"], // from the page's JobPosting, not from the entry
		{Key: "/plain", Title: "Page without JSON-LD", Text: "The entry is published as it is.", Posted: "2025-04-04T10:00:00Z"},
		{Key: "/gone", Title: "Gone job", Text: "The page is 404; the entry is published."},
	})
	// The feed, /single, /plain and the 404 of /gone.
	if rec.Status != StatusOK || rec.Pages != 4 || rec.Ads != 4 || rec.Errors != 1 {
		t.Errorf("run record %+v, want ok, 4 pages, 4 ads, 1 error", rec)
	}
}

func TestRunFeedFollowHTML(t *testing.T) {
	site := newSite(t, feedRoutes, "")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := feedProfile(site, "/feed.rss")
	p.Feed = &FeedOptions{Follow: FollowHTML}
	p.HTML = &HTMLSelectors{Ad: AdSelectors{Title: "h1.job-title", Body: "div.job-description", Employer: ".employer",
		Location: ".location", Salary: ".salary", Posted: "time.posted", Contact: ".contact"}}
	pub := &memPublisher{}
	if _, err := c.Run(context.Background(), p, pub); err != nil {
		t.Fatalf("Run: %v", err)
	}
	w := htmlWant[0]
	w.Key = "/jobs/201"
	checkAds(t, site, p, pub.published(), []wantAd{
		w, // read from the page with the selectors
		{Key: "/jobs/202", Title: "Translator (Chinese)", // 404: the entry
			Text:     "About the job\n\nTranslate chats with \"customers\".\n\nWork in a compound near the border\nContract 2 years",
			Employer: "Fictional Agency", Posted: "2025-04-02T09:45:00Z"},
		{Key: "/feed.rss#id=fictional-203", Title: "Night typist", // no link: the entry
			Text: "Typing work from a hotel near the river. Telegram @hr_fictional_21", Posted: "2025-04-03T01:00:00Z"},
	})
}

func TestRunFeedRobots(t *testing.T) {
	site := newSite(t, feedRoutes, "User-agent: *\nDisallow: /feed.rss\n")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	pub := &memPublisher{}
	_, err := c.Run(context.Background(), feedProfile(site, "/feed.rss"), pub)
	if !errors.Is(err, lurewatch.ErrRefused) {
		t.Fatalf("Run error %v, want ErrRefused", err)
	}
	if n := site.pageHits(); n != 0 || pub.calls != 0 {
		t.Errorf("%d pages requested, %d ads published; want none", n, pub.calls)
	}
}

func TestParseFeed(t *testing.T) {
	tests := []struct {
		name, doc string
		want      []feedEntry
		wantErr   error
	}{
		{"rss 1.0", `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>c</title></channel>
<item><title>A</title><link>https://a.example.invalid/1</link><description>x</description><dc:date>2025-04-01T10:00:00Z</dc:date></item></rdf:RDF>`,
			[]feedEntry{{title: "A", text: "x", link: "https://a.example.invalid/1", posted: parseDate("2025-04-01T10:00:00Z")}}, nil},
		{"guid permalink as link", `<rss><channel><item><title>B</title><guid>https://b.example.invalid/2</guid></item></channel></rss>`,
			[]feedEntry{{title: "B", link: "https://b.example.invalid/2", id: "https://b.example.invalid/2"}}, nil},
		{"BOM and latin-1", "\xef\xbb\xbf" + `<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><item><title>Caf` + "\xe9" + `</title></item></channel></rss>`,
			[]feedEntry{{title: "Café"}}, nil},
		{"out-of-line atom content", `<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>C</title><content src="https://c.example.invalid/x"/><summary>s</summary></entry></feed>`,
			[]feedEntry{{title: "C", text: "s"}}, nil},
		{"empty", ``, nil, errNotFeed},
		{"html", `<html><body>x</body></html>`, nil, errNotFeed},
		{"unclosed", `<rss><channel><item><title>x</title></item>`, nil, nil},
		{"undefined entity", `<rss><channel><item><title>&bogus;</title></item></channel></rss>`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFeed([]byte(tt.doc))
			switch {
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("error %v, want %v", err, tt.wantErr)
			case tt.wantErr == nil && tt.want == nil && err == nil:
				t.Fatalf("no error for a malformed feed; entries %+v", got)
			case tt.want != nil && err != nil:
				t.Fatalf("error %v", err)
			}
			if tt.want == nil {
				return
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("entry %d:\n got  %+v\n want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}

	var b strings.Builder
	b.WriteString("<rss><channel>")
	for range maxFeedEntries + 10 {
		b.WriteString("<item><title>x</title></item>")
	}
	b.WriteString("</channel></rss>")
	if got, err := parseFeed([]byte(b.String())); err != nil || len(got) != maxFeedEntries {
		t.Errorf("%d entries, %v; want the cap %d", len(got), err, maxFeedEntries)
	}
}

func FuzzParseFeed(f *testing.F) {
	for _, name := range []string{"jobs.rss", "jobs.atom", "broken.rss"} {
		data, err := os.ReadFile(filepath.Join("testdata", "feed", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<feed><entry><title type="xhtml"><div><b>x</b></div></title><content type="xhtml"><p>y</p></content></entry></feed>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _ := parseFeed(data)
		if len(entries) > maxFeedEntries {
			t.Errorf("%d entries over the cap", len(entries))
		}
		for _, e := range entries {
			if len(e.title) > maxFieldSize || len(e.text) > maxFieldSize || len(e.author) > maxFieldSize || len(e.id) > maxIDLen {
				t.Errorf("field over the cap")
			}
		}
	})
}
