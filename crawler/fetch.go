package crawler

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/temoto/robotstxt"
	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
)

const (
	// maxRobotsSize is how much of a robots.txt file is read; the rest is
	// ignored, as Google does past 500 KiB.
	maxRobotsSize = 512 << 10
	// maxCrawlDelay bounds the Crawl-delay a robots.txt can impose, so one
	// host cannot stall a run for hours; the run's context still ends it.
	maxCrawlDelay = time.Minute
)

// nonPublic lists the address ranges that are not the public internet:
// loopback, private, link-local, CGNAT, multicast, reserved, documentation
// and benchmarking ranges. A crawl refuses to connect to them unless
// Options.AllowPrivate is set.
var nonPublic = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
		"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
		"198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
		"::/128", "::1/128", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "fc00::/7", "fe80::/10", "ff00::/8",
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// isPublic reports whether a is a public unicast address.
func isPublic(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsUnspecified() ||
		a.IsLinkLocalUnicast() || a.IsMulticast() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// refuseNonPublic is a net.Dialer Control function: it runs after the host
// name is resolved, on the address about to be dialled, so a name that
// resolves to 127.0.0.1 is refused as surely as the literal address. The
// error wraps lurewatch.ErrRefused.
func refuseNonPublic(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: cannot check address %q: %v", lurewatch.ErrRefused, address, err)
	}
	if !isPublic(ap.Addr()) {
		return fmt.Errorf("%w: %s is a private, loopback or reserved address", lurewatch.ErrRefused, ap.Addr())
	}
	return nil
}

// newTransport returns the HTTP transport a Crawler shares between runs. It
// uses no proxy from the environment (a proxy would make the address check
// look at the proxy, not at the site), and refuses non-public addresses at
// dial time unless allowPrivate.
func newTransport(allowPrivate bool, timeout time.Duration) *http.Transport {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = refuseNonPublic
	}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   maxParallelism,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
	}
}

// errRobots marks a URL that robots.txt disallows.
var errRobots = fmt.Errorf("%w: disallowed by robots.txt", lurewatch.ErrRefused)

// fetcher is the http.RoundTripper of one run. It makes the run polite and
// bounded whatever colly does: it checks robots.txt before every request
// (redirects included), spaces and limits the requests to each host as the
// profile and the host's Crawl-delay say, applies the request timeout to
// each request once it is let through (time spent waiting for a turn does
// not count), and fails a response body larger than the size limit instead
// of truncating it.
type fetcher struct {
	base        http.RoundTripper
	userAgent   string
	timeout     time.Duration
	maxBody     int64
	delay       time.Duration
	parallelism int
	log         *zap.Logger

	robotsClient *http.Client
	// robotsCache, if not nil, keeps robots.txt files across runs.
	robotsCache *robotsCache
	// retry says which requests are sent again, and when.
	retry retryPolicy

	mu     sync.Mutex
	hosts  map[string]*hostLimiter // by host name
	robots map[string]*robotsEntry // by scheme://host[:port]
}

func newFetcher(base http.RoundTripper, userAgent string, timeout time.Duration, maxBody int64,
	delay time.Duration, parallelism int, log *zap.Logger) *fetcher {
	f := &fetcher{
		base:        base,
		userAgent:   userAgent,
		timeout:     timeout,
		maxBody:     maxBody,
		delay:       delay,
		parallelism: parallelism,
		log:         log,
		hosts:       make(map[string]*hostLimiter),
		robots:      make(map[string]*robotsEntry),
		retry: retryPolicy{maxAttempts: DefaultMaxAttempts, backoff: DefaultRetryBackoff,
			maxRetryAfter: DefaultMaxRetryAfter, now: time.Now},
	}
	f.robotsClient = &http.Client{
		Transport: f,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("robots.txt redirected more than 5 times")
			}
			return nil
		},
	}
	return f
}

type robotsReqKey struct{}

// RoundTrip sends one request when robots.txt allows it and the host's
// limiter gives it a turn. A request that times out before its headers
// arrive, or is answered 429 or 5xx, is sent again (GET and HEAD only) up
// to the policy's attempts: after the server's Retry-After, or else after
// an exponential backoff with jitter. The wait holds back every request
// to that host, not only this one (after a 429 or 503 also when the
// request is not retried); other hosts go on. The last answer, whatever
// its status, is returned.
func (f *fetcher) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	isRobots := ctx.Value(robotsReqKey{}) != nil
	if !isRobots {
		ok, err := f.allowed(ctx, req.URL)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errRobots
		}
	}
	lim := f.limiter(req.URL.Hostname())
	// robots.txt is not retried: a failure there disallows the site for
	// this run, and the next run asks again.
	idempotent := !isRobots && (req.Method == http.MethodGet || req.Method == http.MethodHead) &&
		(req.Body == nil || req.Body == http.NoBody)
	for attempt := 1; ; attempt++ {
		resp, err := f.send(ctx, lim, req)
		var wait time.Duration
		var fromServer bool
		if err != nil || retryableStatus(resp.StatusCode) {
			wait, fromServer = f.retry.wait(resp, attempt+1)
		}
		if err == nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
			lim.pause(wait) // the host backs off, whether this request is retried or not
		}
		last := !idempotent || attempt >= f.retry.maxAttempts || ctx.Err() != nil
		switch {
		case err != nil && (last || !retryableErr(ctx, err)):
			return nil, err
		case err == nil && (last || !retryableStatus(resp.StatusCode)):
			return resp, nil
		}
		fields := []zap.Field{zap.String("url", req.URL.Redacted()), zap.Int("attempt", attempt),
			zap.Duration("wait", wait), zap.Bool("retry_after", fromServer)}
		if err != nil {
			fields = append(fields, zap.Error(err))
		} else {
			fields = append(fields, zap.Int("status", resp.StatusCode))
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
			resp.Body.Close()
		}
		f.log.Info("request will be retried; host backs off", fields...)
		lim.pause(wait)
	}
}

