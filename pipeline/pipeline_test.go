package pipeline

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/queue"
	"github.com/lurewatch/lurewatch/storage"
)

// wordAssessor is a stand-in detector for pipeline tests: an ad whose text
// says "lure" is high, anything else none. The real detector has its own
// tests; here only the plumbing is under test.
type wordAssessor struct{}

func (wordAssessor) Assess(ad *lurewatch.Ad) lurewatch.Assessment {
	as := lurewatch.Assessment{SchemaVersion: 1, AdID: ad.ID, ContentHash: ad.ContentHash, RulesVersion: "test-1", DetectorVersion: "test"}
	if i := strings.Index(ad.Text, "lure"); i >= 0 {
		as.Score, as.Level, as.Categories = 80, lurewatch.LevelHigh, []string{"test"}
		as.Indicators = []lurewatch.Indicator{{ID: "word.lure", Category: "test", Weight: 80,
			Evidence: []lurewatch.Evidence{{Field: "text", Start: i, End: i + 4, Snippet: "lure"}}}}
	}
	return as
}

// panicAssessor panics on every ad, as a detector bug would.
type panicAssessor struct{}

func (panicAssessor) Assess(*lurewatch.Ad) lurewatch.Assessment { panic("boom") }

// exitAssessor kills the process mid-assessment, before anything is acked.
type exitAssessor struct{}

func (exitAssessor) Assess(*lurewatch.Ad) lurewatch.Assessment {
	os.Exit(3)
	return lurewatch.Assessment{}
}

type env struct {
	q      *queue.Queue
	db     *storage.DB
	dbPath string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	dir := t.TempDir()
	q, err := queue.Open(context.Background(), queue.Options{DataDir: dir, Listen: "127.0.0.1:0",
		AckWait: time.Second, MaxDeliver: 3, RetryDelay: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "lw.db")
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close(); q.Close() })
	return &env{q: q, db: db, dbPath: path}
}

func testAd(id, text string) *lurewatch.Ad {
	ad := &lurewatch.Ad{SchemaVersion: 1, ID: id, Source: "src", Title: "t " + id, Text: text,
		FetchedAt: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)}
	ad.ContentHash = lurewatch.ContentHashOf(ad)
	return ad
}

