// Package crawler fetches job boards and job pages and turns what it finds
// into lurewatch.Ads for the rest of the pipeline. A source is described by
// a Profile (YAML or Go); a Crawler runs one profile at a time with colly,
// politely: robots.txt and its Crawl-delay are obeyed, each host gets the
// delay and parallelism its profile allows, private and loopback addresses
// are refused unless allowed, and every run is bounded in pages, depth and
// bytes.
//
// Five kinds of source exist: KindHTML (CSS selectors from the profile),
// KindJSONLD (schema.org JobPosting in JSON-LD, no selectors needed),
// KindTelegram (public channel previews, one ad per post), KindFeed (RSS
// and Atom entries, or the pages they link to) and KindSitemap (the pages a
// sitemap lists, skipping those not modified lately). Every kind fetches
// through the same polite, bounded path.
package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"github.com/gocolly/colly/v2"
	"go.uber.org/zap"

	"github.com/lurewatch/lurewatch"
)

// Publisher hands ads on to the rest of the pipeline (the queue implements
// it). PublishAd returns only once the ad is durably accepted; an error
// fails the crawl run. Run calls it from one goroutine at a time.
type Publisher interface {
	PublishAd(ctx context.Context, ad *lurewatch.Ad) error
}

// Defaults for Options.
const (
	DefaultUserAgent      = "lurewatch/0.1 (+https://github.com/lurewatch/lurewatch)"
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxBodySize    = 5 << 20
)

// Run statuses, as in lurewatch.CrawlRun.Status.
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
)

// Options configure a Crawler. Zero fields take their defaults.
type Options struct {
	// UserAgent names the crawler to the sites it visits and gives a
	// contact URL (default DefaultUserAgent). robots.txt rules are matched
	// against it.
	UserAgent string
	// AllowPrivate allows connecting to private, loopback, link-local and
	// other non-public addresses. Off, they are refused after name
	// resolution, so a public name pointing at 127.0.0.1 is refused too.
	// The demo and the tests turn it on.
	AllowPrivate bool
	// RequestTimeout bounds each request from its start to the end of its
	// body (default DefaultRequestTimeout). Waiting for a turn at a busy
	// host does not count.
	RequestTimeout time.Duration
	// MaxBodySize is the largest response body read, in bytes (default
	// DefaultMaxBodySize). A larger page is an error, never truncated.
	// The limit applies after decompression, so a gzip bomb is cut too.
	MaxBodySize int
	// RobotsTTL is how long a fetched robots.txt is reused, across runs,
	// before it is fetched again (default DefaultRobotsTTL; negative:
	// fetched once per run).
	RobotsTTL time.Duration
	// MaxAttempts is how many times a request is sent at most when it
	// times out or is answered 429 or 5xx (default DefaultMaxAttempts; 1:
	// no retries).
	MaxAttempts int
	// RetryBackoff is the wait before a second attempt when the server
	// sends no Retry-After; it doubles for each further attempt, with
	// jitter (default DefaultRetryBackoff).
	RetryBackoff time.Duration
	// MaxRetryAfter caps the wait a Retry-After header imposes on a host
	// (default DefaultMaxRetryAfter).
	MaxRetryAfter time.Duration
	// MaxRedirects is how many redirects one request follows (default
	// DefaultMaxRedirects); a redirect loop fails sooner.
	MaxRedirects int
	// MaxURLLength is the longest URL a run fetches, in bytes (default
	// DefaultMaxURLLength); longer links are taken for a trap.
	MaxURLLength int
	// MaxPagesPerHost is how many pages one run fetches at most from one
	// host (default DefaultMaxPagesPerHost), whatever Profile.MaxPages
	// says.
	MaxPagesPerHost int
	// Logger receives the crawler's logs (default: none).
	Logger *zap.Logger
	// Evidence, if not nil, keeps every page that colly hands on (a 2xx
	// answer) exactly as received, and each ad is linked to its page by
	// Ad.PageSHA256. Nil keeps nothing.
	Evidence Evidence
	// Observer, if not nil, is told of every fetch, error and ad.
	Observer Observer
	// State, if not nil, is the crawl state shared between runs and
	// processes: pages are fetched conditionally and unchanged ads are not
	// published again (see State). Nil: every run starts afresh.
	State State
}

