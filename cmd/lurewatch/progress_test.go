package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lurewatch/lurewatch/internal/syncbuf"
)

func TestProgressLine(t *testing.T) {
	out := &syncbuf.Buffer{}
	p := startProgress(out, 10*time.Millisecond)
	p.OnFetch(200, 1500, time.Millisecond)
	p.OnFetch(404, 10, time.Millisecond)
	p.OnAd()
	p.OnError("http_4xx")
	waitLog(t, out, "fetches 2 · ads 1 · errors 1")
	lw := p.logWriter(nil)
	if _, err := lw.Write([]byte("a log line\n")); err != nil {
		t.Fatal(err)
	}
	p.stop()
	p.stop() // idempotent
	s := out.String()
	if !strings.Contains(s, "\r\x1b[Ka log line\n") {
		t.Errorf("the log line does not clear the status line first: %q", s)
	}
	if !strings.HasSuffix(s, "\n") || !strings.Contains(s, "1.5 kB") {
		t.Errorf("output %q", s)
	}
}

func TestProgressOffWhenNotATerminal(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b)
	if p != nil {
		t.Fatal("progress on a buffer")
	}
	// A nil progress is usable and does nothing.
	if p.observer() != nil || p.logWriter(&b) != &b || p.logFormat("auto") != "auto" {
		t.Error("nil progress is not inert")
	}
	p.stop()

	srv := crawlSite(t)
	code, _, stderr := runApp(t, context.Background(), "", "crawl", "--kind", "feed", "--url", srv.URL+"/feed.rss",
		"--once", "--jsonl", "--allow-private", "--delay", "1ms")
	if code != 0 {
		t.Fatalf("crawl exit %d: %s", code, stderr)
	}
	if strings.Contains(stderr, "\r") || strings.Contains(stderr, "fetches/s") {
		t.Errorf("progress shown when stderr is not a terminal: %q", stderr)
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 2_500_000: "2.5 MB", 3e9: "3.0 GB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
