package queue

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
)

func TestKeyToken(t *testing.T) {
	for in, want := range map[string]string{
		"":             "=",
		"board-1_x":    "board-1_x",
		"a.b":          "a=2Eb",
		"a b*>":        "a=20b=2A=3E",
		"ünï":          "=C3=BCn=C3=AF",
		"=2E":          "=3D2E",
		"https://x.y/": "https=3A=2F=2Fx=2Ey=2F",
	} {
		if got := keyToken(in); got != want {
			t.Errorf("keyToken(%q) = %q, want %q", in, got, want)
		}
	}
}

// Page and ad state round-trip through CRAWL_STATE, per source, and are
// visible to a second connection; unknown keys read as zero.
func TestCrawlState(t *testing.T) {
	q := openTest(t)
	ctx := context.Background()
	st := q.CrawlState()
	url := "https://jobs.example/ad/1?x=1"
	if ps, err := st.Page(ctx, "src.a", url); err != nil || !ps.IsZero() {
		t.Fatalf("Page of an unknown URL = %+v, %v; want zero, nil", ps, err)
	}
	if h, err := st.AdHash(ctx, "src.a", "ad1"); err != nil || h != "" {
		t.Fatalf("AdHash of an unknown ad = %q, %v", h, err)
	}
	want := lurewatch.PageState{ETag: `"v1"`, LastModified: "Wed, 25 Nov 2026 10:00:00 GMT",
		FetchedAt: time.Date(2026, 11, 25, 10, 0, 1, 0, time.UTC)}
	if err := st.SetPage(ctx, "src.a", url, want); err != nil {
		t.Fatal(err)
	}
	if err := st.SetAdHash(ctx, "src.a", "ad1", "h1"); err != nil {
		t.Fatal(err)
	}
	if err := st.SetAdHash(ctx, "src.a", "ad1", "h2"); err != nil {
		t.Fatal(err)
	}

	q2, err := Open(ctx, Options{URL: q.ClientURL()})
	if err != nil {
		t.Fatal(err)
	}
	defer q2.Close()
	st2 := q2.CrawlState()
	if ps, err := st2.Page(ctx, "src.a", url); err != nil || ps != want {
		t.Fatalf("Page = %+v, %v; want %+v", ps, err, want)
	}
	if h, err := st2.AdHash(ctx, "src.a", "ad1"); err != nil || h != "h2" {
		t.Fatalf("AdHash = %q, %v; want h2", h, err)
	}
	// Another source does not see it.
	if ps, _ := st2.Page(ctx, "src-b", url); !ps.IsZero() {
		t.Fatalf("another source sees the page state: %+v", ps)
	}
	if h, _ := st2.AdHash(ctx, "src-b", "ad1"); h != "" {
		t.Fatalf("another source sees the ad hash %q", h)
	}
}

// Two connections racing for one lease: exactly one gets it; the other is
// told ErrLeaseHeld. After Release the lease can be taken again; a lease
// whose holder stops refreshing expires after the TTL, and one that is
// refreshed does not.
func TestLease(t *testing.T) {
	ctx := context.Background()
	q, err := Open(ctx, Options{DataDir: t.TempDir(), Listen: "127.0.0.1:0", LeaseTTL: 600 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	q2, err := Open(ctx, Options{URL: q.ClientURL(), LeaseTTL: 600 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer q2.Close()

	for round := range 3 {
		var wg sync.WaitGroup
		leases := make([]*Lease, 2)
		errs := make([]error, 2)
		for i, qq := range []*Queue{q, q2} {
			wg.Go(func() { leases[i], errs[i] = qq.AcquireLease(ctx, "crawl.board") })
		}
		wg.Wait()
		var held *Lease
		for i := range 2 {
			switch {
			case errs[i] == nil:
				if held != nil {
					t.Fatalf("round %d: both connections got the lease", round)
				}
				held = leases[i]
			case !errors.Is(errs[i], ErrLeaseHeld):
				t.Fatalf("round %d: AcquireLease error %v, want ErrLeaseHeld", round, errs[i])
			}
		}
		if held == nil {
			t.Fatalf("round %d: nobody got the lease: %v", round, errs)
		}
		if err := held.Release(ctx); err != nil {
			t.Fatalf("round %d: Release: %v", round, err)
		}
	}

	// Refreshed: still held after three TTLs.
	l, err := q.AcquireLease(ctx, "crawl.board")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(1800 * time.Millisecond)
	if _, err := q2.AcquireLease(ctx, "crawl.board"); !errors.Is(err, ErrLeaseHeld) {
		t.Fatalf("a refreshed lease was taken: %v", err)
	}
	if l.Err() != nil {
		t.Fatalf("refreshed lease lost: %v", l.Err())
	}
	// Abandoned, as by a crash: another holder gets it after the TTL, and
	// a release of the stale lease deletes nothing.
	l.abandon()
	var l2 *Lease
	deadline := time.Now().Add(10 * time.Second)
	for {
		l2, err = q2.AcquireLease(ctx, "crawl.board")
		if err == nil {
			break
		}
		if !errors.Is(err, ErrLeaseHeld) || time.Now().After(deadline) {
			t.Fatalf("abandoned lease not acquirable: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := q.AcquireLease(ctx, "crawl.other"); err != nil {
		t.Fatalf("another name: %v", err)
	}
	if err := l2.Release(ctx); err != nil {
		t.Fatal(err)
	}
}

// A holder whose key is taken over (it expired and another holder created
// it) learns that the lease is lost.
func TestLeaseLost(t *testing.T) {
	ctx := context.Background()
	q, err := Open(ctx, Options{DataDir: t.TempDir(), LeaseTTL: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	l, err := q.AcquireLease(ctx, "x")
	if err != nil {
		t.Fatal(err)
	}
	// Overwrite the key behind the holder's back.
	if _, err := q.locks.Put(ctx, l.key, []byte(`{"holder":"other"}`)); err != nil {
		t.Fatal(err)
	}
	select {
	case <-l.Lost():
	case <-time.After(5 * time.Second):
		t.Fatal("lease not reported lost")
	}
	if err := l.Release(ctx); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("Release of a lost lease = %v, want ErrLeaseLost", err)
	}
	if _, err := q.AcquireLease(ctx, "x"); !errors.Is(err, ErrLeaseHeld) {
		t.Fatalf("the other holder's lease was deleted: %v", err)
	}
}
