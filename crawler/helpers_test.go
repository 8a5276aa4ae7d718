package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"

	"github.com/lurewatch/lurewatch"
)

// testSite is an httptest server serving fixture files by request URI
// (path and query), counting every request it receives. In a fixture,
// {{BASE}} stands for the server's URL. A file ending in ".gz" is served
// as the gzip of the file without that suffix. The Content-Type follows
// the file's extension.
type testSite struct {
	*httptest.Server
	t         *testing.T
	routes    map[string]string // request URI → file under testdata
	redirects map[string]string // request URI → Location of a 302
	robots    string            // body of /robots.txt; "" → 404
	sleep     time.Duration     // added to every page response

	mu       sync.Mutex
	hits     map[string]int
	inflight int
	peak     int
}

func newSite(t *testing.T, routes map[string]string, robots string) *testSite {
	t.Helper()
	s := &testSite{t: t, routes: routes, robots: robots, hits: make(map[string]int)}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *testSite) serve(w http.ResponseWriter, r *http.Request) {
	uri := r.URL.RequestURI()
	s.mu.Lock()
	s.hits[uri]++
	s.inflight++
	s.peak = max(s.peak, s.inflight)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inflight--
		s.mu.Unlock()
	}()
	if got := r.Header.Get("User-Agent"); !strings.HasPrefix(got, "lurewatch/") {
		s.t.Errorf("request %s has User-Agent %q", uri, got)
	}
	if uri == "/robots.txt" {
		if s.robots == "" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(s.robots))
		return
	}
	if loc, ok := s.redirects[uri]; ok {
		http.Redirect(w, r, loc, http.StatusFound)
		return
	}
	file, ok := s.routes[uri]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if s.sleep > 0 {
		time.Sleep(s.sleep)
	}
	name, gz := strings.CutSuffix(file, ".gz")
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		s.t.Errorf("fixture %s: %v", file, err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	data = bytes.ReplaceAll(data, []byte("{{BASE}}"), []byte(s.URL))
	ct := "text/html; charset=utf-8"
	switch {
	case gz:
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write(data)
		_ = zw.Close()
		data, ct = b.Bytes(), "application/x-gzip"
	case strings.HasSuffix(name, ".rss"):
		ct = "application/rss+xml"
	case strings.HasSuffix(name, ".atom"):
		ct = "application/atom+xml"
	case strings.HasSuffix(name, ".xml"):
		ct = "application/xml"
	}
	w.Header().Set("Content-Type", ct)
	_, _ = w.Write(data)
}

// hitCount returns how many requests uri received.
func (s *testSite) hitCount(uri string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[uri]
}

// pageHits returns how many requests the site received, robots.txt aside.
func (s *testSite) pageHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for uri, c := range s.hits {
		if uri != "/robots.txt" {
			n += c
		}
	}
	return n
}

// totalHits returns how many requests the site received.
func (s *testSite) totalHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.hits {
		n += c
	}
	return n
}

// memPublisher is a Publisher that keeps the ads it is given, or fails
// with err.
type memPublisher struct {
	mu    sync.Mutex
	ads   []*lurewatch.Ad
	calls int
	err   error
	after func() // called after each publish, if set
}

func (m *memPublisher) PublishAd(_ context.Context, ad *lurewatch.Ad) error {
	m.mu.Lock()
	m.calls++
	if m.err != nil {
		m.mu.Unlock()
		return m.err
	}
	cp := *ad
	m.ads = append(m.ads, &cp)
	m.mu.Unlock()
	if m.after != nil {
		m.after()
	}
	return nil
}

