package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/lurewatch/lurewatch/crawler"
	"github.com/lurewatch/lurewatch/queue"
)

// gatedSite is a board of two ads whose listing page waits for gate to be
// closed (or for a test timeout), so that a run can be held in progress.
type gatedSite struct {
	*httptest.Server
	gate     chan struct{}
	listings atomic.Int32
}

func newGatedSite(t *testing.T) *gatedSite {
	s := &gatedSite{gate: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/jobs":
			s.listings.Add(1)
			select {
			case <-s.gate:
			case <-time.After(20 * time.Second):
			}
			fmt.Fprint(w, `<html><body><a class="ad" href="/ad/1">1</a><a class="ad" href="/ad/2">2</a></body></html>`)
		case strings.HasPrefix(r.URL.Path, "/ad/"):
			etag := `"` + r.URL.Path + `"`
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			fmt.Fprintf(w, `<html><body><h1>Job %s</h1><div class="d">a lure ad</div></body></html>`, r.URL.Path)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *gatedSite) profile() *crawler.Profile {
	return &crawler.Profile{
		Name: "gated", Kind: crawler.KindHTML, StartURLs: []string{s.URL + "/jobs"},
		HTML: &crawler.HTMLSelectors{AdLinks: "a.ad", Ad: crawler.AdSelectors{Title: "h1", Body: "div.d"}},
	}
}

// startCrawlPipeline starts a pipeline on q and e's database with a crawler
// that keeps its state in q.
func startCrawlPipeline(t *testing.T, q *queue.Queue, e *env, log *zap.Logger) *Pipeline {
	t.Helper()
	c := crawler.New(crawler.Options{AllowPrivate: true, State: q.CrawlState(), Logger: log})
	p, err := Start(context.Background(), Options{Queue: q, DB: e.db, Assessor: wordAssessor{}, Crawler: c, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop() })
	return p
}

// Two pipelines on two connections to one NATS server (as two processes
// would be) start a crawl of the same source at once: exactly one runs,
// the other is skipped with ErrRunInProgress and records nothing. Once the
// run has ended, the source can run again, from either.
func TestCrawlLeaseOneRunPerSource(t *testing.T) {
	e := newEnv(t)
	q2, err := queue.Open(context.Background(), queue.Options{URL: e.q.ClientURL()})
	if err != nil {
		t.Fatal(err)
	}
	defer q2.Close()
	core, logs := observer.New(zap.InfoLevel)
	log := zap.New(core)
	site := newGatedSite(t)
	prof := site.profile()
	pipes := []*Pipeline{startCrawlPipeline(t, e.q, e, log), startCrawlPipeline(t, q2, e, log)}

	ctx := context.Background()
	errs := make([]error, 2)
	var wg sync.WaitGroup
	var skipped atomic.Int32
	for i, p := range pipes {
		wg.Go(func() {
			_, _, errs[i] = p.Crawl(ctx, prof)
			if errors.Is(errs[i], ErrRunInProgress) && skipped.Add(1) == 1 {
				close(site.gate) // the other run may go on now
			}
		})
	}
	wg.Wait()
	ran := 0
	for i, err := range errs {
		switch {
		case err == nil:
			ran++
		case !errors.Is(err, ErrRunInProgress):
			t.Fatalf("pipeline %d: %v", i, err)
		}
	}
	if ran != 1 || skipped.Load() != 1 || site.listings.Load() != 1 {
		t.Fatalf("%d runs, %d skipped, %d listing fetches; want exactly one run (errors %v)", ran, skipped.Load(), site.listings.Load(), errs)
	}
	runs, err := e.db.Runs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Status != "ok" || runs[0].Ads != 2 || runs[0].AdsNew != 2 {
		t.Fatalf("runs = %+v, want one ok run with 2 new ads", runs)
	}
	if logs.FilterMessage("crawl skipped: another run of this source is in progress").Len() != 1 {
		t.Errorf("the skipped run was not logged once")
	}

	// The lease was released: the other pipeline runs it now; nothing
	// changed, so both ad pages answer 304.
	run, _, err := pipes[1].Crawl(ctx, prof)
	if err != nil {
		t.Fatal(err)
	}
	if run.Ads != 0 || run.PagesNotModified != 2 {
		t.Fatalf("second run = %+v, want nothing published and 2 pages not modified", run)
	}
	runs, _ = e.db.Runs(ctx, 10)
	if len(runs) != 2 || runs[0].PagesNotModified != 2 {
		t.Fatalf("runs = %+v", runs)
	}
	fin := logs.FilterMessage("crawl finished").FilterFieldKey("run").All()
	if len(fin) != 2 || fin[0].ContextMap()["ads_new"] != int64(2) || fin[1].ContextMap()["pages_not_modified"] != int64(2) {
		t.Errorf("crawl summaries = %+v", fin)
	}
}

// stepSchedule is due every step.
type stepSchedule time.Duration

func (s stepSchedule) Next(t time.Time) time.Time { return t.Add(time.Duration(s)) }

// Schedule runs a source again and again, each run after the previous
// ended, and stops when its context ends; a cron-like schedule waits for
// its first time, Every starts at once.
func TestScheduleRunsUntilCancelled(t *testing.T) {
	e := newEnv(t)
	site := newGatedSite(t)
	close(site.gate)
	p := startCrawlPipeline(t, e.q, e, zap.NewNop())
	prof := site.profile()

	for _, sched := range []Schedule{Every(30 * time.Millisecond), stepSchedule(30 * time.Millisecond)} {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		before := site.listings.Load()
		go func() {
			p.Schedule(ctx, prof, sched)
			close(done)
		}()
		deadline := time.Now().Add(20 * time.Second)
		for site.listings.Load() < before+3 {
			if time.Now().After(deadline) {
				t.Fatalf("%T: only %d runs", sched, site.listings.Load()-before)
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("%T: Schedule did not return after cancel", sched)
		}
	}
	runs, err := e.db.Runs(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) < 6 {
		t.Fatalf("%d runs recorded, want at least 6", len(runs))
	}
}