// waitIdle waits until both pipeline consumers have nothing pending.
func waitIdle(t *testing.T, q *queue.Queue) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		done := true
		for _, c := range [][2]string{{queue.StreamAds, DurableDetector}, {queue.StreamAssessments, DurableStore}} {
			lag, err := q.ConsumerLag(context.Background(), c[0], c[1])
			if err != nil || !lag.Done() {
				done = false
			}
		}
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for the pipeline to go idle")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPipelineStoresAssessedAds(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p, err := Start(ctx, Options{Queue: e.q, DB: e.db, Assessor: wordAssessor{}, Logger: zap.NewNop()})
	if err != nil {
		t.Fatal(err)
	}
	ads := []*lurewatch.Ad{testAd("a", "a lure ad"), testAd("b", "an honest ad")}
	var pub []Published
	for _, ad := range ads {
		if err := e.q.PublishAd(ctx, ad); err != nil {
			t.Fatal(err)
		}
		pub = append(pub, Published{ad.ID, ad.ContentHash})
	}
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if n, err := p.WaitStored(wctx, pub); err != nil || n != 2 {
		t.Fatalf("WaitStored = %d, %v", n, err)
	}
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	flagged, err := e.db.ListAssessed(ctx, lurewatch.LevelMedium, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(flagged) != 1 || flagged[0].Ad.ID != "a" {
		t.Fatalf("flagged = %+v, want only ad a", flagged)
	}
	as, err := e.db.Assessment(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if as.Indicators[0].Evidence[0].Snippet != "lure" || as.AssessedAt.IsZero() {
		t.Errorf("stored assessment lost detail: %+v", as)
	}
}

// A detector panic dead-letters the ad (with the reason) instead of killing
// the worker or blocking the stream; the dead letter reaches SQLite.
func TestDetectorPanicIsDeadLettered(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	p, err := Start(ctx, Options{Queue: e.q, DB: e.db, Assessor: panicAssessor{}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if err := e.q.PublishAd(ctx, testAd("p", "whatever")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		dls, err := e.db.DeadLetters(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(dls) == 1 {
			if !strings.Contains(dls[0].Reason, "detector panicked: boom") || dls[0].Stream != queue.StreamAds {
				t.Fatalf("dead letter = %+v", dls[0])
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no dead letter stored")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The same ad published twice, a detector process that dies before acking,
// and a storage writer that dies after its commit but before its ack end
// with exactly one ad row and one assessment.
func TestRedeliveryIsHarmless(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ad := testAd("r", "a lure ad")
	for range 2 {
		if err := e.q.PublishAd(ctx, ad); err != nil {
			t.Fatal(err)
		}
	}
	runHelper(t, e, "die-in-detector")
	runHelper(t, e, "die-after-commit")
	// The ad is already in SQLite, but the assessment message was never
	// acked.
	if st, _ := e.db.Stats(ctx); st.Assessments != 1 {
		t.Fatalf("after the helper died: %+v, want the assessment committed", st)
	}
	lag, err := e.q.ConsumerLag(ctx, queue.StreamAssessments, DurableStore)
	if err != nil || lag.AckPending != 1 {
		t.Fatalf("store consumer lag = %+v, %v; want one unacked message", lag, err)
	}

	p, err := Start(ctx, Options{Queue: e.q, DB: e.db, Assessor: wordAssessor{}})
	if err != nil {
		t.Fatal(err)
	}
	waitIdle(t, e.q)
	if err := p.Stop(); err != nil {
		t.Fatal(err)
	}
	st, err := e.db.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Ads != 1 || st.Assessments != 1 || st.DeadLetters != 0 {
		t.Fatalf("stats = %+v, want exactly 1 ad, 1 assessment, 0 dead letters", st)
	}
}

// runHelper runs this test binary as a separate process that consumes from
// e's NATS server and database and dies with exit code 3 at the point mode
// names.
func runHelper(t *testing.T, e *env, mode string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.v")
	cmd.Env = append(os.Environ(), "LUREWATCH_HELPER="+mode, "LUREWATCH_NATS="+e.q.ClientURL(), "LUREWATCH_DB="+e.dbPath)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 {
		t.Fatalf("helper %s: err = %v, want exit code 3; output:\n%s", mode, err, out)
	}
}

// TestHelperProcess is not a test: runHelper starts it in a child process.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("LUREWATCH_HELPER")
	if mode == "" {
		t.Skip("helper process for TestRedeliveryIsHarmless")
	}
	ctx := context.Background()
	q, err := queue.Open(ctx, queue.Options{URL: os.Getenv("LUREWATCH_NATS"), AckWait: time.Second, MaxDeliver: 3})
	if err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(ctx, os.Getenv("LUREWATCH_DB"))
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case "die-in-detector":
		p, err := Start(ctx, Options{Queue: q, DB: db, Assessor: exitAssessor{}})
		if err != nil {
			t.Fatal(err)
		}
		defer p.Stop()
	case "die-after-commit":
		p := &Pipeline{opts: Options{Queue: q, DB: db, Now: time.Now}, log: zap.NewNop()}
		p.SetAssessor(wordAssessor{})
		go q.ConsumeAds(ctx, queue.ConsumeOptions{Durable: DurableDetector}, p.detect)
		go q.ConsumeAssessed(ctx, queue.ConsumeOptions{Durable: DurableStore}, func(ctx context.Context, a *lurewatch.AssessedAd) error {
			if err := p.store(ctx, a); err != nil {
				t.Errorf("store: %v", err)
				os.Exit(4)
			}
			os.Exit(3) // committed, never acked
			return nil
		})
	}
	time.Sleep(30 * time.Second)
	t.Fatal("helper did not die within 30s")
}
