package storage

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "lw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func assessed(id, text string, level lurewatch.Level, score int) *lurewatch.AssessedAd {
	ad := lurewatch.Ad{SchemaVersion: 1, ID: id, Source: "s", SourceKind: "html", URL: "http://example.org/" + id,
		Title: "title " + id, Text: text, FetchedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	ad.ContentHash = lurewatch.ContentHashOf(&ad)
	return &lurewatch.AssessedAd{SchemaVersion: 1, Ad: ad, Assessment: lurewatch.Assessment{
		AdID: id, ContentHash: ad.ContentHash, Score: score, Level: level,
		Categories: []string{"free_travel", "hotspot_destination"},
		Indicators: []lurewatch.Indicator{
			{ID: "hotspot.shv", Category: "hotspot_destination", Weight: 20,
				Evidence: []lurewatch.Evidence{{Field: "text", Start: 0, End: 4, Snippet: text[:4]}}},
			{ID: "travel.free", Category: "free_travel", Weight: 10},
		},
		Entities:     []lurewatch.Entity{{Kind: "telegram", Value: "@hr_fictional_01"}},
		Summary:      "two categories",
		Lang:         "en",
		RulesVersion: "r1", DetectorVersion: "d1",
	}}
}

func TestSaveAssessedIsIdempotent(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	a := assessed("ad1", "Sihanoukville job", lurewatch.LevelHigh, 70)
	for range 3 {
		if err := db.SaveAssessed(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	st, err := db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Ads != 1 || st.Assessments != 1 {
		t.Fatalf("after 3 saves: %+v, want 1 ad and 1 assessment", st)
	}
	got, err := db.Assessment(ctx, "ad1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Score != 70 || got.Level != lurewatch.LevelHigh || len(got.Indicators) != 2 ||
		got.Indicators[0].Evidence[0].Snippet != "Siha" || got.Lang != "en" || got.Entities[0].Value != "@hr_fictional_01" {
		t.Errorf("assessment read back wrong: %+v", got)
	}
	ad, err := db.Ad(ctx, "ad1")
	if err != nil {
		t.Fatal(err)
	}
	if ad.Text != "Sihanoukville job" || !ad.FetchedAt.Equal(a.Ad.FetchedAt) {
		t.Errorf("ad read back wrong: %+v", ad)
	}
}

func TestChangedAdGetsNewAssessment(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if err := db.SaveAssessed(ctx, assessed("ad1", "Sihanoukville job", lurewatch.LevelHigh, 70)); err != nil {
		t.Fatal(err)
	}
	changed := assessed("ad1", "Nice honest job", lurewatch.LevelNone, 0)
	changed.Ad.FetchedAt = changed.Ad.FetchedAt.Add(time.Hour)
	if err := db.SaveAssessed(ctx, changed); err != nil {
		t.Fatal(err)
	}
	st, _ := db.Stats(ctx)
	if st.Ads != 1 || st.Assessments != 2 {
		t.Fatalf("stats %+v, want 1 ad with 2 assessments", st)
	}
	got, err := db.Assessment(ctx, "ad1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Level != lurewatch.LevelNone {
		t.Errorf("current assessment level = %v, want none (the changed content's)", got.Level)
	}
	flagged, err := db.ListAssessed(ctx, lurewatch.LevelMedium, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(flagged) != 0 {
		t.Errorf("flagged = %d ads, want 0 once the ad changed to an honest one", len(flagged))
	}
	// A late redelivery of the old content must not roll the ad back.
	if err := db.SaveAssessed(ctx, assessed("ad1", "Sihanoukville job", lurewatch.LevelHigh, 70)); err != nil {
		t.Fatal(err)
	}
	ad, _ := db.Ad(ctx, "ad1")
	if ad.Text != "Nice honest job" {
		t.Errorf("stale redelivery rolled the ad back to %q", ad.Text)
	}
}

func TestListAssessedOrdersByScore(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	for _, a := range []*lurewatch.AssessedAd{
		assessed("low", "Nothing much", lurewatch.LevelLow, 20),
		assessed("crit", "Myawaddy etc", lurewatch.LevelCritical, 95),
		assessed("med", "Bavet etc", lurewatch.LevelMedium, 45),
	} {
		if err := db.SaveAssessed(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.ListAssessed(ctx, lurewatch.LevelMedium, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Ad.ID != "crit" || got[1].Ad.ID != "med" {
		t.Fatalf("ListAssessed = %+v", got)
	}
}

func TestConcurrentWritersAndReaders(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 40 {
		wg.Go(func() {
			if err := db.SaveAssessed(ctx, assessed(string(rune('a'+i%26))+string(rune('a'+i/26)), "Sihanoukville text", lurewatch.LevelMedium, 50)); err != nil {
				errs <- err
			}
			if _, err := db.ListAssessed(ctx, lurewatch.LevelNone, 5); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if st, _ := db.Stats(ctx); st.Ads != 40 {
		t.Errorf("ads = %d, want 40", st.Ads)
	}
}

func TestDeadLettersAndRuns(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	d := &lurewatch.DeadLetter{Stream: "ADS", Subject: "lurewatch.ads.x", Sequence: 7, Reason: "decode: bad", Data: []byte("{")}
	for range 2 {
		if err := db.SaveDeadLetter(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	dls, err := db.DeadLetters(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(dls) != 1 || dls[0].Reason != "decode: bad" || string(dls[0].Data) != "{" {
		t.Fatalf("dead letters = %+v", dls)
	}
	id, err := db.StartRun(ctx, "board")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, &lurewatch.CrawlRun{ID: id, Pages: 3, Ads: 2, Status: "ok"}); err != nil {
		t.Fatal(err)
	}
	runs, err := db.Runs(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Pages != 3 || runs[0].Status != "ok" || runs[0].FinishedAt.IsZero() {
		t.Fatalf("runs = %+v", runs)
	}
	if err := db.FinishRun(ctx, &lurewatch.CrawlRun{ID: 999}); !errors.Is(err, lurewatch.ErrNotFound) {
		t.Errorf("finish unknown run: err = %v, want ErrNotFound", err)
	}
}

func TestReopenAppliesMigrationsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lw.db")
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SaveAssessed(ctx, assessed("keep", "Bavet text", lurewatch.LevelLow, 10)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()
	if _, err := db.Ad(ctx, "keep"); err != nil {
		t.Errorf("data lost on reopen: %v", err)
	}
	if _, err := db.Ad(ctx, "missing"); !errors.Is(err, lurewatch.ErrNotFound) {
		t.Errorf("missing ad: err = %v, want ErrNotFound", err)
	}
}