// Crawler runs source profiles. It is safe for concurrent use; each Run has
// its own collector, frontier and host limiters, and runs share the
// connection pool and the robots.txt files fetched within
// Options.RobotsTTL.
type Crawler struct {
	opts      Options
	log       *zap.Logger
	transport *http.Transport
	robots    *robotsCache // robots.txt files, shared by runs for Options.RobotsTTL
	// now returns the current time; tests replace it.
	now func() time.Time
}

// New returns a Crawler with opts, defaults filled in.
func New(opts Options) *Crawler {
	if opts.UserAgent == "" {
		opts.UserAgent = DefaultUserAgent
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.MaxBodySize <= 0 {
		opts.MaxBodySize = DefaultMaxBodySize
	}
	if opts.Logger == nil {
		opts.Logger = zap.NewNop()
	}
	opts.limitDefaults()
	return &Crawler{
		opts:      opts,
		log:       opts.Logger,
		transport: newTransport(opts.AllowPrivate, opts.RequestTimeout),
		robots:    newRobotsCache(opts.RobotsTTL, time.Now),
		now:       time.Now,
	}
}

// Page roles, kept in each request's colly context.
const (
	roleListing = "listing" // a start page or a next page: links are followed
	roleAd      = "ad"      // an ad page of a KindHTML source
	rolePage    = "page"    // an ad page followed by a KindJSONLD, KindFeed or KindSitemap source
	roleChannel = "channel" // a page of a Telegram channel preview
	roleFeed    = "feed"    // an RSS or Atom feed
	roleSitemap = "sitemap" // a sitemap or sitemap index
)

// startRole returns the role of the start pages of a kind.
func startRole(kind string) string {
	switch kind {
	case KindTelegram:
		return roleChannel
	case KindFeed:
		return roleFeed
	case KindSitemap:
		return roleSitemap
	}
	return roleListing
}

// Keys of a request's colly context.
const (
	ctxRole      = "role"
	ctxDepth     = "depth"
	ctxRequested = "requested" // the canonical URL as enqueued, before redirects
	ctxStart     = "start"
	ctxData      = "data" // a *pageData, when the page has one
)

// pageData is what a page needs to know beyond its role: the Telegram
// channel it belongs to, or the feed entry to publish when the page of a
// followed entry gives no ad.
type pageData struct {
	channel string
	entry   *lurewatch.Ad
}

// enqueued is what enqueue did with a link.
type enqueued int

const (
	enqueueSkipped enqueued = iota // not fetched: off the allowed hosts, refused, over a limit, failed
	enqueueSeen                    // already fetched (or being fetched) in this run
	enqueueDone                    // handed to colly
)

// startState is what became of one start URL.
type startState int

const (
	startPending startState = iota
	startOK
	startRefused
	startFailed
)

// selectors are a profile's selectors, compiled once per run.
type selectors struct {
	adLinks, nextPage, follow                                goquery.Matcher
	title, body, employer, location, salary, posted, contact goquery.Matcher
}

// run is the state of one Run: one fresh collector, one fetcher, counters
// and outcomes guarded by mu.
type run struct {
	p       *Profile
	pub     Publisher
	log     *zap.Logger
	ctx     context.Context
	cancel  context.CancelCauseFunc
	col     *colly.Collector
	fetch   *fetcher
	allowed map[string]bool
	sel     selectors
	// match keeps the sitemap page URLs of a KindSitemap source (nil:
	// all); since skips sitemap entries last modified before it (zero:
	// none).
	match *regexp.Regexp
	since time.Time

	reserved   atomic.Int64 // pages handed to colly, for MaxPages
	maxLogged  atomic.Bool
	publishMu  sync.Mutex
	mu         sync.Mutex
	visited    map[string]bool
	starts     map[string]startState
	startErr   error // the first error of a start URL
	publishErr error
	pages      int
	ads        int
	errs       int
	capture    *capture // nil without Options.Evidence and Options.Observer
	traps      *trapLimits
	frontier   *frontier // the pages to fetch; workers feed them to colly
	// state is Options.State (nil: none); sc its counts, guarded by mu;
	// fingerprint identifies the profile in the page states it writes.
	state       State
	sc          stateCounts
	fingerprint string
	// kinds counts the run's errors by kind, for its record.
	kinds kindCounts
}

// Run crawls the profile once and publishes every ad it finds to pub. Each
// ad gets its id from the source name and the canonical URL of its page
// (for a JSON-LD page with several postings, the URL plus "#id=" and the
// posting's identifier, or "#" and its position); a Telegram post from its
// "<channel>/<id>"; a feed entry from its canonical link, or without one
// from the feed's URL plus "#id=" and its guid. Each ad also gets a content
// hash and the time it was fetched.
//
// With Options.State, pages are asked for conditionally and an ad whose
// content was published before is not published again (see State).
//
// Run returns the record of the run: pages fetched, ads published, errors
// met (in all and by kind), the state counts (pages not modified, ads new,
// changed and unchanged), and status StatusOK or StatusFailed. It fails
// (and returns an error) when the profile is invalid (lurewatch.ErrInvalid), when publishing an ad
// fails, when ctx ends, or when no start page could be read: not fetched,
// a feed or sitemap that does not parse, a Telegram channel without a
// public preview (ErrNoPreview). When every start page was refused (a
// non-public address, or robots.txt), the error wraps lurewatch.ErrRefused.
// Errors on other pages are logged and counted but do not fail the run.
func (c *Crawler) Run(ctx context.Context, p *Profile, pub Publisher) (lurewatch.CrawlRun, error) {
	rec := lurewatch.CrawlRun{Source: p.Name, StartedAt: time.Now().UTC(), Status: "running"}
	fail := func(err error) (lurewatch.CrawlRun, error) {
		rec.FinishedAt = time.Now().UTC()
		rec.Status = StatusFailed
		rec.Error = err.Error()
		return rec, err
	}
	if err := p.Validate(); err != nil {
		return fail(fmt.Errorf("crawl %s: %w", p.Name, err))
	}
	if pub == nil {
		return fail(fmt.Errorf("crawl %s: %w: no publisher", p.Name, lurewatch.ErrInvalid))
	}

	r := c.newRun(ctx, p.withDefaults(), pub)
	defer r.cancel(nil)
	starts := r.p.starts()
	urls := make([]string, len(starts))
	for i, st := range starts {
		urls[i] = st.url
	}
	r.log.Info("crawl started", zap.Strings("start_urls", urls), zap.Int("max_pages", r.p.MaxPages))
	for _, st := range starts {
		var data *pageData
		if st.channel != "" {
			data = &pageData{channel: st.channel}
		}
		r.enqueue(st.url, nil, startRole(r.p.Kind), 0, true, data)
	}
	r.frontier.wait()

	r.mu.Lock()
	defer r.mu.Unlock()
	rec.Pages, rec.Ads, rec.Errors = r.pages, r.ads, r.errs
	r.fillRecord(&rec)
	var err error
	switch {
	case r.publishErr != nil:
		err = r.publishErr
	case ctx.Err() != nil:
		err = context.Cause(ctx)
	default:
		err = r.startsFailed()
	}
	if err != nil {
		err = fmt.Errorf("crawl %s: %w", p.Name, err)
		r.log.Error("crawl failed", zap.Int("pages", rec.Pages), zap.Int("ads", rec.Ads),
			zap.Int("errors", rec.Errors), zap.Error(err))
		return fail(err)
	}
	rec.FinishedAt = time.Now().UTC()
	rec.Status = StatusOK
	r.log.Info("crawl finished", zap.Int("pages", rec.Pages), zap.Int("ads", rec.Ads), zap.Int("errors", rec.Errors),
		zap.Int("pages_not_modified", rec.PagesNotModified), zap.Int("ads_unchanged", rec.AdsUnchanged))
	return rec, nil
}

// startsFailed returns an error when no start URL was fetched and at least
// one failed; it wraps lurewatch.ErrRefused when all were refused. r.mu is
// held.
func (r *run) startsFailed() error {
	var ok, refused, failed int
	for _, s := range r.starts {
		switch s {
		case startOK:
			ok++
		case startRefused:
			refused++
		case startFailed:
			failed++
		}
	}
	switch {
	case ok > 0 || refused+failed == 0:
		return nil
	case failed == 0:
		return fmt.Errorf("every start URL was refused: %w", r.startErr)
	default:
		return fmt.Errorf("no start URL could be read: %w", r.startErr)
	}
}

// newRun builds the state of one run with a fresh colly collector.
func (c *Crawler) newRun(ctx context.Context, p *Profile, pub Publisher) *run {
	ctx, cancel := context.WithCancelCause(ctx)
	log := c.log.With(zap.String("source", p.Name), zap.String("kind", p.Kind))
	r := &run{
		p:       p,
		pub:     pub,
		log:     log,
		ctx:     ctx,
		cancel:  cancel,
		allowed: p.allowedHosts(),
		visited: make(map[string]bool),
		starts:  make(map[string]startState),
		fetch: newFetcher(c.transport, c.opts.UserAgent, c.opts.RequestTimeout,
			int64(c.opts.MaxBodySize), p.Delay, p.Parallelism, log),
	}
	r.sel = compileSelectors(p)
	r.state = c.opts.State
	if r.state != nil {
		r.fingerprint = profileFingerprint(p)
	}
	c.instrument(r)
	if sm := p.Sitemap; sm != nil {
		if sm.Match != "" {
			r.match, _ = regexp.Compile(sm.Match) // Validate has checked it
		}
		if sm.MaxAge > 0 {
			r.since = c.now().Add(-sm.MaxAge)
		}
	}

	// Init, not NewCollector: NewCollector lets COLLY_* environment
	// variables override what is set here.
	col := &colly.Collector{}
	col.Init()
	col.UserAgent = c.opts.UserAgent
	// Not Async: the frontier's workers call colly (frontier.go), so a
	// queued page costs bytes, not a goroutine.
	col.Context = ctx
	// robots.txt, the body size limit and the timeout are the fetcher's
	// (colly ignores Crawl-delay and a 5xx robots.txt, and truncates large
	// bodies silently); depth and page limits are enqueue's.
	col.IgnoreRobotsTxt = true
	col.MaxBodySize = 0
	col.MaxDepth = 0
	col.MaxRequests = 0
	for h := range r.allowed {
		col.AllowedDomains = append(col.AllowedDomains, h) // checked on redirects too
	}
	col.WithTransport(r.fetch)
	col.SetRequestTimeout(0)
	col.OnResponse(r.onResponse)
	col.OnError(r.onError)
	c.limitRun(r, col)
	r.col = col
	return r
}

// compileSelectors compiles the selectors of a validated profile; an empty
// selector compiles to nil.
func compileSelectors(p *Profile) selectors {
	comp := func(s string) goquery.Matcher {
		if s == "" {
			return nil
		}
		sel, err := cascadia.Compile(s)
		if err != nil {
			return nil // Validate has reported it
		}
		return sel
	}
	var s selectors
	if h := p.HTML; h != nil {
		s.adLinks, s.nextPage = comp(h.AdLinks), comp(h.NextPage)
		s.title, s.body = comp(h.Ad.Title), comp(h.Ad.Body)
		s.employer, s.location, s.salary = comp(h.Ad.Employer), comp(h.Ad.Location), comp(h.Ad.Salary)
		s.posted, s.contact = comp(h.Ad.Posted), comp(h.Ad.Contact)
	}
	if j := p.JSONLD; j != nil {
		s.follow, s.nextPage = comp(j.Follow), comp(j.NextPage)
	}
	return s
}

// enqueue schedules a page: link (resolved against base when base is not
// nil) is canonicalized and fetched unless it is off the allowed hosts,
// too deep, already seen, disallowed by robots.txt, or over the page
// budget. data, if not nil, travels with the request. It reports what it
// did.
func (r *run) enqueue(link string, base *url.URL, role string, depth int, start bool, data *pageData) enqueued {
	if r.ctx.Err() != nil {
		return enqueueSkipped
	}
	var u *url.URL
	var err error
	if base != nil {
		u, err = base.Parse(strings.TrimSpace(link))
	} else {
		u, err = url.Parse(strings.TrimSpace(link))
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		r.log.Debug("link skipped: not an http(s) URL", zap.String("link", truncate(link, 200)))
		return enqueueSkipped
	}
	canon, err := canonicalURL(u)
	if err != nil {
		r.log.Debug("link skipped", zap.String("link", truncate(link, 200)), zap.Error(err))
		return enqueueSkipped
	}
	cu, _ := url.Parse(canon)
	if !r.allowed[strings.ToLower(cu.Hostname())] {
		r.log.Debug("link skipped: host not allowed", zap.String("url", canon))
		return enqueueSkipped
	}
	if r.p.MaxDepth > 0 && depth > r.p.MaxDepth {
		r.log.Debug("link skipped: max depth", zap.String("url", canon), zap.Int("depth", depth))
		return enqueueSkipped
	}
	r.mu.Lock()
	seen := r.visited[canon]
	r.visited[canon] = true
	if start && !seen {
		r.starts[canon] = startPending
	}
	r.mu.Unlock()
	if seen {
		return enqueueSeen
	}
	if !r.trapCheck(cu, canon) {
		return enqueueSkipped
	}

	startKey := ""
	if start {
		startKey = canon
	}
	ok, err := r.fetch.allowed(r.ctx, cu)
	if err != nil {
		r.pageFailed(canon, startKey, 0, fmt.Errorf("fetch %s: %w", canon, err))
		return enqueueSkipped
	}
	if !ok {
		r.log.Info("page skipped: disallowed by robots.txt", zap.String("url", canon))
		r.kinds.add(ErrKindRobots) // skipped, not an error: not in r.errs
		if start {
			r.setStart(canon, startRefused, fmt.Errorf("fetch %s: %w", canon, errRobots))
		}
		return enqueueSkipped
	}

	if r.reserved.Add(1) > int64(r.p.MaxPages) {
		r.reserved.Add(-1)
		if !r.maxLogged.Swap(true) {
			r.log.Info("max pages reached; further pages skipped", zap.Int("max_pages", r.p.MaxPages))
		}
		return enqueueSkipped
	}
	// The frontier's workers hand it to colly (fetchPending).
	r.frontier.push(pending{url: canon, role: role, depth: depth, start: start, data: data})
	return enqueueDone
}

// setStart records what became of a start URL.
func (r *run) setStart(canon string, s startState, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.starts[canon] = s
	if err != nil && r.startErr == nil {
		r.startErr = err
	}
}

// pageFailed logs and counts a page that could not be fetched; startKey
// is the canonical start URL when the page is one, else "".
func (r *run) pageFailed(pageURL, startKey string, status int, err error) {
	if r.ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return // the run is ending; Run reports that once
	}
	refused := errors.Is(err, lurewatch.ErrRefused)
	fields := []zap.Field{zap.String("url", pageURL), zap.Error(err)}
	if status != 0 {
		fields = append(fields, zap.Int("status", status))
	}
	msg := "fetch failed"
	if refused {
		msg = "fetch refused"
	}
	r.log.Warn(msg, fields...)
	r.mu.Lock()
	r.errs++
	r.mu.Unlock()
	r.observeError(errorKind(err, status))
	if startKey != "" {
		s := startFailed
		if refused {
			s = startRefused
		}
		r.setStart(startKey, s, err)
	}
}

