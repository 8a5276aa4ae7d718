package crawler

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/lurewatch/lurewatch"
)

var (
	tgRoutes = map[string]string{
		"/s/fictional_jobs_hub":            "telegram/page1.html",
		"/s/fictional_jobs_hub?before=101": "telegram/page2.html",
		"/fictional_private":               "telegram/nopreview.html",
	}
	tgRedirects = map[string]string{"/s/fictional_private": "/fictional_private"}
)

func tgSite(t *testing.T, robots string) *testSite {
	t.Helper()
	site := newSite(t, tgRoutes, robots)
	site.redirects = tgRedirects
	return site
}

func tgProfile(site *testSite, channels ...string) *Profile {
	return &Profile{
		Name:     "tg-jobs",
		Kind:     KindTelegram,
		MaxPages: 10,
		Telegram: &TelegramOptions{BaseURL: site.URL, Channels: channels},
	}
}

// wantPost is the part of a Telegram ad a test checks exactly.
type wantPost struct {
	Key, Text, Contact, Posted string
}

var tgWant = []wantPost{
	{
		Key:     "fictional_jobs_hub/101",
		Text:    "🔥 Still hiring! Customer service in Sihanoukville\nSalary 1500-3000 USD, free visa & flight, no experience\n\nContact @hr_fictional_11 or WhatsApp #jobs",
		Contact: "https://t.me/hr_fictional_11\nhttps://wa.me/85500000011",
		Posted:  "2025-04-10T08:15:00Z",
	},
	{
		Key:     "fictional_jobs_hub/102",
		Text:    "Our office and dormitory in Myawaddy. Food and housing free. Apply by email.",
		Contact: "hr@example.invalid",
		Posted:  "2025-04-11T09:00:00Z",
	},
	{
		Key:    "fictional_jobs_hub/106",
		Text:   "Data entry, Bangkok office, Thai and English. Interview online.",
		Posted: "2025-04-12T04:30:00Z",
	},
	{
		Key:    "fictional_jobs_hub/98",
		Text:   "Game tester wanted. High salary, paid in USDT. Passport kept by company for safety.",
		Posted: "2025-03-30T07:00:00Z",
	},
}

// checkPosts compares the published Telegram ads with want, by id.
func checkPosts(t *testing.T, site *testSite, p *Profile, got []*lurewatch.Ad, want []wantPost) {
	t.Helper()
	byID := make(map[string]*lurewatch.Ad)
	for _, ad := range got {
		if _, dup := byID[ad.ID]; dup {
			t.Errorf("ad %s published twice", ad.ID)
		}
		byID[ad.ID] = ad
		if strings.Contains(ad.Text, "QUOTED") || strings.Contains(ad.Text, "must not") {
			t.Errorf("ad %s has text it must not have: %q", ad.ID, ad.Text)
		}
	}
	if len(got) != len(want) {
		t.Errorf("published %d ads, want %d", len(got), len(want))
	}
	for _, w := range want {
		id := lurewatch.AdID(p.Name, w.Key)
		ad, ok := byID[id]
		if !ok {
			t.Errorf("post %s not published", w.Key)
			continue
		}
		gotW := wantPost{Key: w.Key, Text: ad.Text, Contact: ad.Contact, Posted: fmtTime(ad.PostedAt)}
		if gotW != w {
			t.Errorf("post %s:\n got  %#v\n want %#v", w.Key, gotW, w)
		}
		if wantURL := site.URL + "/" + w.Key; ad.URL != wantURL {
			t.Errorf("post %s: URL %q, want %q", w.Key, ad.URL, wantURL)
		}
		if ad.Title != "" || ad.Source != p.Name || ad.SourceKind != KindTelegram || ad.FetchedAt.IsZero() ||
			ad.ContentHash != lurewatch.ContentHashOf(ad) {
			t.Errorf("post %s: title %q source %q kind %q fetched %v hash %q", w.Key, ad.Title, ad.Source,
				ad.SourceKind, ad.FetchedAt, ad.ContentHash)
		}
	}
}

