package storage

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
)

func testPage(url, body string, at time.Time) *lurewatch.Page {
	return &lurewatch.Page{URL: url, Status: 200, Proto: "HTTP/1.1",
		Header: http.Header{"Content-Type": {"text/html"}, "Set-Cookie": {"a=1", "b=2"}},
		Body:   []byte(body), FetchedAt: at}
}

func TestSavePageRoundTripAndDedup(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 500, time.UTC)
	big := bytes.Repeat([]byte("Casino job in Sihanoukville, free visa. "), 2000)
	p := testPage("https://jobs.example/ad/1", string(big), t0)
	for i := range 3 {
		q := *p
		q.FetchedAt = t0.Add(time.Duration(i) * time.Hour)
		if err := db.SavePage(ctx, &q); err != nil {
			t.Fatal(err)
		}
	}
	var rows, stored int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*), sum(length(body)) FROM pages`).Scan(&rows, &stored); err != nil {
		t.Fatal(err)
	}
	if rows != 1 {
		t.Fatalf("%d rows after saving one page 3 times, want 1", rows)
	}
	if stored >= len(big)/10 {
		t.Errorf("body stored in %d bytes for %d: not compressed", stored, len(big))
	}
	got, err := db.Page(ctx, p.URL, lurewatch.PageSHA256(big))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Body, big) || got.Status != 200 || got.Proto != "HTTP/1.1" ||
		!got.FetchedAt.Equal(t0) || got.Header.Values("Set-Cookie")[1] != "b=2" {
		t.Errorf("round trip: %+v", got)
	}
	// Changed content at the same URL is a second page.
	if err := db.SavePage(ctx, testPage(p.URL, "changed", t0.Add(5*time.Hour))); err != nil {
		t.Fatal(err)
	}
	var n int
	err = db.EachPage(ctx, t0.Add(90*time.Minute), func(p *lurewatch.Page) error { n++; return nil })
	if err != nil || n != 2 {
		t.Errorf("EachPage since 1h30 after first fetch: %d pages, %v; want 2 (one refetched at +2h)", n, err)
	}
	n = 0
	err = db.EachPage(ctx, t0.Add(3*time.Hour), func(p *lurewatch.Page) error { n++; return nil })
	if err != nil || n != 1 {
		t.Errorf("EachPage since +3h: %d pages, %v; want 1", n, err)
	}
	stop := errors.New("stop")
	if err := db.EachPage(ctx, time.Time{}, func(*lurewatch.Page) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("EachPage returned %v, want fn's error", err)
	}
	if _, err := db.Page(ctx, p.URL, "nope"); !errors.Is(err, lurewatch.ErrNotFound) {
		t.Errorf("missing page: %v", err)
	}
}

func TestSavePageInvalid(t *testing.T) {
	db := openTest(t)
	for _, p := range []*lurewatch.Page{
		{Status: 200},
		{URL: "https://x.example/"},
		{URL: "https://x.example/", Status: 200, Body: []byte("a"), SHA256: lurewatch.PageSHA256([]byte("b"))},
	} {
		if err := db.SavePage(context.Background(), p); !errors.Is(err, lurewatch.ErrInvalid) {
			t.Errorf("SavePage(%+v) = %v, want ErrInvalid", p, err)
		}
	}
}

func TestAdLinkedToPage(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	a := assessed("ad1", "Sihanoukville job", lurewatch.LevelHigh, 70)
	page := testPage(a.Ad.URL, "<html>Sihanoukville job</html>", a.Ad.FetchedAt)
	if err := db.SavePage(ctx, page); err != nil {
		t.Fatal(err)
	}
	a.Ad.PageSHA256 = page.SHA256
	for range 2 {
		if err := db.SaveAssessed(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.AdPage(ctx, "ad1")
	if err != nil {
		t.Fatal(err)
	}
	if got.SHA256 != page.SHA256 || string(got.Body) != "<html>Sihanoukville job</html>" {
		t.Errorf("AdPage: %+v", got)
	}
	var links int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM ad_pages WHERE ad_id = 'ad1'`).Scan(&links); err != nil || links != 1 {
		t.Errorf("ad_pages rows %d, %v; want 1", links, err)
	}
	// An ad without a page has none.
	b := assessed("ad2", "Other job", lurewatch.LevelLow, 10)
	if err := db.SaveAssessed(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AdPage(ctx, "ad2"); !errors.Is(err, lurewatch.ErrNotFound) {
		t.Errorf("AdPage of an ad without page: %v", err)
	}
}