// onError is colly's error callback: a transport error or a non-2xx status.
func (r *run) onError(resp *colly.Response, err error) {
	if r.notModified(resp) {
		return
	}
	pageURL := resp.Request.URL.String()
	var ue *url.Error
	switch {
	case resp.StatusCode != 0:
		r.mu.Lock()
		r.pages++
		r.mu.Unlock()
		err = fmt.Errorf("fetch %s: status %d", pageURL, resp.StatusCode)
	case !errors.As(err, &ue):
		err = fmt.Errorf("fetch %s: %w", pageURL, err)
	}
	r.pageFailed(pageURL, startKey(resp.Ctx), resp.StatusCode, err)
	if d := dataOf(resp.Ctx); d != nil && d.entry != nil && r.ctx.Err() == nil {
		r.log.Info("linked page not fetched; publishing the feed entry instead",
			zap.String("ad_id", d.entry.ID), zap.String("url", pageURL))
		r.publish(d.entry, d.entry.FetchedAt)
	}
}

// dataOf returns the pageData of a request, or nil.
func dataOf(c *colly.Context) *pageData {
	d, _ := c.GetAny(ctxData).(*pageData)
	return d
}

// readFailed logs and counts a page that was fetched but could not be
// read (msg says why); startKey is the canonical start URL when the page
// is one, else "", and the start then counts as failed.
func (r *run) readFailed(pageURL, startKey, msg string, err error) {
	r.log.Warn(msg, zap.String("url", pageURL), zap.Error(err))
	r.mu.Lock()
	r.errs++
	r.mu.Unlock()
	r.observeError(ErrKindParse)
	if startKey != "" {
		r.setStart(startKey, startFailed, err)
	}
}

