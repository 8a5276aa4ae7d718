package queue

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/lurewatch/lurewatch"
	"github.com/lurewatch/lurewatch/internal/syncbuf"
)

// openTest starts an embedded server on a random loopback port with short
// timeouts, and closes it when the test ends.
// The queue's and the server's log lines go to a buffer, printed if the
// test fails.
func openTest(t *testing.T) *Queue {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	logs := &syncbuf.Buffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("queue log:\n%s", logs.String())
		}
	})
	enc := zap.NewDevelopmentEncoderConfig()
	q, err := Open(ctx, Options{
		DataDir:    t.TempDir(),
		Listen:     "127.0.0.1:0",
		MaxDeliver: 3,
		AckWait:    time.Second,
		RetryDelay: 20 * time.Millisecond,
		Logger:     zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.AddSync(logs), zap.InfoLevel)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

func testAd(id string) *lurewatch.Ad {
	ad := &lurewatch.Ad{SchemaVersion: lurewatch.SchemaVersion, ID: id, Source: "test.src", Title: "Job " + id, Text: "text"}
	ad.ContentHash = lurewatch.ContentHashOf(ad)
	return ad
}

func streamMsgs(t *testing.T, q *Queue, stream string) uint64 {
	t.Helper()
	s, err := q.js.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}

// consumeUntil runs consume in the background and cancels it when the test
// ends or cond holds; it fails the test if cond does not hold within 20s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOpenIsIdempotentAndListensOnLoopback(t *testing.T) {
	q := openTest(t)
	url := q.ClientURL()
	if !strings.HasPrefix(url, "nats://127.0.0.1:") {
		t.Fatalf("ClientURL = %q, want a loopback URL", url)
	}
	// A second process connecting to the same server re-creates the
	// streams without error and sees the same messages.
	q2, err := Open(context.Background(), Options{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer q2.Close()
	if err := q2.PublishAd(context.Background(), testAd("a1")); err != nil {
		t.Fatal(err)
	}
	if n := streamMsgs(t, q, StreamAds); n != 1 {
		t.Fatalf("ADS has %d messages, want 1", n)
	}
}

func TestEmbeddedRefusesNonLoopbackListen(t *testing.T) {
	_, err := Open(context.Background(), Options{DataDir: t.TempDir(), Listen: "0.0.0.0:0"})
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("err = %v, want a loopback-only error", err)
	}
}

func TestPublishAdDeduplicates(t *testing.T) {
	q := openTest(t)
	ctx := context.Background()
	ad := testAd("dup")
	for range 3 {
		if err := q.PublishAd(ctx, ad); err != nil {
			t.Fatal(err)
		}
	}
	if n := streamMsgs(t, q, StreamAds); n != 1 {
		t.Fatalf("after 3 identical publishes ADS has %d messages, want 1", n)
	}
	changed := *ad
	changed.Text = "changed text"
	changed.ContentHash = lurewatch.ContentHashOf(&changed)
	if err := q.PublishAd(ctx, &changed); err != nil {
		t.Fatal(err)
	}
	if n := streamMsgs(t, q, StreamAds); n != 2 {
		t.Fatalf("after a changed ad ADS has %d messages, want 2", n)
	}
	if err := q.PublishAd(ctx, &lurewatch.Ad{ID: "x"}); !errors.Is(err, lurewatch.ErrInvalid) {
		t.Fatalf("ad without content hash: err = %v, want ErrInvalid", err)
	}
}

func TestConsumeAcksAndDeadLetters(t *testing.T) {
	q := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	for _, id := range []string{"ok1", "ok2", "fails", "poison"} {
		if err := q.PublishAd(ctx, testAd(id)); err != nil {
			t.Fatal(err)
		}
	}
	// A message that is not JSON at all.
	if _, err := q.js.Publish(ctx, subjectAds+".raw", []byte("{not json"), jetstream.WithMsgID("garbage")); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	handled := map[string]int{}
	done := make(chan error, 1)
	go func() {
		done <- q.ConsumeAds(ctx, ConsumeOptions{Durable: "t", Workers: 2}, func(_ context.Context, ad *lurewatch.Ad) error {
			mu.Lock()
			handled[ad.ID]++
			mu.Unlock()
			switch ad.ID {
			case "fails":
				return errors.New("transient trouble that never ends")
			case "poison":
				return lurewatch.ErrPoison
			}
			return nil
		})
	}()

	dead := collectDeadLetters(ctx, t, q)
	got := dead.waitDistinct(t, 3)
	if len(got) != 3 {
		t.Errorf("%d messages dead-lettered, want 3", len(got))
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	dead.stop(t)

	mu.Lock()
	defer mu.Unlock()
	if handled["ok1"] != 1 || handled["ok2"] != 1 {
		t.Errorf("good ads handled %v, want once each", handled)
	}
	if handled["fails"] != 3 {
		t.Errorf("failing ad handled %d times, want MaxDeliver=3", handled["fails"])
	}
	if handled["poison"] != 1 {
		t.Errorf("poison ad handled %d times, want 1", handled["poison"])
	}
	reasons := map[string]string{}
	for _, d := range got {
		if d.Stream != StreamAds || d.Sequence == 0 || len(d.Data) == 0 {
			t.Errorf("dead letter lacks its origin: %+v", d)
		}
		reasons[d.Subject] += d.Reason + "|"
	}
	if r := reasons[subjectAds+".raw"]; !strings.Contains(r, "decode") {
		t.Errorf("garbage dead letter reason = %q, want a decode error", r)
	}
	if r := reasons[subjectAds+".test_src"]; !strings.Contains(r, "failed 3 deliveries") || !strings.Contains(r, "poison") {
		t.Errorf("dead letter reasons for test_src = %q", r)
	}
}

// A message whose last allowed delivery cannot be dead-lettered (the
// dead-letter stream is gone) is not stranded: it is delivered again, and
// dead-lettered once the stream is back, without running the handler a
// fourth time.
func TestLastDeliveryIsDeadLetteredWhenDeadLetterStreamReturns(t *testing.T) {
	q := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := q.js.DeleteStream(ctx, StreamDeadLetter); err != nil {
		t.Fatal(err)
	}
	if err := q.PublishAd(ctx, testAd("fails")); err != nil {
		t.Fatal(err)
	}
	var calls atomic.Int32
	done := make(chan error, 1)
	go func() {
		done <- q.ConsumeAds(ctx, ConsumeOptions{Durable: "t"}, func(context.Context, *lurewatch.Ad) error {
			calls.Add(1)
			return errors.New("transient trouble that never ends")
		})
	}()
	// The third delivery's dead-lettering fails; so does the fourth's,
	// which does not run the handler. Then the stream comes back.
	waitFor(t, "a fifth delivery", func() bool {
		cons, err := q.js.Consumer(ctx, StreamAds, "t")
		if err != nil {
			return false // not created yet
		}
		info, err := cons.Info(ctx)
		return err == nil && info.Delivered.Consumer >= 5
	})
	if err := q.ensureStreams(ctx); err != nil {
		t.Fatal(err)
	}
	dead := collectDeadLetters(ctx, t, q)
	got := dead.waitDistinct(t, 1)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	dead.stop(t)
	if n := calls.Load(); n != 3 {
		t.Errorf("handler ran %d times, want 3 (MaxDeliver)", n)
	}
	if len(got) != 1 || got[0].Subject != subjectAds+".test_src" || !strings.Contains(got[0].Reason, "not settled after") {
		t.Errorf("dead letters = %+v, want the ad with a not-settled reason", got)
	}
	lag, err := q.ConsumerLag(context.Background(), StreamAds, "t")
	if err != nil {
		t.Fatal(err)
	}
	if !lag.Done() {
		t.Errorf("consumer lag after dead-lettering = %+v, want nothing left", lag)
	}
}

// A consumer that dies holding a message (its connection drops before it
// acks) does not lose it: the message is redelivered to another process
// sharing the durable consumer.
func TestUnackedMessageIsRedeliveredAfterConsumerDies(t *testing.T) {
	q := openTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := q.PublishAd(ctx, testAd("crash")); err != nil {
		t.Fatal(err)
	}

	dying, err := Open(ctx, Options{URL: q.ClientURL(), AckWait: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go dying.ConsumeAds(ctx, ConsumeOptions{Durable: "shared"}, func(context.Context, *lurewatch.Ad) error {
		dying.nc.Close() // the process dies before it can ack
		close(got)
		return nil
	})
	<-got

	var n atomic.Int32
	go q.ConsumeAds(ctx, ConsumeOptions{Durable: "shared"}, func(_ context.Context, ad *lurewatch.Ad) error {
		if ad.ID == "crash" {
			n.Add(1)
		}
		return nil
	})
	waitFor(t, "redelivery", func() bool { return n.Load() >= 1 }) // at least once
}

func TestBackoff(t *testing.T) {
	for _, tt := range []struct {
		n    uint64
		want time.Duration
	}{{1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {10, time.Minute}} {
		if got := backoff(time.Second, tt.n); got != tt.want {
			t.Errorf("backoff(1s, %d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestSubjectToken(t *testing.T) {
	if got := subjectToken("a.b*c> d"); got != "a_b_c__d" {
		t.Errorf("subjectToken = %q", got)
	}
}

// deadLetters collects what a ConsumeDeadLetters running in the background
// receives, one entry per dead-lettered message: the dead-letter stream is
// at-least-once, so a redelivered dead letter is not counted twice.
type deadLetters struct {
	mu     sync.Mutex
	bySeq  map[uint64]*lurewatch.DeadLetter
	order  []uint64
	done   chan error
	cancel context.CancelFunc
}

func collectDeadLetters(ctx context.Context, t *testing.T, q *Queue) *deadLetters {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	d := &deadLetters{bySeq: map[uint64]*lurewatch.DeadLetter{}, done: make(chan error, 1), cancel: cancel}
	t.Cleanup(cancel)
	go func() {
		d.done <- q.ConsumeDeadLetters(ctx, ConsumeOptions{Durable: "dl"}, func(_ context.Context, dl *lurewatch.DeadLetter) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			if _, seen := d.bySeq[dl.Sequence]; !seen {
				d.order = append(d.order, dl.Sequence)
			}
			d.bySeq[dl.Sequence] = dl
			return nil
		})
	}()
	return d
}

// waitDistinct waits until n distinct messages were dead-lettered and
// returns them in arrival order; it fails the test at once if the
// dead-letter consumer stopped.
func (d *deadLetters) waitDistinct(t *testing.T, n int) []*lurewatch.DeadLetter {
	t.Helper()
	var out []*lurewatch.DeadLetter
	waitFor(t, fmt.Sprintf("%d dead letters", n), func() bool {
		select {
		case err := <-d.done:
			t.Fatalf("dead-letter consumer stopped early: %v", err)
		default:
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		if len(d.order) < n {
			return false
		}
		out = out[:0]
		for _, seq := range d.order {
			out = append(out, d.bySeq[seq])
		}
		return true
	})
	return out
}

// stop ends the dead-letter consumer and fails the test if it ended with
// an error.
func (d *deadLetters) stop(t *testing.T) {
	t.Helper()
	d.cancel()
	if err := <-d.done; err != nil {
		t.Errorf("dead-letter consumer: %v", err)
	}
}
