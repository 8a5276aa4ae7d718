package storage

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
)

// A run's counts by ad state, pages not modified and errors by kind are
// stored and read back; a run without errors reads back without kinds.
func TestRunCounts(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	id, err := db.StartRun(ctx, "board")
	if err != nil {
		t.Fatal(err)
	}
	want := lurewatch.CrawlRun{
		ID: id, Source: "board", Pages: 12, Ads: 3, Errors: 4, Status: "ok",
		FinishedAt:       time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC),
		PagesNotModified: 7, AdsNew: 2, AdsChanged: 1, AdsUnchanged: 5,
		ErrorsByKind: map[string]int{"fetch": 2, "parse": 1, "refused": 1, "robots": 3},
	}
	if err := db.FinishRun(ctx, &want); err != nil {
		t.Fatal(err)
	}
	id2, err := db.StartRun(ctx, "feed")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.FinishRun(ctx, &lurewatch.CrawlRun{ID: id2, Status: "ok"}); err != nil {
		t.Fatal(err)
	}
	runs, err := db.Runs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 {
		t.Fatalf("runs = %+v", runs)
	}
	if runs[0].ErrorsByKind != nil || runs[0].Source != "feed" {
		t.Errorf("run without errors = %+v", runs[0])
	}
	got := runs[1]
	want.StartedAt = got.StartedAt
	if !reflect.DeepEqual(got, want) {
		t.Errorf("run read back:\n got  %+v\n want %+v", got, want)
	}
}