// startKey returns the canonical start URL a request was made for, or ""
// when it was not for a start URL.
func startKey(c *colly.Context) string {
	if s, _ := c.GetAny(ctxStart).(bool); s {
		return c.Get(ctxRequested)
	}
	return ""
}

// onResponse is colly's response callback: a 2xx page.
func (r *run) onResponse(resp *colly.Response) {
	r.mu.Lock()
	r.pages++
	r.mu.Unlock()
	if k := startKey(resp.Ctx); k != "" {
		r.setStart(k, startOK, nil)
	}
	if r.ctx.Err() != nil {
		return
	}
	pageURL := resp.Request.URL
	canon, err := canonicalURL(pageURL)
	if err != nil {
		canon = pageURL.String()
	}
	role := resp.Ctx.Get(ctxRole)
	depth, _ := resp.Ctx.GetAny(ctxDepth).(int)
	data := dataOf(resp.Ctx)
	fetched := r.fetchTime(resp)
	if r.conditional(role) {
		defer r.savePage(resp, fetched)
	}

	switch role {
	case roleFeed:
		r.readFeed(resp, pageURL, canon, depth, fetched)
		return
	case roleSitemap:
		r.readSitemap(resp, pageURL, canon, depth)
		return
	case roleChannel:
		if !r.isPreview(resp.Ctx.Get(ctxRequested), pageURL, startKey(resp.Ctx), data) {
			return
		}
	}

	ct := resp.Headers.Get("Content-Type")
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	if mt == "" {
		mt, _, _ = strings.Cut(http.DetectContentType(resp.Body), ";")
	}
	if mt != "text/html" && mt != "application/xhtml+xml" {
		r.log.Debug("page skipped: not HTML", zap.String("url", canon), zap.String("content_type", ct))
		if data != nil && data.entry != nil {
			r.publish(data.entry, data.entry.FetchedAt)
		}
		return
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(utf8Body(resp.Body, ct)))
	if err != nil {
		r.readFailed(canon, startKey(resp.Ctx), "page does not parse", fmt.Errorf("parse %s: %w", canon, err))
		return
	}
	base := pageURL
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := pageURL.Parse(strings.TrimSpace(href)); err == nil {
			base = b
		}
	}

	switch r.p.Kind {
	case KindHTML:
		if role == roleAd {
			r.publish(r.htmlAd(doc, canon), fetched)
			return
		}
		r.follow(doc, base, r.sel.adLinks, roleAd, depth+1)
		r.follow(doc, base, r.sel.nextPage, roleListing, depth+1)
	case KindJSONLD:
		r.publishPostings(doc, canon, fetched)
		if role == roleListing {
			r.follow(doc, base, r.sel.follow, rolePage, depth+1)
			r.follow(doc, base, r.sel.nextPage, roleListing, depth+1)
		}
	case KindTelegram:
		r.readChannel(doc, canon, data, depth, fetched)
	case KindFeed, KindSitemap:
		var entry *lurewatch.Ad
		if data != nil {
			entry = data.entry
		}
		r.publishPage(doc, canon, fetched, entry)
	}
}

