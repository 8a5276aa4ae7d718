package metrics

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch"
)

func TestServe(t *testing.T) {
	m := New()
	m.OnFetch(200, 1000, 20*time.Millisecond)
	m.OnFetch(200, 500, 10*time.Millisecond)
	m.OnFetch(404, 0, time.Millisecond)
	m.OnError("timeout")
	m.OnAd()
	m.OnAssessed(lurewatch.LevelHigh)
	m.SetConsumerLag("ADS", "detector", 7, 2)

	s, err := m.Serve("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()
	body := get(t, "http://"+s.Addr()+"/metrics")
	for _, want := range []string{
		`lurewatch_fetches_total{code="200"} 2`,
		`lurewatch_fetches_total{code="404"} 1`,
		`lurewatch_fetch_bytes_total 1500`,
		`lurewatch_fetch_duration_seconds_count 3`,
		`lurewatch_crawl_errors_total{kind="timeout"} 1`,
		`lurewatch_ads_published_total 1`,
		`lurewatch_ads_assessed_total{level="high"} 1`,
		`lurewatch_ads_assessed_total{level="none"} 0`,
		`lurewatch_consumer_pending_messages{consumer="detector",stream="ADS"} 7`,
		`lurewatch_consumer_ack_pending_messages{consumer="detector",stream="ADS"} 2`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	resp, err := http.Post("http://"+s.Addr()+"/metrics", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /metrics: status %d", resp.StatusCode)
	}
}

func TestServeBadAddress(t *testing.T) {
	if _, err := New().Serve("256.0.0.1:bad"); err == nil {
		t.Fatal("Serve on a bad address succeeded")
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", url, resp.StatusCode)
	}
	return string(b)
}