func (m *memPublisher) published() []*lurewatch.Ad {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := append([]*lurewatch.Ad(nil), m.ads...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// testCrawler returns a Crawler that may reach loopback, logging to the
// test log and to an observer the test can inspect.
func testCrawler(t *testing.T, opts Options) (*Crawler, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	tl := zaptest.NewLogger(t)
	opts.Logger = zap.New(zapcore.NewTee(tl.Core(), core))
	return New(opts), logs
}

// wantAd is the part of an ad a test checks exactly; times are RFC 3339
// strings in UTC ("" for the zero time).
type wantAd struct {
	Key                                              string // page path, with "#..." for postings
	Title, Text, Employer, Location, Salary, Contact string
	Posted, ValidThrough                             string
}

// checkAds compares the published ads with want, by id.
func checkAds(t *testing.T, site *testSite, p *Profile, got []*lurewatch.Ad, want []wantAd) {
	t.Helper()
	byID := make(map[string]*lurewatch.Ad)
	for _, ad := range got {
		if _, dup := byID[ad.ID]; dup {
			t.Errorf("ad %s published twice", ad.ID)
		}
		byID[ad.ID] = ad
	}
	if len(got) != len(want) {
		t.Errorf("published %d ads, want %d", len(got), len(want))
		for _, ad := range got {
			t.Logf("got ad %s %s %q", ad.ID, ad.URL, ad.Title)
		}
	}
	for _, w := range want {
		page, frag, _ := strings.Cut(w.Key, "#")
		url := site.URL + page
		key := url
		if frag != "" {
			key += "#" + frag
		}
		id := lurewatch.AdID(p.Name, key)
		ad, ok := byID[id]
		if !ok {
			t.Errorf("ad %s (%s) not published", w.Key, id)
			continue
		}
		gotW := wantAd{
			Key: w.Key, Title: ad.Title, Text: ad.Text, Employer: ad.Employer, Location: ad.Location,
			Salary: ad.Salary, Contact: ad.Contact, Posted: fmtTime(ad.PostedAt), ValidThrough: fmtTime(ad.ValidThrough),
		}
		if gotW != w {
			t.Errorf("ad %s:\n got  %#v\n want %#v", w.Key, gotW, w)
		}
		if ad.URL != url {
			t.Errorf("ad %s: URL %q, want %q", w.Key, ad.URL, url)
		}
		if ad.Source != p.Name || ad.SourceKind != p.Kind || ad.SchemaVersion != lurewatch.SchemaVersion {
			t.Errorf("ad %s: source %q kind %q schema %d", w.Key, ad.Source, ad.SourceKind, ad.SchemaVersion)
		}
		if ad.FetchedAt.IsZero() {
			t.Errorf("ad %s: FetchedAt not set", w.Key)
		}
		if ad.ContentHash == "" || ad.ContentHash != lurewatch.ContentHashOf(ad) {
			t.Errorf("ad %s: ContentHash %q, want %q", w.Key, ad.ContentHash, lurewatch.ContentHashOf(ad))
		}
	}
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// checkAdLogs checks that every log line about an ad names the ad and the
// source.
func checkAdLogs(t *testing.T, logs *observer.ObservedLogs) {
	t.Helper()
	n := 0
	for _, e := range logs.All() {
		fields := e.ContextMap()
		if _, ok := fields["ad_id"]; !ok {
			if strings.Contains(e.Message, "ad ") || strings.HasPrefix(e.Message, "ad") || strings.Contains(e.Message, "publish") {
				t.Errorf("log %q has no ad_id: %v", e.Message, fields)
			}
			continue
		}
		n++
		if _, ok := fields["source"]; !ok {
			t.Errorf("log %q has ad_id but no source: %v", e.Message, fields)
		}
	}
	if n == 0 {
		t.Error("no log line carries ad_id")
	}
}

// jsonldWant is what the JSON-LD fixture pages (jsonldRoutes) carry, by
// key; tests of every kind that reads them pick the ads they expect.
var jsonldWant = func() map[string]wantAd {
	m := map[string]wantAd{}
	for _, w := range []wantAd{
		{
			Key:          "/single",
			Title:        "Online sales specialist",
			Text:         "High salary, no experience needed.\n\nFree visa & flight to Bangkok, then transfer to Myawaddy.\n\nFood and dormitory provided",
			Employer:     "Fictional Star Group",
			Location:     "Myawaddy, Kayin, MM",
			Salary:       "USD 2000-4500 per month",
			Contact:      "Ms Fictional\n+855 12 000 000\nhttps://t.me/hr_fictional_03",
			Posted:       "2025-04-01T00:00:00Z",
			ValidThrough: "2025-04-30T17:00:00Z",
		},
		{
			Key:      "/array#id=GT-7",
			Title:    "Game tester",
			Text:     "Test games all day. Salary paid in USDT.",
			Employer: "Fictional Play Ltd",
			Location: "Bavet, Svay Rieng, Cambodia; Poipet, KH",
			Salary:   "USD 1200",
			Posted:   "2025-04-02T10:00:00Z",
		},
		{
			Key:      "/array#2",
			Title:    "Translator (Thai)",
			Text:     "Translate chats.\n\nRemote first month.",
			Employer: "Fictional Play Ltd",
			Location: "Remote",
		},
		{
			Key:      "/graph",
			Title:    "Deck hand, fishing vessel",
			Text:     "Work at sea for 2 years. Salary paid at the end of the contract.",
			Employer: "Fictional Harbour Agency",
			Location: "International waters",
			Salary:   "THB 9000 per month",
			Posted:   "2025-03-30T00:00:00Z",
		},
		{
			Key:      "/two-blocks#id=R-1",
			Title:    "Hotel receptionist",
			Text:     "Front desk work in Vientiane.",
			Employer: "Fictional Riverside Hotel",
			Location: "Vientiane, LA",
		},
		{
			Key:      "/two-blocks#2",
			Title:    "Casino dealer",
			Text:     "Training provided. Passport required on arrival.",
			Employer: "Fictional Riverside Hotel",
			Salary:   "negotiable",
		},
		{
			Key:      "/malformed",
			Title:    "Warehouse packer",
			Text:     "Packing parcels.",
			Employer: "Fictional Logistics",
			Posted:   "2025-04-03T00:00:00Z",
		},
	} {
		m[w.Key] = w
	}
	return m
}()

// jsonldAds returns the fixture ads with the given keys.
func jsonldAds(keys ...string) []wantAd {
	out := make([]wantAd, len(keys))
	for i, k := range keys {
		w, ok := jsonldWant[k]
		if !ok {
			panic("no JSON-LD fixture ad " + k)
		}
		out[i] = w
	}
	return out
}