// publishPage publishes the ads of an ad page of a KindFeed or KindSitemap
// source: by the profile's html.ad selectors when it has them, else its
// JobPostings. When the page gives none, entry (the feed entry that linked
// to it), if not nil, is published instead.
func (r *run) publishPage(doc *goquery.Document, canon string, fetched time.Time, entry *lurewatch.Ad) {
	if r.p.HTML != nil {
		ad := r.htmlAd(doc, canon)
		if ad.Title == "" && ad.Text == "" && entry != nil {
			r.log.Info("linked page has no ad; publishing the feed entry instead",
				zap.String("ad_id", entry.ID), zap.String("url", canon))
			r.publish(entry, entry.FetchedAt)
			return
		}
		r.publish(ad, fetched)
		return
	}
	if n := r.publishPostings(doc, canon, fetched); n == 0 {
		if entry != nil {
			r.log.Info("linked page has no JobPosting; publishing the feed entry instead",
				zap.String("ad_id", entry.ID), zap.String("url", canon))
			r.publish(entry, entry.FetchedAt)
			return
		}
		r.log.Debug("page has no JobPosting", zap.String("url", canon))
	}
}

// follow enqueues the links of the elements sel matches in doc: an
// element's own href, or else that of the first link inside it.
func (r *run) follow(doc *goquery.Document, base *url.URL, sel goquery.Matcher, role string, depth int) {
	if sel == nil {
		return
	}
	doc.FindMatcher(sel).Each(func(_ int, s *goquery.Selection) {
		href, ok := s.Attr("href")
		if !ok {
			href, ok = s.Find("a[href]").First().Attr("href")
		}
		if ok && strings.TrimSpace(href) != "" {
			r.enqueue(href, base, role, depth, false, nil)
		}
	})
}

