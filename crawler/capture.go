package crawler

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"
	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
)

// Evidence keeps the pages ads come from, exactly as received
// (storage.DB implements it). SavePage must be idempotent: the same URL
// and body saved twice is one page. An error is logged and counted; the
// crawl goes on, and the ads of that page carry no page link.
type Evidence interface {
	SavePage(ctx context.Context, p *lurewatch.Page) error
}

// Observer is told what a crawl does, for metrics and progress displays.
// Its methods are called from many goroutines at once and must be quick.
type Observer interface {
	// OnFetch is called once per HTTP response whose body was read or
	// closed (robots.txt and redirects included), with its status code,
	// the body bytes read and the time from request to end of body.
	OnFetch(status int, bytes int64, d time.Duration)
	// OnError is called once per error a run counts, with its kind: one
	// of the ErrKind* constants.
	OnError(kind string)
	// OnAd is called once per ad published.
	OnAd()
}

// Error kinds passed to Observer.OnError besides those ErrKind returns.
const (
	ErrKindNoAd     = "no_ad"    // a page where the profile found no ad
	ErrKindPublish  = "publish"  // publishing an ad failed
	ErrKindEvidence = "evidence" // saving a page as evidence failed
)

// errorKind classifies an error counted by a run, status being the HTTP
// status of the page when it answered with one.
func errorKind(err error, status int) string {
	if status != 0 {
		return ErrKind(&StatusError{Code: status})
	}
	return ErrKind(err)
}

// capture is the evidence and observation state of one run: the
// transport below the fetcher tees every 2xx body into a Page, and
// onResponse takes the page of its URL, saves it and remembers its digest
// under the fetch time, which is unique within the run, so that publish can
// link each ad to its page.
type capture struct {
	ev   Evidence
	obs  Observer
	max  int64
	log  *zap.Logger
	mu   sync.Mutex
	got  map[string]*lurewatch.Page // captured, not yet taken, by URL
	sha  map[int64]string           // page digest by fetch time (UnixNano)
	last time.Time                  // latest fetch time handed out
}

// instrument sets up evidence capture and observation for a run, when the
// crawler has an Evidence or an Observer.
func (c *Crawler) instrument(r *run) {
	if c.opts.Evidence == nil && c.opts.Observer == nil {
		return
	}
	r.capture = &capture{
		ev:  c.opts.Evidence,
		obs: c.opts.Observer,
		max: int64(c.opts.MaxBodySize),
		log: r.log,
		got: make(map[string]*lurewatch.Page),
		sha: make(map[int64]string),
	}
	r.fetch.base = &captureTransport{base: r.fetch.base, c: r.capture}
}

// captureTransport is the http.RoundTripper under a run's fetcher: it sees
// every response as the HTTP client delivers it, before any decoding by
// the fetcher or colly.
type captureTransport struct {
	base http.RoundTripper
	c    *capture
}

// RoundTrip sends req and wraps the response body so that its bytes are
// counted and, for a 200-202 page (the statuses colly hands to
// onResponse), kept.
func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	keep := t.c.ev != nil && req.Context().Value(robotsReqKey{}) == nil &&
		resp.StatusCode >= 200 && resp.StatusCode <= 202
	tb := &teeBody{rc: resp.Body, c: t.c, start: start, status: resp.StatusCode, keep: keep}
	if keep {
		tb.page = &lurewatch.Page{
			URL:       req.URL.String(),
			Status:    resp.StatusCode,
			Proto:     resp.Proto,
			Header:    resp.Header.Clone(),
			FetchedAt: start.UTC(),
		}
	}
	resp.Body = tb
	return resp, nil
}

// teeBody counts the bytes read through it and keeps them when keep is
// set, up to the run's body size limit. A body read to its end is handed
// to the capture when closed; a body cut short is not.
type teeBody struct {
	rc     io.ReadCloser
	c      *capture
	start  time.Time
	status int
	keep   bool
	page   *lurewatch.Page
	buf    []byte
	n      int64
	eof    bool
	once   sync.Once
}

func (b *teeBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.n += int64(n)
	if b.keep {
		if int64(len(b.buf)+n) > b.c.max {
			b.keep, b.buf = false, nil // over the limit: the fetcher fails it anyway
		} else {
			b.buf = append(b.buf, p[:n]...)
		}
	}
	if errors.Is(err, io.EOF) {
		b.eof = true
	}
	return n, err
}

func (b *teeBody) Close() error {
	err := b.rc.Close()
	b.once.Do(func() { b.c.fetched(b) })
	return err
}

// fetched records a finished body: observes it and keeps its page.
func (c *capture) fetched(b *teeBody) {
	if c.obs != nil {
		c.obs.OnFetch(b.status, b.n, time.Since(b.start))
	}
	if b.keep && b.eof && b.page != nil {
		b.page.Body = b.buf
		if b.page.Body == nil {
			b.page.Body = []byte{}
		}
		b.page.SHA256 = lurewatch.PageSHA256(b.page.Body)
		c.mu.Lock()
		c.got[b.page.URL] = b.page
		c.mu.Unlock()
	}
}

// fetchTime returns the fetch time of a page colly hands to onResponse and,
// when evidence is kept, saves the page and remembers its digest under
// that time. The time is unique within the run.
func (r *run) fetchTime(resp *colly.Response) time.Time {
	now := time.Now().UTC()
	c := r.capture
	if c == nil || c.ev == nil {
		return now
	}
	c.mu.Lock()
	p := c.got[resp.Request.URL.String()]
	delete(c.got, resp.Request.URL.String())
	if p == nil {
		p = c.got[resp.Ctx.Get(ctxRequested)]
		delete(c.got, resp.Ctx.Get(ctxRequested))
	}
	t := now
	if p != nil {
		t = p.FetchedAt
	}
	if !t.After(c.last) {
		t = c.last.Add(time.Nanosecond)
	}
	c.last = t
	c.mu.Unlock()
	if p == nil {
		r.log.Debug("page not captured as evidence", zap.String("url", resp.Request.URL.String()))
		return t
	}
	p.FetchedAt = t
	if err := c.ev.SavePage(r.ctx, p); err != nil {
		if r.ctx.Err() == nil {
			r.log.Warn("page not saved as evidence", zap.String("url", p.URL), zap.Error(err))
			r.countError(ErrKindEvidence)
		}
		return t
	}
	c.mu.Lock()
	c.sha[t.UnixNano()] = p.SHA256
	c.mu.Unlock()
	return t
}

// pageOf returns the digest of the page fetched at t, or "".
func (r *run) pageOf(t time.Time) string {
	if r.capture == nil {
		return ""
	}
	r.capture.mu.Lock()
	defer r.capture.mu.Unlock()
	return r.capture.sha[t.UnixNano()]
}

// countError counts an error of a kind in the run and tells the observer.
func (r *run) countError(kind string) {
	r.mu.Lock()
	r.errs++
	r.mu.Unlock()
	r.observeError(kind)
}

// observeError counts an error of a kind in the run's record (see
// run.kinds) and tells the observer, if any.
func (r *run) observeError(kind string) {
	r.kinds.add(kind)
	if r.capture != nil && r.capture.obs != nil {
		r.capture.obs.OnError(kind)
	}
}

// observeAd tells the observer, if any, of a published ad.
func (r *run) observeAd() {
	if r.capture != nil && r.capture.obs != nil {
		r.capture.obs.OnAd()
	}
}
