package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
)

// memEvidence is an Evidence that keeps pages in memory, or fails.
type memEvidence struct {
	mu    sync.Mutex
	pages map[string]*lurewatch.Page // by URL
	err   error
}

func (m *memEvidence) SavePage(_ context.Context, p *lurewatch.Page) error {
	if m.err != nil {
		return m.err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pages == nil {
		m.pages = make(map[string]*lurewatch.Page)
	}
	cp := *p
	m.pages[p.URL] = &cp
	return nil
}

// countObserver counts what an Observer is told.
type countObserver struct {
	mu     sync.Mutex
	status map[int]int
	bytes  int64
	errs   map[string]int
	ads    int
}

func (o *countObserver) OnFetch(status int, n int64, _ time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.status == nil {
		o.status = map[int]int{}
	}
	o.status[status]++
	o.bytes += n
}

func (o *countObserver) OnError(kind string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.errs == nil {
		o.errs = map[string]int{}
	}
	o.errs[kind]++
}

func (o *countObserver) OnAd() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.ads++
}

func postingPage(title, charset string) []byte {
	return []byte(`<html><head><meta charset="` + charset + `"><script type="application/ld+json">` +
		`{"@type": "JobPosting", "title": "` + title + `", "description": "Casino work, visa free."}` +
		`</script></head><body></body></html>`)
}

// evidenceSite serves pages the way hostile or ordinary servers do: plain,
// gzip-encoded, in windows-1251 (declared in the header, so colly
// converts the body, while evidence must keep the bytes as sent), behind
// a redirect, and a 404.
func evidenceSite(t *testing.T) (*httptest.Server, map[string][]byte) {
	plain := postingPage("Plain job", "utf-8")
	gz := postingPage("Gzip job", "utf-8")
	cyr := postingPage("\xd0\xe0\xe1\xee\xf2\xe0", "windows-1251") // "Работа" in windows-1251
	final := postingPage("Moved job", "utf-8")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/plain":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("X-Evidence", "kept")
			_, _ = w.Write(plain)
		case "/gzip":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			_, _ = zw.Write(gz)
			_ = zw.Close()
		case "/cyr":
			w.Header().Set("Content-Type", "text/html; charset=windows-1251")
			_, _ = w.Write(cyr)
		case "/moved":
			http.Redirect(w, r, "/final", http.StatusFound)
		case "/final":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write(final)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, map[string][]byte{"/plain": plain, "/gzip": gz, "/cyr": cyr, "/final": final}
}

// Every page an ad came from is kept exactly as received (gzip inflated by
// the HTTP client, charsets untouched), and each ad names its page.
func TestEvidenceCapture(t *testing.T) {
	srv, bodies := evidenceSite(t)
	ev := &memEvidence{}
	obs := &countObserver{}
	c, _ := testCrawler(t, Options{AllowPrivate: true, Evidence: ev, Observer: obs})
	p := &Profile{Name: "evidence", Kind: KindJSONLD, StartURLs: []string{
		srv.URL + "/plain", srv.URL + "/gzip", srv.URL + "/cyr", srv.URL + "/moved", srv.URL + "/missing",
	}}
	pub := &memPublisher{}
	if _, err := c.Run(context.Background(), p, pub); err != nil {
		t.Fatal(err)
	}
	if len(ev.pages) != len(bodies) {
		t.Fatalf("kept %d pages, want %d: %v", len(ev.pages), len(bodies), keys(ev.pages))
	}
	for path, body := range bodies {
		pg := ev.pages[srv.URL+path]
		if pg == nil {
			t.Errorf("page %s not kept", path)
			continue
		}
		if !bytes.Equal(pg.Body, body) {
			t.Errorf("page %s: body %q, want %q", path, pg.Body, body)
		}
		if pg.SHA256 != lurewatch.PageSHA256(body) || pg.Status != 200 || pg.FetchedAt.IsZero() || pg.Proto == "" {
			t.Errorf("page %s: %+v", path, pg)
		}
	}
	if got := ev.pages[srv.URL+"/plain"].Header.Get("X-Evidence"); got != "kept" {
		t.Errorf("headers not kept: X-Evidence %q", got)
	}
	ads := pub.published()
	if len(ads) != 4 {
		t.Fatalf("published %d ads, want 4", len(ads))
	}
	for _, ad := range ads {
		pg := ev.pages[ad.URL]
		if pg == nil {
			t.Errorf("ad %s (%s): no page kept under its URL", ad.ID, ad.URL)
			continue
		}
		if ad.PageSHA256 != pg.SHA256 {
			t.Errorf("ad %s (%s): page_sha256 %q, want %q", ad.ID, ad.URL, ad.PageSHA256, pg.SHA256)
		}
		if !ad.FetchedAt.Equal(pg.FetchedAt) {
			t.Errorf("ad %s: fetched %v, page fetched %v", ad.ID, ad.FetchedAt, pg.FetchedAt)
		}
	}
	for _, ad := range ads {
		if strings.HasSuffix(ad.URL, "/cyr") && ad.Title != "Работа" {
			t.Errorf("windows-1251 ad title %q: the ad is decoded, only the evidence keeps the bytes", ad.Title)
		}
	}

	obs.mu.Lock()
	defer obs.mu.Unlock()
	if obs.status[200] < 4 || obs.status[302] != 1 || obs.status[404] < 1 {
		t.Errorf("fetches by status: %v", obs.status)
	}
	if obs.ads != 4 {
		t.Errorf("observer saw %d ads, want 4", obs.ads)
	}
	if obs.errs[ErrKind4xx] != 1 {
		t.Errorf("errors by kind: %v", obs.errs)
	}
	if obs.bytes < int64(len(bodies["/plain"])) {
		t.Errorf("bytes %d", obs.bytes)
	}
}

// A failing evidence store is logged and counted; the crawl goes on and
// its ads carry no page link.
func TestEvidenceSaveFails(t *testing.T) {
	srv, _ := evidenceSite(t)
	obs := &countObserver{}
	c, _ := testCrawler(t, Options{AllowPrivate: true, Evidence: &memEvidence{err: errors.New("disk full")}, Observer: obs})
	p := &Profile{Name: "evidence", Kind: KindJSONLD, StartURLs: []string{srv.URL + "/plain"}}
	pub := &memPublisher{}
	rec, err := c.Run(context.Background(), p, pub)
	if err != nil {
		t.Fatal(err)
	}
	ads := pub.published()
	if len(ads) != 1 || ads[0].PageSHA256 != "" {
		t.Fatalf("ads %+v", ads)
	}
	if rec.Errors != 1 || obs.errs[ErrKindEvidence] != 1 {
		t.Errorf("errors %d, by kind %v", rec.Errors, obs.errs)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