// htmlAd reads an ad from an ad page of a KindHTML source.
func (r *run) htmlAd(doc *goquery.Document, canon string) *lurewatch.Ad {
	text := func(sel goquery.Matcher) string {
		if sel == nil {
			return ""
		}
		return visibleText(doc.FindMatcher(sel).Nodes)
	}
	ad := &lurewatch.Ad{
		ID:       lurewatch.AdID(r.p.Name, canon),
		URL:      canon,
		Title:    collapseSpace(text(r.sel.title)),
		Text:     text(r.sel.body),
		Employer: text(r.sel.employer),
		Location: text(r.sel.location),
		Salary:   text(r.sel.salary),
		Contact:  contactText(doc, r.sel.contact),
	}
	if r.sel.posted != nil {
		s := doc.FindMatcher(r.sel.posted).First()
		v, ok := s.Attr("datetime")
		if !ok {
			v, ok = s.Attr("content")
		}
		if !ok {
			v = visibleText(s.Nodes)
		}
		ad.PostedAt = parseDate(v)
		if ad.PostedAt.IsZero() && strings.TrimSpace(v) != "" {
			r.log.Debug("posted date not understood", zap.String("ad_id", ad.ID), zap.String("value", truncate(v, 100)))
		}
	}
	return ad
}

// contactText is the visible text of the contact elements followed by the
// targets of the links in them (mailto:, tel:, t.me, wa.me ...) that the
// text does not already show: a contact is often only in a link.
func contactText(doc *goquery.Document, sel goquery.Matcher) string {
	if sel == nil {
		return ""
	}
	s := doc.FindMatcher(sel)
	t := visibleText(s.Nodes)
	lines := []string{t}
	s.Find("a[href]").AddBackFiltered("a[href]").Each(func(_ int, a *goquery.Selection) {
		href := strings.TrimSpace(a.AttrOr("href", ""))
		for _, p := range []string{"mailto:", "tel:", "sms:"} {
			if len(href) > len(p) && strings.EqualFold(href[:len(p)], p) {
				href = href[len(p):]
				if i := strings.IndexByte(href, '?'); i >= 0 {
					href = href[:i]
				}
			}
		}
		if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(strings.ToLower(href), "javascript:") {
			return
		}
		joined := strings.Join(lines, "\n")
		if !strings.Contains(joined, href) {
			lines = append(lines, href)
		}
	})
	return truncate(strings.TrimSpace(strings.Join(lines, "\n")), maxFieldSize)
}