// send makes one attempt at req when lim gives it a turn. The request
// timeout runs from the turn to the end of the body; the turn ends when
// the body is closed.
func (f *fetcher) send(ctx context.Context, lim *hostLimiter, req *http.Request) (*http.Response, error) {
	release, err := lim.acquire(ctx)
	if err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, f.timeout)
	resp, err := f.base.RoundTrip(req.WithContext(actx))
	if err != nil {
		cancel()
		release()
		if ctx.Err() == nil && (actx.Err() != nil || isTimeout(err)) {
			err = fmt.Errorf("%w after %v: %w", errTimeout, f.timeout, err)
		}
		return nil, err
	}
	body, err := gunzipBody(req, resp)
	if err != nil {
		resp.Body.Close()
		cancel()
		release()
		return nil, fmt.Errorf("fetch %s: %w", req.URL.Redacted(), err)
	}
	resp.Body = &bodyGuard{
		rc:      body,
		left:    f.maxBody,
		limit:   f.maxBody,
		ctx:     actx,
		parent:  ctx,
		timeout: f.timeout,
		done:    func() { cancel(); release() },
	}
	return resp, nil
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// gunzipBody returns the body of resp, decompressed when colly would
// decompress it (Content-Encoding gzip that the transport left alone, a
// gzip Content-Type, a .gz path such as sitemap.xml.gz) and it is gzip
// data indeed. colly decompresses after every size limit, so a small
// gzip bomb would grow without bound; here the bodyGuard around the
// result bounds the decompressed size. resp is marked Uncompressed so
// colly leaves the body alone.
func gunzipBody(req *http.Request, resp *http.Response) (io.ReadCloser, error) {
	if resp.Uncompressed {
		return resp.Body, nil
	}
	ce := strings.ToLower(resp.Header.Get("Content-Encoding"))
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	if !strings.Contains(ce, "gzip") && !(ce == "" && strings.Contains(ct, "gzip")) &&
		!strings.HasSuffix(strings.ToLower(req.URL.Path), ".gz") {
		return resp.Body, nil
	}
	resp.Uncompressed = true
	br := bufio.NewReader(resp.Body)
	if magic, _ := br.Peek(2); len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return readCloser{br, resp.Body}, nil // not gzip data after all
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("gunzip: %w", err)
	}
	resp.Header.Del("Content-Encoding")
	resp.Header.Del("Content-Length")
	resp.ContentLength = -1
	return readCloser{zr, resp.Body}, nil
}

// readCloser reads from r and closes c.
type readCloser struct {
	r io.Reader
	c io.Closer
}

// Read reads from the reader.
func (rc readCloser) Read(p []byte) (int, error) { return rc.r.Read(p) }

// Close closes the closer: the response body under the reader.
func (rc readCloser) Close() error { return rc.c.Close() }

// limiter returns the limiter of a host, creating it on first use.
func (f *fetcher) limiter(host string) *hostLimiter {
	host = strings.ToLower(host)
	f.mu.Lock()
	defer f.mu.Unlock()
	l, ok := f.hosts[host]
	if !ok {
		l = &hostLimiter{sem: make(chan struct{}, f.parallelism), delay: f.delay}
		f.hosts[host] = l
	}
	return l
}

// robotsEntry is the robots.txt of one origin, fetched once per run.
type robotsEntry struct {
	ready chan struct{}
	data  *robotstxt.RobotsData
	err   error
}

