package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lurewatch/lurewatch/crawler"
)

// progressInterval is how often the progress line is redrawn: at most 4
// times a second.
const progressInterval = 250 * time.Millisecond

// progress is the live status line of an interactive `crawl`: pages
// fetched (every HTTP response, robots.txt included), ads found, errors
// and the rate, on one line of standard error
// redrawn in place. It is a crawler.Observer. Log lines written through
// logWriter clear the line first, so the two do not mix; the next tick
// redraws it.
type progress struct {
	w     io.Writer
	start time.Time

	pages, bytes, ads, errs atomic.Int64

	mu    sync.Mutex // guards writes to w and shown
	shown bool       // the status line is on screen

	stopOnce sync.Once
	done     chan struct{}
	wg       sync.WaitGroup
}

// newProgress returns the progress line for w when w is a terminal, else
// nil (a nil *progress does nothing).
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok || !isTerminal(f) {
		return nil
	}
	return startProgress(w, progressInterval)
}

// startProgress draws a progress line on w every interval until stop.
func startProgress(w io.Writer, interval time.Duration) *progress {
	p := &progress{w: w, start: time.Now(), done: make(chan struct{})}
	p.wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
				p.draw()
			}
		}
	})
	return p
}

// OnFetch counts a fetch (any response) and its bytes.
func (p *progress) OnFetch(_ int, n int64, _ time.Duration) {
	p.pages.Add(1)
	p.bytes.Add(n)
}

// OnError counts an error.
func (p *progress) OnError(string) { p.errs.Add(1) }

// OnAd counts an ad.
func (p *progress) OnAd() { p.ads.Add(1) }

// observer returns p as a crawler.Observer, or nil for a nil p.
func (p *progress) observer() crawler.Observer {
	if p == nil {
		return nil
	}
	return p
}

// logFormat returns the log format to use with p: on a terminal with a
// progress line, "auto" means console (the logger cannot see the terminal
// through logWriter).
func (p *progress) logFormat(format string) string {
	if p != nil && (format == "" || format == "auto") {
		return "console"
	}
	return format
}

// logWriter returns the writer for log lines: w itself without a progress
// line, else one that clears the line before each write.
func (p *progress) logWriter(w io.Writer) io.Writer {
	if p == nil {
		return w
	}
	return progressLogWriter{p}
}

type progressLogWriter struct{ p *progress }

func (l progressLogWriter) Write(b []byte) (int, error) {
	l.p.mu.Lock()
	defer l.p.mu.Unlock()
	if l.p.shown {
		io.WriteString(l.p.w, "\r\x1b[K")
		l.p.shown = false
	}
	return l.p.w.Write(b)
}

// line returns the status line.
func (p *progress) line() string {
	secs := time.Since(p.start).Seconds()
	pages := p.pages.Load()
	rate := 0.0
	if secs > 0 {
		rate = float64(pages) / secs
	}
	return fmt.Sprintf("fetches %d · ads %d · errors %d · %.1f fetches/s · %s · %s",
		pages, p.ads.Load(), p.errs.Load(), rate, humanBytes(p.bytes.Load()),
		time.Since(p.start).Truncate(time.Second))
}

// draw redraws the status line in place.
func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	io.WriteString(p.w, "\r\x1b[K"+p.line())
	p.shown = true
}

// stop draws the line a last time and ends it with a newline. A nil p
// does nothing.
func (p *progress) stop() {
	if p == nil {
		return
	}
	p.stopOnce.Do(func() {
		close(p.done)
		p.wg.Wait()
		p.draw()
		p.mu.Lock()
		io.WriteString(p.w, "\n")
		p.shown = false
		p.mu.Unlock()
	})
}

// humanBytes formats n bytes as B, kB, MB or GB.
func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n), 0
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %s", v, []string{"B", "kB", "MB", "GB"}[i])
}