// publishPostings publishes the JobPostings of a page and returns how many
// it found.
func (r *run) publishPostings(doc *goquery.Document, canon string, fetched time.Time) int {
	ps, errs := jobPostings(doc)
	for _, err := range errs {
		r.log.Warn("malformed JSON-LD block skipped", zap.String("url", canon), zap.Error(err))
	}
	if len(errs) > 0 {
		r.mu.Lock()
		r.errs += len(errs)
		r.mu.Unlock()
		for range errs {
			r.observeError(ErrKindParse)
		}
	}
	seen := make(map[string]bool)
	for i, p := range ps {
		key := canon
		if len(ps) > 1 {
			if p.identifier != "" && !seen[p.identifier] {
				seen[p.identifier] = true
				key = canon + "#id=" + p.identifier
			} else {
				key = canon + "#" + strconv.Itoa(i+1)
			}
		}
		ad := &lurewatch.Ad{
			ID:           lurewatch.AdID(r.p.Name, key),
			URL:          canon,
			Title:        truncate(p.title, maxFieldSize),
			Text:         p.text,
			Employer:     truncate(p.employer, maxFieldSize),
			Location:     truncate(p.location, maxFieldSize),
			Salary:       truncate(p.salary, maxFieldSize),
			Contact:      p.contact,
			PostedAt:     p.posted,
			ValidThrough: p.validThrough,
		}
		if !r.publish(ad, fetched) {
			break
		}
	}
	return len(ps)
}

