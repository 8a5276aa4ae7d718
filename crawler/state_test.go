package crawler

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/queue"
)

// The queue's crawl state bucket is a State.
var _ State = (*queue.CrawlState)(nil)

// stateSite is a job board of n ads: /jobs links to /ad/1 ... /ad/n. Each
// ad page has a content version and an ETag version and answers a matching
// If-None-Match with 304.
type stateSite struct {
	*httptest.Server
	mu       sync.Mutex
	content  map[int]int // ad → content version
	etag     map[int]int // ad → ETag version
	hits     map[string]int
	inm      map[string]int // requests with If-None-Match, by path
	notMod   int
	n        int
	lastMods bool     // send Last-Modified instead of ETag
	extra    []string // more links on the listing
	robots   string   // body of /robots.txt; "" → 404
}

func newStateSite(t *testing.T, n int) *stateSite {
	s := &stateSite{content: map[int]int{}, etag: map[int]int{}, hits: map[string]int{}, inm: map[string]int{}, n: n}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *stateSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[r.URL.Path]++
	if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
		s.inm[r.URL.Path]++
	}
	switch {
	case r.URL.Path == "/robots.txt" && s.robots != "":
		fmt.Fprint(w, s.robots)
	case r.URL.Path == "/jobs":
		var b strings.Builder
		b.WriteString("<html><body><h1>Jobs</h1><ul>")
		for i := 1; i <= s.n; i++ {
			fmt.Fprintf(&b, `<li><a class="ad" href="/ad/%d">Ad %d</a></li>`, i, i)
		}
		for _, l := range s.extra {
			fmt.Fprintf(&b, `<li><a class="ad" href="%s">more</a></li>`, l)
		}
		b.WriteString("</ul></body></html>")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("ETag", `"listing"`) // ignored: listings are always fetched whole
		_, _ = w.Write([]byte(b.String()))
	case strings.HasPrefix(r.URL.Path, "/ad/"):
		i, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/ad/"))
		if err != nil || i < 1 || i > s.n {
			http.NotFound(w, r)
			return
		}
		tag := fmt.Sprintf(`"ad%d-v%d"`, i, s.etag[i])
		lastMod := time.Date(2026, 1, 1, 0, 0, s.etag[i], 0, time.UTC).Format(http.TimeFormat)
		if s.lastMods {
			w.Header().Set("Last-Modified", lastMod)
			if r.Header.Get("If-Modified-Since") == lastMod {
				s.notMod++
				w.WriteHeader(http.StatusNotModified)
				return
			}
		} else {
			w.Header().Set("ETag", tag)
			if r.Header.Get("If-None-Match") == tag {
				s.notMod++
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><body><h1 class="t">Job %d</h1><div class="d">Text of ad %d, version %d.</div></body></html>`,
			i, i, s.content[i])
	default:
		http.NotFound(w, r)
	}
}

// bump changes ad i: its content (and so its ETag) when content is set,
// else only its ETag.
func (s *stateSite) bump(i int, content bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.etag[i]++
	if content {
		s.content[i]++
	}
}

func (s *stateSite) stats() (hits map[string]int, inm map[string]int, notMod int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hits, inm = map[string]int{}, map[string]int{}
	for k, v := range s.hits {
		hits[k] = v
	}
	for k, v := range s.inm {
		inm[k] = v
	}
	return hits, inm, s.notMod
}

func (s *stateSite) profile() *Profile {
	return &Profile{
		Name:        "state-board",
		Kind:        KindHTML,
		StartURLs:   []string{s.URL + "/jobs"},
		MaxPages:    100,
		Parallelism: 2,
		HTML:        &HTMLSelectors{AdLinks: "a.ad", Ad: AdSelectors{Title: "h1.t", Body: "div.d"}},
	}
}

// queuePublisher publishes to the queue and counts every acked publish by
// ad id. When cancelAfter > 0 it cancels the run's context right after the
// cancelAfter-th acked publish, as a kill would.
type queuePublisher struct {
	q           *queue.Queue
	cancel      context.CancelFunc
	cancelAfter int

	mu    sync.Mutex
	byID  map[string]int
	total int
}

func (p *queuePublisher) PublishAd(ctx context.Context, ad *lurewatch.Ad) error {
	if err := p.q.PublishAd(ctx, ad); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.byID == nil {
		p.byID = map[string]int{}
	}
	p.byID[ad.ID]++
	p.total++
	if p.cancelAfter > 0 && p.total == p.cancelAfter {
		p.cancel()
	}
	return nil
}

func (p *queuePublisher) published() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for k, v := range p.byID {
		out[k] = v
	}
	return out
}

// openQueue starts an embedded NATS server on a random loopback port.
func openQueue(t *testing.T) *queue.Queue {
	t.Helper()
	q, err := queue.Open(context.Background(), queue.Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

// A second run asks for each ad page conditionally and publishes nothing
// when nothing changed; a changed ad is published again, an ad whose page
// changed but whose content did not is not.
func TestStateConditionalAndContentHash(t *testing.T) {
	for _, lastMods := range []bool{false, true} {
		t.Run(fmt.Sprintf("last-modified=%v", lastMods), func(t *testing.T) {
			site := newStateSite(t, 5)
			site.lastMods = lastMods
			q := openQueue(t)
			c, _ := testCrawler(t, Options{AllowPrivate: true, State: q.CrawlState()})
			p := site.profile()
			ctx := context.Background()

			pub := &queuePublisher{q: q}
			rec, err := c.Run(ctx, p, pub)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Ads != 5 || rec.AdsNew != 5 || rec.AdsChanged != 0 || rec.AdsUnchanged != 0 || rec.PagesNotModified != 0 || rec.Pages != 6 {
				t.Fatalf("first run: %+v", rec)
			}

			pub2 := &queuePublisher{q: q}
			rec, err = c.Run(ctx, p, pub2)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Ads != 0 || rec.PagesNotModified != 5 || rec.Pages != 6 || rec.Errors != 0 || len(pub2.published()) != 0 {
				t.Fatalf("second run: %+v, published %v; want 5 pages not modified, nothing published", rec, pub2.published())
			}
			hits, inm, notMod := site.stats()
			if notMod != 5 || inm["/jobs"] != 0 || hits["/jobs"] != 2 {
				t.Fatalf("site saw %d 304s, %d conditional listing requests, %d listing hits", notMod, inm["/jobs"], hits["/jobs"])
			}

			site.bump(2, true)  // new content
			site.bump(3, false) // same content, new validator
			pub3 := &queuePublisher{q: q}
			rec, err = c.Run(ctx, p, pub3)
			if err != nil {
				t.Fatal(err)
			}
			changedID := lurewatch.AdID(p.Name, site.URL+"/ad/2")
			if got := pub3.published(); len(got) != 1 || got[changedID] != 1 {
				t.Fatalf("third run published %v, want only ad 2 (%s)", got, changedID)
			}
			if rec.Ads != 1 || rec.AdsChanged != 1 || rec.AdsNew != 0 || rec.AdsUnchanged != 1 || rec.PagesNotModified != 3 {
				t.Fatalf("third run: %+v", rec)
			}
		})
	}
}

// A crawl killed half-way (its context cancelled right after the third ad
// was acked) and started again publishes every ad exactly once over both
// runs: the second run publishes exactly those the first did not.
func TestStateResumeAfterKill(t *testing.T) {
	const n, killAfter = 8, 3
	site := newStateSite(t, n)
	q := openQueue(t)
	c, _ := testCrawler(t, Options{AllowPrivate: true, State: q.CrawlState()})
	p := site.profile()

	ctx1, cancel := context.WithCancel(context.Background())
	defer cancel()
	pub1 := &queuePublisher{q: q, cancel: cancel, cancelAfter: killAfter}
	rec1, err := c.Run(ctx1, p, pub1)
	if !errors.Is(err, context.Canceled) || rec1.Status != StatusFailed {
		t.Fatalf("killed run: %+v, %v; want failed with context.Canceled", rec1, err)
	}
	first := pub1.published()
	if len(first) != killAfter {
		t.Fatalf("killed run published %v, want %d ads", first, killAfter)
	}

	pub2 := &queuePublisher{q: q}
	rec2, err := c.Run(context.Background(), p, pub2)
	if err != nil {
		t.Fatal(err)
	}
	second := pub2.published()
	if len(second) != n-killAfter || rec2.Ads != n-killAfter || rec2.AdsNew != n-killAfter {
		t.Fatalf("second run published %d ads (%+v), want the remaining %d", len(second), rec2, n-killAfter)
	}
	for id := range second {
		if first[id] != 0 {
			t.Errorf("ad %s published by both runs", id)
		}
	}
	for i := 1; i <= n; i++ {
		id := lurewatch.AdID(p.Name, site.URL+"/ad/"+strconv.Itoa(i))
		if got := first[id] + second[id]; got != 1 {
			t.Errorf("ad %d published %d times over both runs, want 1", i, got)
		}
	}
	if rec2.AdsNew+rec2.AdsUnchanged+rec2.PagesNotModified != n {
		t.Errorf("second run: %+v; every ad page should be new, unchanged or not modified", rec2)
	}
}

// Without a State every run fetches and publishes everything, as before.
func TestStatelessRunRepublishes(t *testing.T) {
	site := newStateSite(t, 3)
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	p := site.profile()
	for range 2 {
		pub := &memPublisher{}
		rec, err := c.Run(context.Background(), p, pub)
		if err != nil || rec.Ads != 3 || rec.AdsNew != 0 || rec.PagesNotModified != 0 {
			t.Fatalf("run: %+v, %v", rec, err)
		}
	}
	if _, inm, _ := site.stats(); len(inm) != 0 {
		t.Fatalf("a stateless run sent conditional requests: %v", inm)
	}
}

// A changed profile reads every page whole again: its validators were
// stored by another profile. The ads' content did not change, so nothing
// is published again.
func TestStateProfileChangeRereadsPages(t *testing.T) {
	site := newStateSite(t, 3)
	q := openQueue(t)
	c, _ := testCrawler(t, Options{AllowPrivate: true, State: q.CrawlState()})
	p := site.profile()
	if _, err := c.Run(context.Background(), p, &queuePublisher{q: q}); err != nil {
		t.Fatal(err)
	}
	p.HTML.Ad.Title = "h1" // same fields, another profile
	pub := &queuePublisher{q: q}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		t.Fatal(err)
	}
	if rec.PagesNotModified != 0 || rec.AdsUnchanged != 3 || rec.Ads != 0 || len(pub.published()) != 0 {
		t.Fatalf("run with a changed profile: %+v", rec)
	}
}

// A sitemap page whose lastmod is older than the page's last whole fetch is
// not requested again; one without lastmod or changed since is asked for
// conditionally.
func TestStateSitemapLastmod(t *testing.T) {
	var mu sync.Mutex
	hits := map[string]int{}
	fetched := time.Now().UTC()
	old := fetched.Add(-72 * time.Hour).Format("2006-01-02")
	future := fetched.Add(72 * time.Hour).Format(time.RFC3339)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		switch r.URL.Path {
		case "/sitemap.xml":
			w.Header().Set("Content-Type", "application/xml")
			fmt.Fprintf(w, `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>/p/1</loc><lastmod>%s</lastmod></url>
<url><loc>/p/2</loc><lastmod>%s</lastmod></url>
<url><loc>/p/3</loc></url></urlset>`, old, future)
		case "/p/1", "/p/2", "/p/3":
			w.Header().Set("ETag", `"`+r.URL.Path+`"`)
			if r.Header.Get("If-None-Match") == `"`+r.URL.Path+`"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			fmt.Fprintf(w, `<html><body><h1>Job %s</h1><div class="d">text</div></body></html>`, r.URL.Path)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	q := openQueue(t)
	c, _ := testCrawler(t, Options{AllowPrivate: true, State: q.CrawlState()})
	p := &Profile{Name: "sm", Kind: KindSitemap, StartURLs: []string{srv.URL + "/sitemap.xml"},
		HTML: &HTMLSelectors{Ad: AdSelectors{Title: "h1", Body: "div.d"}}}
	rec, err := c.Run(context.Background(), p, &queuePublisher{q: q})
	if err != nil || rec.AdsNew != 3 {
		t.Fatalf("first run: %+v, %v", rec, err)
	}
	rec, err = c.Run(context.Background(), p, &queuePublisher{q: q})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if hits["/p/1"] != 1 || hits["/p/2"] != 2 || hits["/p/3"] != 2 || rec.PagesNotModified != 2 || rec.Ads != 0 {
		t.Fatalf("second run: %+v; hits %v; want /p/1 skipped, /p/2 and /p/3 not modified", rec, hits)
	}
}

// A run's record counts its errors by kind.
func TestRunErrorsByKind(t *testing.T) {
	site := newStateSite(t, 2)
	site.extra = []string{"/ad/99", "/private/1", "/private/2"}
	site.robots = "User-agent: *\nDisallow: /private/\n"
	c, _ := testCrawler(t, Options{AllowPrivate: true})
	rec, err := c.Run(context.Background(), site.profile(), &memPublisher{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{ErrKind4xx: 1, ErrKindRobots: 2}
	if rec.Ads != 2 || rec.Errors != 1 || !maps.Equal(rec.ErrorsByKind, want) {
		t.Fatalf("run: %+v; want errors by kind %v", rec, want)
	}
}
