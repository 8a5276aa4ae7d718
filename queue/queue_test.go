package queue

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/lurewatch/lurewatch"
)

// openTest starts an embedded server on a random loopback port with short
// timeouts, and closes it when the test ends.
func openTest(t *testing.T) *Queue {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q, err := Open(ctx, Options{
		DataDir:    t.TempDir(),
		Listen:     "127.0.0.1:0",
		MaxDeliver: 3,
		AckWait:    time.Second,
		RetryDelay: 20 * time.Millisecond,
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

	var dead []*lurewatch.DeadLetter
	var dmu sync.Mutex
	go q.ConsumeDeadLetters(ctx, ConsumeOptions{Durable: "dl"}, func(_ context.Context, d *lurewatch.DeadLetter) error {
		dmu.Lock()
		dead = append(dead, d)
		dmu.Unlock()
		return nil
	})
	waitFor(t, "three dead letters", func() bool { dmu.Lock(); defer dmu.Unlock(); return len(dead) == 3 })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

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
	for _, d := range dead {
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
	waitFor(t, "redelivery", func() bool { return n.Load() == 1 })
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