func TestRunTelegram(t *testing.T) {
	site := tgSite(t, "")
	c, logs := testCrawler(t, Options{AllowPrivate: true})
	p := tgProfile(site, "fictional_jobs_hub")
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkPosts(t, site, p, pub.published(), tgWant)
	if rec.Status != StatusOK || rec.Pages != 2 || rec.Ads != 4 || rec.Errors != 0 {
		t.Errorf("run record %+v, want ok, 2 pages, 4 ads, 0 errors", rec)
	}
	for _, uri := range []string{"/s/fictional_jobs_hub", "/s/fictional_jobs_hub?before=101"} {
		if n := site.hitCount(uri); n != 1 {
			t.Errorf("%s requested %d times, want 1", uri, n)
		}
	}
	checkAdLogs(t, logs)
}

func TestRunTelegramMaxPages(t *testing.T) {
	site := tgSite(t, "")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := tgProfile(site, "fictional_jobs_hub")
	p.MaxPages = 1
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkPosts(t, site, p, pub.published(), tgWant[:3])
	if n := site.hitCount("/s/fictional_jobs_hub?before=101"); n != 0 || rec.Pages != 1 {
		t.Errorf("older posts requested %d times, %d pages; want 0 and 1 with max_pages 1", n, rec.Pages)
	}
}

func TestRunTelegramNoPreview(t *testing.T) {
	t.Run("only channel", func(t *testing.T) {
		site := tgSite(t, "")
		c, logs := testCrawler(t, Options{AllowPrivate: true})
		pub := &memPublisher{}
		rec, err := c.Run(context.Background(), tgProfile(site, "fictional_private"), pub)
		if !errors.Is(err, ErrNoPreview) {
			t.Fatalf("Run error %v, want ErrNoPreview", err)
		}
		if !strings.Contains(err.Error(), `"fictional_private"`) || !strings.Contains(err.Error(), site.URL+"/fictional_private") {
			t.Errorf("error %q does not name the channel and where it redirected", err)
		}
		if rec.Status != StatusFailed || rec.Errors != 1 || rec.Ads != 0 || pub.calls != 0 {
			t.Errorf("run record %+v with %d publish calls, want failed, 1 error, no ads", rec, pub.calls)
		}
		if logs.FilterMessage("telegram channel has no public preview").Len() != 1 {
			t.Error("missing preview not logged once")
		}
	})
	t.Run("one of two channels", func(t *testing.T) {
		site := tgSite(t, "")
		c, _ := testCrawler(t, Options{AllowPrivate: true})
		p := tgProfile(site, "fictional_private", "fictional_jobs_hub")
		pub := &memPublisher{}
		rec, err := c.Run(context.Background(), p, pub)
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
		checkPosts(t, site, p, pub.published(), tgWant)
		if rec.Status != StatusOK || rec.Errors != 1 || rec.Ads != 4 {
			t.Errorf("run record %+v, want ok with 4 ads and 1 error", rec)
		}
	})
}

func TestRunTelegramRefusesPrivate(t *testing.T) {
	site := tgSite(t, "")
	c, _ := testCrawler(t, Options{})
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), tgProfile(site, "fictional_jobs_hub"), pub)
	if !errors.Is(err, lurewatch.ErrRefused) {
		t.Fatalf("Run error %v, want ErrRefused", err)
	}
	if rec.Status != StatusFailed || pub.calls != 0 {
		t.Errorf("run record %+v, %d ads", rec, pub.calls)
	}
	if n := site.totalHits(); n != 0 {
		t.Errorf("%d requests reached the server, want 0", n)
	}
}

func TestRunTelegramRobots(t *testing.T) {
	site := tgSite(t, "User-agent: *\nDisallow: /s/fictional_jobs_hub?before=\n")
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := tgProfile(site, "fictional_jobs_hub")
	pub := &memPublisher{}
	if _, err := c.Run(context.Background(), p, pub); err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkPosts(t, site, p, pub.published(), tgWant[:3])
	if n := site.hitCount("/s/fictional_jobs_hub?before=101"); n != 0 {
		t.Errorf("disallowed page requested %d times", n)
	}
}

func channelPage(t *testing.T, html string) tgPage {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	return parseChannelPage(doc)
}