// allowed reports whether robots.txt lets the run's user agent fetch u. It
// fetches the robots.txt of u's origin on first use (once per run, however
// many goroutines ask) and raises the host's delay to its Crawl-delay. An
// error means robots.txt could not be fetched; u must not be fetched then.
func (f *fetcher) allowed(ctx context.Context, u *url.URL) (bool, error) {
	origin := strings.ToLower(u.Scheme + "://" + u.Host)
	f.mu.Lock()
	e, ok := f.robots[origin]
	if !ok {
		e = &robotsEntry{ready: make(chan struct{})}
		f.robots[origin] = e
	}
	f.mu.Unlock()
	if !ok {
		if e.data = f.robotsCache.get(origin); e.data == nil {
			var cacheable bool
			e.data, cacheable, e.err = f.fetchRobots(ctx, origin)
			if e.err == nil && cacheable {
				f.robotsCache.put(origin, e.data)
			}
		}
		if e.err == nil {
			if g := e.data.FindGroup(f.userAgent); g != nil && g.CrawlDelay > 0 {
				f.limiter(u.Hostname()).raiseDelay(min(g.CrawlDelay, maxCrawlDelay))
			}
		}
		close(e.ready)
	} else {
		select {
		case <-e.ready:
		case <-ctx.Done():
			return false, ctx.Err()
		}
	}
	if e.err != nil {
		return false, e.err
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return e.data.TestAgent(path, f.userAgent), nil
}

// fetchRobots fetches and parses the robots.txt of origin. As Google does, a
// 4xx answer allows everything and a 5xx answer disallows everything; a file
// that does not parse disallows everything too, to stay on the safe side.
// cacheable is false for the answers that say nothing lasting about the
// site (a 5xx, an odd status), which are not kept beyond the run.
func (f *fetcher) fetchRobots(ctx context.Context, origin string) (data *robotstxt.RobotsData, cacheable bool, err error) {
	robotsURL := origin + "/robots.txt"
	ctx = context.WithValue(ctx, robotsReqKey{}, true)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, robotsURL, nil)
	if err != nil {
		return nil, false, fmt.Errorf("robots.txt of %s: %w", origin, err)
	}
	req.Header.Set("User-Agent", f.userAgent)
	resp, err := f.robotsClient.Do(req)
	if err != nil {
		return nil, false, fmt.Errorf("robots.txt of %s: %w", origin, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobotsSize))
	if err != nil {
		return nil, false, fmt.Errorf("robots.txt of %s: %w", origin, err)
	}
	switch {
	case resp.StatusCode >= 400 && resp.StatusCode < 500:
		data, err = robotstxt.FromStatusAndBytes(resp.StatusCode, nil)
		return data, err == nil, err
	case resp.StatusCode >= 500 && resp.StatusCode < 600:
		data, err = robotstxt.FromStatusAndBytes(resp.StatusCode, nil)
		return data, false, err
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		// A redirect loop or an odd status: treat as no robots.txt.
		data, err = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
		return data, false, err
	}
	data, err = robotstxt.FromBytes(body)
	if err != nil {
		f.log.Warn("robots.txt does not parse; treating the site as disallowed",
			zap.String("url", robotsURL), zap.Error(err))
		data, err = robotstxt.FromStatusAndBytes(http.StatusServiceUnavailable, nil)
		return data, true, err
	}
	return data, true, nil
}

// hostLimiter spaces the requests to one host: at most cap(sem) in flight,
// and the starts of two requests at least delay apart.
type hostLimiter struct {
	sem   chan struct{}
	mu    sync.Mutex
	delay time.Duration
	next  time.Time // earliest start of the next request
}

// acquire waits for a turn and returns the function that ends it. It
// returns ctx's error if ctx ends first.
func (l *hostLimiter) acquire(ctx context.Context) (func(), error) {
	select {
	case l.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	l.mu.Lock()
	now := time.Now()
	start := l.next
	if start.Before(now) {
		start = now
	}
	l.next = start.Add(l.delay)
	l.mu.Unlock()
	if wait := time.Until(start); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-l.sem
			return nil, ctx.Err()
		}
	}
	var once sync.Once
	return func() { once.Do(func() { <-l.sem }) }, nil
}

// pause holds back the next turn of the host until d from now, unless it
// is held back longer already.
func (l *hostLimiter) pause(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if until := time.Now().Add(d); until.After(l.next) {
		l.next = until
	}
}

// raiseDelay makes the delay at least d.
func (l *hostLimiter) raiseDelay(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if d > l.delay {
		l.delay = d
	}
}

// errBodyTooLarge marks a response body over Options.MaxBodySize.
var errBodyTooLarge = errors.New("response body too large")

// bodyGuard fails a read past the size limit and ends the request's turn
// and timeout when the body is closed.
type bodyGuard struct {
	rc    io.ReadCloser
	left  int64
	limit int64
	// ctx is the attempt's context, ended by the request timeout; parent
	// is the request's own. A read that fails because ctx timed out while
	// parent is alive (a body that trickles in) fails with errTimeout.
	ctx, parent context.Context
	timeout     time.Duration
	once        sync.Once
	done        func()
}

// Read reads from the body, failing past the size limit and naming a
// timeout as such.
func (b *bodyGuard) Read(p []byte) (int, error) {
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, fmt.Errorf("%w: over %d bytes", errBodyTooLarge, b.limit)
	}
	if err != nil && err != io.EOF && b.ctx != nil && b.ctx.Err() != nil && b.parent.Err() == nil {
		return n, fmt.Errorf("read body: %w after %v: %w", errTimeout, b.timeout, err)
	}
	return n, err
}

// Close closes the body and ends the request's turn and timeout.
func (b *bodyGuard) Close() error {
	err := b.rc.Close()
	b.once.Do(b.done)
	return err
}