// publish completes an ad and hands it to the publisher. An ad without
// title and text is not published: the page did not match the profile. It
// reports whether the run goes on; a publish error ends the run.
func (r *run) publish(ad *lurewatch.Ad, fetched time.Time) bool {
	log := r.log.With(zap.String("ad_id", ad.ID), zap.String("url", ad.URL))
	if ad.Title == "" && ad.Text == "" {
		log.Warn("ad skipped: no title and no text found (do the selectors still match the site?)")
		r.mu.Lock()
		r.errs++
		r.mu.Unlock()
		r.observeError(ErrKindNoAd)
		return true
	}
	ad.SchemaVersion = lurewatch.SchemaVersion
	ad.Source = r.p.Name
	ad.SourceKind = r.p.Kind
	ad.FetchedAt = fetched
	if ad.PageSHA256 == "" {
		ad.PageSHA256 = r.pageOf(fetched)
	}
	ad.ContentHash = lurewatch.ContentHashOf(ad)

	r.publishMu.Lock()
	defer r.publishMu.Unlock()
	if r.ctx.Err() != nil {
		return false
	}
	prev := r.adHash(ad, log)
	if prev != "" && prev == ad.ContentHash {
		r.adUnchanged(log)
		return true
	}
	if err := r.pub.PublishAd(r.ctx, ad); err != nil {
		err = fmt.Errorf("publish ad %s from %s: %w", ad.ID, ad.URL, err)
		log.Error("publish failed; stopping the run", zap.Error(err))
		r.mu.Lock()
		if r.publishErr == nil {
			r.publishErr = err
		}
		r.errs++
		r.mu.Unlock()
		r.observeError(ErrKindPublish)
		r.cancel(err)
		return false
	}
	r.adPublished(ad, prev, log)
	r.mu.Lock()
	r.ads++
	r.mu.Unlock()
	r.observeAd()
	log.Debug("ad published", zap.String("title", truncate(ad.Title, 120)), zap.String("content_hash", ad.ContentHash))
	return true
}