func TestParseChannelPage(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "telegram", "page1.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := channelPage(t, string(data))
	if len(page.posts) != 3 || page.empty != 1 || page.before != "101" {
		t.Errorf("page1: %d posts, %d without text, before %q; want 3, 1, 101", len(page.posts), page.empty, page.before)
	}

	// A message nested in another (hostile markup) does not lend its
	// text to the outer one; each post counts once; a bad data-before is
	// ignored.
	page = channelPage(t, `
<div class="tgme_widget_message" data-post="c/1">
  <div class="tgme_widget_message" data-post="c/2"><div class="tgme_widget_message_text js-message_text">inner</div></div>
</div>
<div class="tgme_widget_message" data-post="c/2"><div class="tgme_widget_message_text js-message_text">again</div></div>
<a class="tme_messages_more" data-before="1; DROP"></a>
<a class="tme_messages_more" data-before=" 7 "></a>`)
	if len(page.posts) != 1 || page.posts[0].id != "2" || page.posts[0].text != "inner" || page.empty != 1 || page.before != "7" {
		t.Errorf("nested: %+v", page)
	}

	// A reply's text is never the post's, even when it has the post
	// classes too.
	page = channelPage(t, `<div class="tgme_widget_message" data-post="c/3">
<div class="tgme_widget_message_reply"><div class="tgme_widget_message_text js-message_text">quoted</div></div>
<div class="tgme_widget_message_text js-message_text">own <a href="tel:+85500000001">call</a> <a href="javascript:x()">x</a> <a href="/rel">r</a></div></div>`)
	if len(page.posts) != 1 || page.posts[0].text != "own call x r" || page.posts[0].links != "+85500000001" {
		t.Errorf("reply: %+v", page)
	}

	var b strings.Builder
	for i := range maxPostsPerPage + 5 {
		b.WriteString(`<div class="tgme_widget_message" data-post="c/` + strconv.Itoa(i) + `"><div class="tgme_widget_message_text js-message_text">x</div></div>`)
	}
	if page = channelPage(t, b.String()); len(page.posts) != maxPostsPerPage {
		t.Errorf("%d posts read, want the cap %d", len(page.posts), maxPostsPerPage)
	}
}

func TestParseTelegramURL(t *testing.T) {
	for _, tt := range []struct{ in, base, channel string }{
		{"https://t.me/s/fictional_jobs", "https://t.me", "fictional_jobs"},
		{"https://t.me/fictional_jobs/", "https://t.me", "fictional_jobs"},
		{"http://127.0.0.1:8080/s/Chan_1", "http://127.0.0.1:8080", "Chan_1"},
	} {
		base, ch, err := ParseTelegramURL(tt.in)
		if err != nil || base != tt.base || ch != tt.channel {
			t.Errorf("ParseTelegramURL(%q) = %q, %q, %v; want %q, %q", tt.in, base, ch, err, tt.base, tt.channel)
		}
	}
	for _, in := range []string{"", "t.me/s/x", "https://t.me/", "https://t.me/s/", "https://t.me/s/a/12",
		"https://t.me/+AbCdEf", "https://t.me/joinchat/x", "ftp://t.me/s/x", "https://t.me/s/bad-name"} {
		if _, _, err := ParseTelegramURL(in); !errors.Is(err, lurewatch.ErrInvalid) {
			t.Errorf("ParseTelegramURL(%q) error %v, want ErrInvalid", in, err)
		}
	}
}

func FuzzChannelPage(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "telegram", "page1.html"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(data))
	f.Add(`<div class="tgme_widget_message" data-post="c/1"><div class="tgme_widget_message_text js-message_text">a<a href="tel:%zz">b</a></div></div><a class="tme_messages_more" data-before="9">`)
	f.Fuzz(func(t *testing.T, in string) {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(in))
		if err != nil {
			return
		}
		page := parseChannelPage(doc)
		if len(page.posts) > maxPostsPerPage {
			t.Errorf("%d posts over the cap", len(page.posts))
		}
		if page.before != "" && !postIDRE.MatchString(page.before) {
			t.Errorf("before %q is not a post id", page.before)
		}
		for _, p := range page.posts {
			if p.text == "" || len(p.text) > maxFieldSize || !channelRE.MatchString(p.channel) || !postIDRE.MatchString(p.id) {
				t.Errorf("bad post %+v", p)
			}
			if n := strings.Count(p.links, "\n"); n >= maxPostLinks {
				t.Errorf("%d links over the cap", n+1)
			}
		}
	})
}
