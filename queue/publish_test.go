package queue

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
)

// Ads published from several goroutines at once, each encoded into a
// pooled buffer, arrive whole and each as it was sent: a buffer is reused
// only once its content is on its way.
func TestPublishAdPayloadsIntact(t *testing.T) {
	q := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const goroutines, each = 4, 25
	sent := map[string]*lurewatch.Ad{}
	for g := range goroutines {
		for i := range each {
			id := fmt.Sprintf("ad-%d-%d", g, i)
			ad := &lurewatch.Ad{
				SchemaVersion: lurewatch.SchemaVersion, ID: id, Source: "test.src", Title: "Job <" + id + ">",
				Text:      strings.Repeat(id+" \"free\" flight & visa\n", 2000+97*i),
				FetchedAt: time.Date(2025, 3, 14, 0, 0, g*each+i, 0, time.UTC),
			}
			ad.ContentHash = lurewatch.ContentHashOf(ad)
			sent[id] = ad
		}
	}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				if err := q.PublishAd(ctx, sent[fmt.Sprintf("ad-%d-%d", g, i)]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()

	var mu sync.Mutex
	got := map[string]*lurewatch.Ad{}
	go q.ConsumeAds(ctx, ConsumeOptions{Durable: "t"}, func(_ context.Context, ad *lurewatch.Ad) error {
		mu.Lock()
		got[ad.ID] = ad
		mu.Unlock()
		return nil
	})
	waitFor(t, "every ad consumed", func() bool { mu.Lock(); defer mu.Unlock(); return len(got) == len(sent) })
	mu.Lock()
	defer mu.Unlock()
	for id, want := range sent {
		g := got[id]
		if g == nil || g.Text != want.Text || g.Title != want.Title || !g.FetchedAt.Equal(want.FetchedAt) ||
			g.ContentHash != want.ContentHash {
			t.Errorf("ad %s arrived changed", id)
		}
	}
}
